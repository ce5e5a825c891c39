/**
 * The servers a benchmark loads, each in its own process — as they run in production, so that the load generator
 * and the writer (in the bench's process) never share the server's event loop, and the server's memory can be
 * read from /proc: Portico through its own command line (`portico serve --role web --no-demo`), and a bare
 * Fastify route (bench/bare-server.ts) as the ceiling of this machine and Node.js.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = path.resolve(import.meta.dirname, '..');
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  /** What the server logged at warning level or above (pino's JSON lines): how many, and the first few. */
  warnings(): { count: number; first: string[] };
  /** Stops the process (SIGTERM, then SIGKILL after 30 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** A port nobody listens on now (the kernel picks it; the server takes it a moment later). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port for the server');
  return address.port;
}

async function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv, readyPath: string) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Warnings and errors the server logs under load are findings: counted, and the first ones kept.
  let warningCount = 0;
  const firstWarnings: string[] = [];
  let partialLine = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partialLine + chunk.toString()).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level !== undefined && Number(level) >= 40) {
        warningCount++;
        if (firstWarnings.length < 5) firstWarnings.push(line.slice(0, 1000));
      }
    }
  });
  const warnings = () => ({ count: warningCount, first: [...firstWarnings] });
  // The last lines the server wrote, to explain a failed start.
  let lastWords = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    lastWords = (lastWords + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(killer);
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) while starting:\n${lastWords}`);
    const ready = await fetch(`${url}${readyPath}`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return { name, url, pid: child.pid as number, warnings, stop };
    await sleep(200);
  }
  await stop();
  throw new Error(`${name} did not answer within ${START_TIMEOUT_MS / 1000} s:\n${lastWords}`);
}

/**
 * Portico's web role on the given database, with the bench's APP_SECRET (the API key the bench writes is hashed
 * with it), run as production runs it: from the server build (`npm run build:server`, made here first), which
 * `bin/portico.js` prefers to the sources. The application logs only warnings (no line per request).
 */
export function startPortico(databaseUrl: string, dataDir: string, appSecret: string): Promise<ServerProcess> {
  const built = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build:server failed:\n${built.stderr}`);
  // BENCH_PROFILE=<folder>: Portico writes a CPU profile of the whole run there (open it in Chrome's DevTools).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  return startProcess(
    'Portico',
    [...profile, path.join(ROOT, 'bin/portico.js'), 'serve', '--role', 'web', '--no-demo'],
    {
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      APP_SECRET: appSecret,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      // Pay Now is measured from one client at full speed, far past a client's budget of payment attempts.
      CLIENT_ACTION_LIMITS_FACTOR: '1000000',
    },
    '/healthz',
  );
}

export function startBareFastify(): Promise<ServerProcess> {
  return startProcess('bare Fastify', ['--import', 'tsx', path.join(ROOT, 'bench/bare-server.ts')], {}, '/');
}

/** The resident memory of a process now, in bytes (VmRSS in /proc/<pid>/status), or null off Linux. */
function residentBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Samples a process's resident memory every 250 ms until stopped: `peakMiB()` is the highest sample since the
 * last `reset()`, so each phase of the run gets its own peak; `overallPeakMiB()` the highest since the start.
 */
export function watchMemory(pid: number) {
  const toMiB = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
  let peak = residentBytes(pid) ?? 0;
  let overallPeak = peak;
  const sample = () => {
    const now = residentBytes(pid) ?? 0;
    peak = Math.max(peak, now);
    overallPeak = Math.max(overallPeak, now);
  };
  const timer = setInterval(sample, 250);
  timer.unref();
  return {
    peakMiB: () => {
      sample();
      return toMiB(peak);
    },
    overallPeakMiB: () => {
      sample();
      return toMiB(overallPeak);
    },
    reset: () => {
      peak = residentBytes(pid) ?? 0;
    },
    stop: () => clearInterval(timer),
  };
}
