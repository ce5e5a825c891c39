/**
 * The server build (`npm run build:server`, part of `npm run build` and `npm start`): the whole server bundled into
 * one file that `bin/portico.js` runs instead of compiling the sources. Built here into a folder of its own beside
 * `dist/server` (the same depth, so it finds `dist/web` and `node_modules` as the real build does), then run as a
 * command: migrate, create an owner, serve, sign in, and answer a PDF — the libraries the server loads only when
 * first used (pdfkit and its fonts, argon2, the database driver) must be found from the bundle's place too.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { emptyDatabase, freePort } from '../support/database.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUILD_DIR = path.join(ROOT, 'dist', `server-check-${randomBytes(4).toString('hex')}`);
const BUNDLE = path.join(BUILD_DIR, 'cli.js');

/** `npm run build:server` as package.json states it, written to BUNDLE instead of dist/server/cli.js. */
function buildServer(): void {
  const scripts = (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const command = scripts['build:server'];
  assert.ok(command?.includes('--outfile=dist/server/cli.js'), 'build:server writes dist/server/cli.js');
  const [program, ...args] = (command ?? '').replace('--outfile=dist/server/cli.js', `--outfile=${BUNDLE}`).split(' ');
  const built = spawnSync(path.join(ROOT, 'node_modules', '.bin', program as string), args, {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, built.stderr);
}

describe('the server build', () => {
  let dataDir: string;
  let databaseUrl: string;
  let dropDatabase = async () => {};

  const environment = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    ...extra,
  });

  const run = (args: string[], extra: Record<string, string> = {}) =>
    spawnSync(process.execPath, [BUNDLE, ...args], { env: environment(extra), encoding: 'utf8' });

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'portico-build-'));
    const database = await emptyDatabase(dataDir);
    databaseUrl = database.url;
    dropDatabase = database.drop;
    buildServer();
  });
  after(async () => {
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(BUILD_DIR, { recursive: true, force: true });
  });

  test('migrates, creates an owner, serves, signs in and answers a PDF, all from the one bundled file', async () => {
    const migrated = run(['migrate']);
    assert.equal(migrated.status, 0, migrated.stderr);
    const created = run(['create-admin', '--org', 'Built Co', '--email', 'owner@built.example'], {
      PORTICO_ADMIN_PASSWORD: 'a long enough chosen password',
    });
    assert.equal(created.status, 0, created.stderr);

    const port = await freePort();
    const child = spawn(process.execPath, [BUNDLE, 'serve', '--no-demo'], {
      env: environment({ PORT: String(port), HOST: '127.0.0.1' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      let health: Response | null = null;
      for (let attempt = 0; attempt < 120 && health === null; attempt++) {
        health = await fetch(`${base}/healthz`).catch(() => null);
        if (health === null) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.equal(health?.status, 200, stderr);

      const signIn = await fetch(`${base}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@built.example', password: 'a long enough chosen password' }),
      });
      assert.equal(signIn.status, 200, stderr);
      const { csrfToken } = (await signIn.json()) as { csrfToken: string };
      const cookie = signIn.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const customer = await fetch(`${base}/api/v1/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify({ displayName: 'Bundled Bakery' }),
      });
      assert.equal(customer.status, 201, await customer.clone().text());
      const { id } = (await customer.json()) as { id: string };
      const pdf = await fetch(`${base}/api/v1/customers/${id}/statement/pdf`, { headers: { cookie } });
      assert.equal(pdf.status, 200, await pdf.clone().text());
      assert.equal(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
        '%PDF-',
      );
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, stderr);
  });
});
