/**
 * `portico serve` stopped by SIGTERM (what systemd, Docker and Kubernetes send): it stops accepting connections,
 * lets the request in flight finish, ends the open live streams, lets the worker finish, closes the database and
 * exits 0. The server runs as people run it, `node bin/portico.js serve`, in a child process.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { startMailWorker } from '../../src/notify/worker.js';
import { emptyDatabase, freePort } from '../support/database.js';
import { startHarness } from '../support/harness.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/portico.js');
const OWNER = { email: 'owner@acme.example', password: 'a long enough owner password' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw HTTP request whose answer is collected whole: status, headers and body. */
function answerOf(request: http.ClientRequest) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on('error', reject);
    });
  });
}

describe('graceful shutdown of portico serve', () => {
  let dataDir: string;
  let database: { url: string; drop(): Promise<void> };
  let port: number;

  const environment = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ...extra,
  });

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'portico-shutdown-'));
    database = await emptyDatabase(dataDir);
    port = await freePort();
    const admin = spawn(process.execPath, [BIN, 'create-admin', '--org', 'Acme', '--email', OWNER.email], {
      env: environment({ PORTICO_ADMIN_PASSWORD: OWNER.password }),
      stdio: 'ignore',
    });
    assert.equal(await new Promise((resolve) => admin.on('close', resolve)), 0);
  });
  after(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('SIGTERM: a slow request in flight completes, the live stream ends, new connections are refused, exit 0', async () => {
    const child: ChildProcessWithoutNullStreams = spawn(
      process.execPath,
      [BIN, 'serve', '--role', 'all', '--no-demo'],
      {
        env: environment(),
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.resume();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    const base = `http://127.0.0.1:${port}`;
    // Browsers keep connections open between requests; so does this agent.
    const agent = new http.Agent({ keepAlive: true });
    try {
      let ready: Response | null = null;
      for (let attempt = 0; attempt < 240 && ready?.status !== 200; attempt++) {
        ready = await fetch(`${base}/readyz`).catch(() => null);
        if (ready?.status !== 200) await sleep(250);
      }
      assert.equal(ready?.status, 200, `serve did not become ready: ${stderr}`);

      const signedIn = await fetch(`${base}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(OWNER),
      });
      assert.equal(signedIn.status, 200, await signedIn.clone().text());
      const cookie = signedIn.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');

      // A live stream, open until the server ends it.
      const stream = http.get(`${base}/api/v1/portal-activity/stream`, { agent, headers: { cookie } });
      const streamed = answerOf(stream);
      const streamOpen = new Promise<void>((resolve) =>
        stream.on('response', (response) => response.once('data', () => resolve())),
      );
      await streamOpen;

      // A slow client: the request's headers and half its body are sent; the rest comes after the signal.
      const body = JSON.stringify(OWNER);
      const slow = http.request(`${base}/api/v1/session`, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      const slowAnswer = answerOf(slow);
      slow.write(body.slice(0, 10));
      await sleep(300);

      child.kill('SIGTERM');
      for (let attempt = 0; attempt < 40 && !stderr.includes('SIGTERM: stopping'); attempt++) await sleep(50);
      assert.match(stderr, /SIGTERM: stopping/);

      // The stream is ended by the server, not left to hold the shutdown.
      const ended = await Promise.race([streamed, sleep(5_000).then(() => null)]);
      assert.ok(ended, 'the live stream was not ended');
      assert.equal(ended.status, 200);
      assert.match(ended.body, /^retry: 3000/);

      // No new connection is accepted.
      let refused: unknown = null;
      for (let attempt = 0; attempt < 40 && refused === null; attempt++) {
        refused = await answerOf(http.get(`${base}/healthz`, { agent: false })).then(
          () => null,
          (error: unknown) => error,
        );
        if (refused === null) await sleep(50);
      }
      assert.equal((refused as NodeJS.ErrnoException | null)?.code, 'ECONNREFUSED');
      assert.equal(child.exitCode, null, 'still running: the slow request is in flight');

      slow.end(body.slice(10));
      const answer = await slowAnswer;
      assert.equal(answer.status, 200, answer.body);
      assert.equal((JSON.parse(answer.body) as { user: { email: string } }).user.email, OWNER.email);
      // Its connection closes with it, so a kept-alive connection does not hold the stop until it times out.
      assert.equal(answer.headers.connection, 'close');
      const answeredAt = Date.now();
      await exited;
      assert.ok(Date.now() - answeredAt < 10_000, 'the stop did not wait for the grace period to run out');
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    } finally {
      agent.destroy();
    }
    const { code, signal } = await exited;
    assert.equal(signal, null, stderr);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /Stopped\.\n$/);
  });
});

describe("the worker's stop", () => {
  test('waits for the jobs run and the mail round in progress, and starts no other', async () => {
    let queries = 0;
    const harness = await startHarness({
      onQuery: () => {
        queries += 1;
      },
    });
    try {
      const errors: unknown[] = [];
      const logger = { error: (details: object) => errors.push(details), info: () => {} };
      const jobs = startScheduler(harness.ctx, { intervalMs: 60_000, logger });
      const mail = startMailWorker(harness.ctx, { intervalMs: 60_000, logger });
      let jobsFinished = false;
      let mailFinished = false;
      void jobs.runNow().then(() => {
        jobsFinished = true;
      });
      void mail.runNow().then(() => {
        mailFinished = true;
      });
      await jobs.stop();
      assert.equal(jobsFinished, true, 'the jobs run finished before stop resolved');
      await mail.stop();
      assert.equal(mailFinished, true, 'the mail round finished before stop resolved');
      assert.deepEqual(errors, []);
      // Stopped: asking for another run (or waiting past the first timer) touches the database no more.
      const before = queries;
      await jobs.runNow();
      await mail.runNow();
      await sleep(50);
      assert.equal(queries, before);
    } finally {
      await harness.close();
    }
  });
});
