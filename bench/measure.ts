/**
 * Loads one route with autocannon on loopback: 50 connections, a 2 s warm-up, 10 s measured. The servers run in
 * their own processes (bench/servers.ts), so autocannon runs in the bench's own thread.
 */
import autocannon from 'autocannon';

export const CONNECTIONS = 50;
export const WARMUP_SECONDS = 2;
export const DURATION_SECONDS = 10;

const log = (line: string) => process.stderr.write(`${line}\n`);

export interface Measurement {
  name: string;
  url: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** For each request, which path and headers to send (many clients: a random one each time). */
export type RequestPicker = () => { path: string; headers: Record<string, string> };

/** The figures the report keeps from an autocannon result. */
export function measurementOf(name: string, url: string, result: autocannon.Result): Measurement {
  return {
    name,
    url,
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

function run(baseUrl: string, pick: RequestPicker, duration: number) {
  return autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, ...pick() }) }],
  });
}

/**
 * Warms up, then measures; `pick` chooses every request's path and headers. `shownUrl` names the route in the
 * report (e.g. `/api/portal/scale-test/invoices/{a viewed invoice}`).
 */
export async function measure(name: string, baseUrl: string, shownUrl: string, pick: RequestPicker) {
  log(`${name}: warming up ${WARMUP_SECONDS} s…`);
  await run(baseUrl, pick, WARMUP_SECONDS);
  log(`${name}: measuring ${DURATION_SECONDS} s with ${CONNECTIONS} connections…`);
  return measurementOf(name, shownUrl, await run(baseUrl, pick, DURATION_SECONDS));
}

/** One fixed path with fixed headers (the bare route, the business API list). */
export function measureOne(name: string, baseUrl: string, path: string, headers: Record<string, string> = {}) {
  return measure(name, baseUrl, path, () => ({ path, headers }));
}
