/**
 * The nginx configuration of docs/deployment.md, run for real in front of `portico serve`: TLS, the redirect from
 * http, the client address Portico sees (TRUST_PROXY=127.0.0.1, as the document says), and the live stream
 * delivered unbuffered. Only the ports, the certificate (self-signed, made here) and the upstream's port are
 * changed. Without nginx (Debian's package) or openssl the test reports itself skipped, with the reason.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { emptyDatabase, freePort } from '../support/database.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/portico.js');
const OWNER = { email: 'owner@acme.example', password: 'a long enough owner password' };
/** The client's address: on the loopback, but not the proxy's own 127.0.0.1. */
const CLIENT = '127.0.0.2';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const missing = (['nginx', 'openssl'] as const).filter(
  (tool) => spawnSync(tool, tool === 'nginx' ? ['-v'] : ['version']).error !== undefined,
);
const skip = missing.length > 0 ? `${missing.join(' and ')} not installed (Debian: apt-get install nginx)` : false;

/** The document's nginx configuration, as written in docs/deployment.md. */
function documentedNginx(): string {
  const doc = readFileSync(path.join(ROOT, 'docs/deployment.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'docs/deployment.md shows an nginx configuration');
  return block;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('the documented nginx in front of portico serve', { skip }, () => {
  let dir: string;
  let database: { url: string; drop(): Promise<void> };
  let portico: ChildProcess;
  let nginx: ChildProcess;
  let ca: Buffer;
  let httpPort: number;
  let httpsPort: number;
  let logs = '';

  /** A request to nginx over TLS from CLIENT; the whole answer. */
  const request = (
    pathname: string,
    options: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const outgoing = https.request(
        {
          host: '127.0.0.1',
          port: httpsPort,
          path: pathname,
          method: options.method ?? 'GET',
          servername: 'localhost',
          ca,
          localAddress: CLIENT,
          headers: { host: 'localhost', ...options.headers },
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(options.body);
    });

  const signIn = async (password: string, forwardedFor?: string) =>
    request('/api/v1/session', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
      },
      body: JSON.stringify({ email: OWNER.email, password }),
    });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portico-nginx-'));
    database = await emptyDatabase(dir);
    const [upstream, plain, secure] = [await freePort(), await freePort(), await freePort()];
    httpPort = plain;
    httpsPort = secure;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dir,
      DATABASE_URL: database.url,
      HOST: '127.0.0.1',
      PORT: String(upstream),
      PUBLIC_URL: `https://localhost:${httpsPort}`,
      TRUST_PROXY: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const admin = spawnSync(process.execPath, [BIN, 'create-admin', '--org', 'Acme', '--email', OWNER.email], {
      env: { ...env, PORTICO_ADMIN_PASSWORD: OWNER.password },
      encoding: 'utf8',
    });
    assert.equal(admin.status, 0, admin.stderr);

    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { encoding: 'utf8' },
    );
    assert.equal(made.status, 0, made.stderr);
    ca = readFileSync(path.join(dir, 'cert.pem'));

    const site = documentedNginx()
      .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${upstream};`)
      .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
      .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
      .replace(/^\s*listen \[::\]:.*$/gm, '')
      .replace('/etc/letsencrypt/live/billing.example.com/fullchain.pem', path.join(dir, 'cert.pem'))
      .replace('/etc/letsencrypt/live/billing.example.com/privkey.pem', path.join(dir, 'key.pem'));
    const temporary = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
    writeFileSync(
      path.join(dir, 'nginx.conf'),
      [
        // As root, nginx's workers would run as nobody, who may not write the temporary folders here.
        process.getuid?.() === 0 ? 'user root;' : '',
        `pid ${path.join(dir, 'nginx.pid')};`,
        `error_log ${path.join(dir, 'nginx-error.log')};`,
        'events {}',
        'http {',
        'access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temporary),
        site,
        '}',
      ].join('\n'),
    );

    portico = spawn(process.execPath, [BIN, 'serve', '--role', 'web', '--no-demo'], { env });
    nginx = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;']);
    for (const child of [portico, nginx]) {
      child.stdout?.resume();
      child.stderr?.on('data', (chunk: Buffer) => {
        logs += chunk.toString();
      });
    }
    let ready: Answer | null = null;
    for (let attempt = 0; attempt < 240 && ready?.status !== 200; attempt++) {
      ready = await request('/readyz').catch(() => null);
      if (ready?.status !== 200) await sleep(250);
    }
    assert.equal(ready?.status, 200, `not ready through nginx: ${logs}`);
  });

  after(async () => {
    for (const child of [nginx, portico]) {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('close', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('http redirects to https; Portico answers over TLS with its own security headers, once', async () => {
    const redirect = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port: httpPort, path: '/app/', headers: { host: 'billing.example.com' } }, resolve)
        .on('error', reject),
    );
    redirect.resume();
    assert.equal(redirect.statusCode, 301);
    assert.equal(redirect.headers.location, 'https://billing.example.com/app/');

    const ready = await request('/readyz');
    assert.deepEqual(JSON.parse(ready.body), { status: 'ready' });
    assert.equal(ready.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    assert.match(String(ready.headers['content-security-policy']), /^default-src 'self'/);
  });

  test('the audit log records the client nginx saw, not an address the client wrote', async () => {
    const failed = await signIn('not the password', '203.0.113.99');
    assert.equal(failed.status, 401, failed.body);
    const owner = await signIn(OWNER.password);
    assert.equal(owner.status, 200, owner.body);
    const cookie = (owner.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const log = await request('/api/v1/audit-log?event=business.login_failed', { headers: { cookie } });
    assert.equal(log.status, 200, log.body);
    assert.deepEqual(
      (JSON.parse(log.body) as { data: Array<{ ip: string }> }).data.map((e) => e.ip),
      [CLIENT],
    );
  });

  test('the live stream comes through as it is written', async () => {
    const owner = await signIn(OWNER.password);
    const cookie = (owner.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const firstBytes = await new Promise<string>((resolve, reject) => {
      const stream = https.get(
        {
          host: '127.0.0.1',
          port: httpsPort,
          path: '/api/v1/portal-activity/stream',
          servername: 'localhost',
          ca,
          headers: { host: 'localhost', cookie },
        },
        (response) => {
          assert.equal(response.statusCode, 200);
          assert.match(String(response.headers['content-type']), /^text\/event-stream/);
          assert.equal(response.headers['content-encoding'], undefined);
          response.setEncoding('utf8');
          response.once('data', (chunk: string) => {
            resolve(chunk);
            stream.destroy();
          });
        },
      );
      stream.on('error', reject);
      // Its first line is written at once and the next only after 2 s (a poll) or 15 s (a heartbeat): a proxy that
      // buffered would hold it back.
      setTimeout(() => reject(new Error('nothing came through within 1.5 s: the stream is buffered')), 1_500);
    });
    assert.match(firstBytes, /^retry: 3000\n\n/);
  });
});
