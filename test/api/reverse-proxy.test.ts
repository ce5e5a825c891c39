/**
 * The nginx and Caddy configurations of docs/deployment.md, run for real in front of `portico serve`: TLS, the
 * redirect from http, the client address Portico sees (TRUST_PROXY=127.0.0.1, as the document says) and the live
 * stream delivered as it is written. Only the ports, the certificate (self-signed, made here) and the upstream's
 * port are changed. Without a proxy's program (Debian's `nginx`, `caddy`) or openssl its checks report themselves
 * skipped, with the reason.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const installed = (tool: string, versionArgs: string[]) => spawnSync(tool, versionArgs).error === undefined;
const skipUnless = (tool: string, versionArgs: string[]) =>
  !installed('openssl', ['version'])
    ? 'openssl is not installed'
    : !installed(tool, versionArgs)
      ? `${tool} is not installed (Debian: apt-get install ${tool})`
      : false;

/** A configuration block of docs/deployment.md, as written there. */
function documented(language: 'nginx' | 'caddy'): string {
  const doc = readFileSync(path.join(ROOT, 'docs/deployment.md'), 'utf8');
  const block = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(doc)?.[1];
  assert.ok(block, `docs/deployment.md shows a ${language} configuration`);
  return block;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Site {
  dir: string;
  upstream: number;
  httpPort: number;
  httpsPort: number;
  cert: string;
  key: string;
}

/** The documented proxies, each given its ports and certificate: its configuration file and how to start it. */
const PROXIES = {
  nginx: {
    skip: skipUnless('nginx', ['-v']),
    redirect: 301,
    start(site: Site): ChildProcess {
      const config = documented('nginx')
        .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${site.upstream};`)
        .replace('listen 80;', `listen 127.0.0.1:${site.httpPort};`)
        .replace('listen 443 ssl http2;', `listen 127.0.0.1:${site.httpsPort} ssl http2;`)
        .replace(/^\s*listen \[::\]:.*$/gm, '')
        .replace('/etc/letsencrypt/live/billing.example.com/fullchain.pem', site.cert)
        .replace('/etc/letsencrypt/live/billing.example.com/privkey.pem', site.key);
      const file = path.join(site.dir, 'nginx.conf');
      writeFileSync(
        file,
        [
          // As root, nginx's workers would run as nobody, who may not write the temporary folders here.
          process.getuid?.() === 0 ? 'user root;' : '',
          `pid ${path.join(site.dir, 'nginx.pid')};`,
          `error_log ${path.join(site.dir, 'nginx-error.log')};`,
          'events {}',
          'http {',
          'access_log off;',
          ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
            (name) => `${name}_temp_path ${path.join(site.dir, name)};`,
          ),
          config,
          '}',
        ].join('\n'),
      );
      return spawn('nginx', ['-p', site.dir, '-c', file, '-g', 'daemon off;']);
    },
  },
  caddy: {
    skip: skipUnless('caddy', ['version']),
    redirect: 308,
    start(site: Site): ChildProcess {
      const config = documented('caddy')
        .replace('billing.example.com {', `billing.example.com {\n\ttls ${site.cert} ${site.key}`)
        .replace('reverse_proxy 127.0.0.1:3000', `reverse_proxy 127.0.0.1:${site.upstream}`);
      const file = path.join(site.dir, 'Caddyfile');
      const storage = path.join(site.dir, 'caddy');
      mkdirSync(storage);
      writeFileSync(
        file,
        [
          '{',
          '\tadmin off',
          // The live-stream test's connection would otherwise hold caddy's shutdown for a minute.
          '\tgrace_period 1s',
          `\thttp_port ${site.httpPort}`,
          `\thttps_port ${site.httpsPort}`,
          `\tstorage file_system ${storage}`,
          '}',
          config,
        ].join('\n'),
      );
      return spawn('caddy', ['run', '--config', file, '--adapter', 'caddyfile'], {
        env: { PATH: process.env.PATH, HOME: storage, XDG_DATA_HOME: storage, XDG_CONFIG_HOME: storage },
      });
    },
  },
};

for (const [name, proxy] of Object.entries(PROXIES)) {
  describe(`the documented ${name} in front of portico serve`, { skip: proxy.skip }, () => {
    let site: Site;
    let database: { url: string; drop(): Promise<void> };
    const children: ChildProcess[] = [];
    let ca: Buffer;
    let logs = '';

    /** A request over TLS from CLIENT, by the name the certificate and the configuration carry; the whole answer. */
    const request = (
      pathname: string,
      options: { method?: string; headers?: Record<string, string>; body?: string } = {},
    ): Promise<Answer> =>
      new Promise((resolve, reject) => {
        const outgoing = https.request(
          {
            host: '127.0.0.1',
            port: site.httpsPort,
            path: pathname,
            method: options.method ?? 'GET',
            servername: 'billing.example.com',
            ca,
            localAddress: CLIENT,
            headers: { host: `billing.example.com:${site.httpsPort}`, ...options.headers },
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
    const cookieOf = (answer: Answer) => (answer.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

    before(async () => {
      const dir = mkdtempSync(path.join(tmpdir(), `portico-${name}-`));
      database = await emptyDatabase(dir);
      site = {
        dir,
        upstream: await freePort(),
        httpPort: await freePort(),
        httpsPort: await freePort(),
        cert: path.join(dir, 'cert.pem'),
        key: path.join(dir, 'key.pem'),
      };
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: dir,
        DATABASE_URL: database.url,
        HOST: '127.0.0.1',
        PORT: String(site.upstream),
        PUBLIC_URL: `https://billing.example.com:${site.httpsPort}`,
        TRUST_PROXY: '127.0.0.1',
        LOG_LEVEL: 'warn',
      };
      const admin = spawnSync(process.execPath, [BIN, 'create-admin', '--org', 'Acme', '--email', OWNER.email], {
        env: { ...env, PORTICO_ADMIN_PASSWORD: OWNER.password },
        encoding: 'utf8',
      });
      assert.equal(admin.status, 0, admin.stderr);

      const subject = ['-subj', '/CN=billing.example.com', '-addext', 'subjectAltName=DNS:billing.example.com'];
      const pair = spawnSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          ...subject,
          '-keyout',
          site.key,
          '-out',
          site.cert,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(pair.status, 0, pair.stderr);
      ca = readFileSync(site.cert);

      children.push(spawn(process.execPath, [BIN, 'serve', '--role', 'web', '--no-demo'], { env }));
      children.push(proxy.start(site));
      for (const child of children) {
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
      assert.equal(ready?.status, 200, `not ready through ${name}: ${logs}`);
    });

    after(async () => {
      for (const child of children.reverse()) {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.on('close', resolve));
          child.kill('SIGTERM');
          await exited;
        }
      }
      await database?.drop();
      if (site) rmSync(site.dir, { recursive: true, force: true });
    });

    test('http redirects to https; Portico answers over TLS with its own security headers, once', async () => {
      const redirect = await new Promise<http.IncomingMessage>((resolve, reject) =>
        http
          .get(
            { host: '127.0.0.1', port: site.httpPort, path: '/app/', headers: { host: 'billing.example.com' } },
            resolve,
          )
          .on('error', reject),
      );
      redirect.resume();
      assert.equal(redirect.statusCode, proxy.redirect);
      assert.match(String(redirect.headers.location), /^https:\/\/billing\.example\.com(:\d+)?\/app\/$/);

      const ready = await request('/readyz');
      assert.deepEqual(JSON.parse(ready.body), { status: 'ready' });
      assert.equal(ready.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      assert.match(String(ready.headers['content-security-policy']), /^default-src 'self'/);
    });

    test('the audit log records the client the proxy saw, not an address the client wrote', async () => {
      const failed = await signIn('not the password', '203.0.113.99');
      assert.equal(failed.status, 401, failed.body);
      const owner = await signIn(OWNER.password);
      assert.equal(owner.status, 200, owner.body);
      const log = await request('/api/v1/audit-log?event=business.login_failed', {
        headers: { cookie: cookieOf(owner) },
      });
      assert.equal(log.status, 200, log.body);
      assert.deepEqual(
        (JSON.parse(log.body) as { data: Array<{ ip: string }> }).data.map((e) => e.ip),
        [CLIENT],
      );
    });

    test('the live stream comes through as it is written, uncompressed', async () => {
      const owner = await signIn(OWNER.password);
      const firstBytes = await new Promise<string>((resolve, reject) => {
        const stream = https.get(
          {
            host: '127.0.0.1',
            port: site.httpsPort,
            path: '/api/v1/portal-activity/stream',
            servername: 'billing.example.com',
            ca,
            headers: {
              host: `billing.example.com:${site.httpsPort}`,
              cookie: cookieOf(owner),
              'accept-encoding': 'gzip, zstd',
            },
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
        // Its first line is written at once and the next only after 2 s (a poll) or 15 s (a heartbeat): a proxy
        // that buffered or compressed it would hold it back.
        setTimeout(() => reject(new Error('nothing came through within 1.5 s: the stream is held back')), 1_500);
      });
      assert.match(firstBytes, /^retry: 3000\n\n/);
    });
  });
}
