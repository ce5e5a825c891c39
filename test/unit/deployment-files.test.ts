/**
 * The Dockerfile and compose.yaml, checked against what Portico really accepts: the commands the CLI knows, the
 * environment the sources read and the README documents, a configuration `loadConfig` takes. compose.yaml is
 * read with a few structural rules of its own layout (two-space indents, commands as JSON arrays) rather than a
 * YAML library. Where a Docker daemon answers, the image is built and runs `migrate`.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  lines: string[];
  /** The value of a key directly under the service (`build`, `command`, `stop_grace_period`…), unquoted. */
  value(key: string): string | undefined;
  /** The entries of a mapping or list directly under the service (`environment`, `ports`…). */
  block(key: string): string[];
}

const unquote = (value: string) => {
  const trimmed = value.trim();
  return /^"(.*)"$/.exec(trimmed)?.[1] ?? trimmed;
};

/** compose.yaml's services, by name: each service's lines, indented by four spaces below `services:`. */
function composeServices(text: string): Map<string, Service> {
  const services = new Map<string, Service>();
  const lines = text.split('\n');
  const start = lines.indexOf('services:');
  assert.ok(start >= 0, 'compose.yaml has services');
  let current: string[] | null = null;
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const name = /^ {2}([a-z][\w-]*):\s*$/.exec(line)?.[1];
    if (name !== undefined) {
      current = [];
      const own = current;
      services.set(name, {
        lines: own,
        value: (key) => {
          const found = own.find((l) => l.startsWith(`    ${key}:`));
          return found === undefined ? undefined : unquote(found.slice(`    ${key}:`.length));
        },
        block: (key) => {
          const at = own.indexOf(`    ${key}:`);
          if (at < 0) return [];
          const entries: string[] = [];
          for (const l of own.slice(at + 1)) {
            if (!l.startsWith('      ')) break;
            if (/^\s*#/.test(l)) continue;
            if (/^ {6}\S/.test(l)) entries.push(l.trim());
          }
          return entries;
        },
      });
    } else if (current !== null && line.trim() !== '' && !/^\s*#/.test(line)) {
      current.push(line);
    }
  }
  return services;
}

/** A service's environment as written: name → value (quotes removed, `${…}` left for `interpolate`). */
function environmentOf(service: Service): Map<string, string> {
  return new Map(
    service.block('environment').map((entry) => {
      const colon = entry.indexOf(':');
      return [entry.slice(0, colon), unquote(entry.slice(colon + 1))];
    }),
  );
}

/** Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?message}` with the given variables, as `docker compose` does. */
function interpolate(value: string, variables: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::([?-])([^}]*))?\}/g, (_whole, name: string, kind, rest: string) => {
    const given = variables[name];
    if (given !== undefined && given !== '') return given;
    if (kind === '?') throw new Error(`compose refuses to start: ${rest}`);
    return kind === '-' ? rest : '';
  });
}

/** Every environment variable Portico's sources read (`env.NAME`, `env['NAME']`, `intFrom(env, 'NAME', …)`). */
function variablesReadBySources(): Set<string> {
  const names = new Set<string>();
  const files = readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );
  for (const file of files) {
    const text = read(path.join('src', file));
    for (const match of text.matchAll(
      /\benv\.([A-Z][A-Z0-9_]+)|\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]|\(env, '([A-Z][A-Z0-9_]+)'/g,
    )) {
      names.add(match[1] ?? match[2] ?? match[3] ?? '');
    }
  }
  return names;
}

/** The variables of the README's configuration table. */
function variablesInReadme(): Set<string> {
  const readme = read('README.md');
  const table = readme.slice(
    readme.indexOf('## Configuration'),
    readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
  );
  return new Set(
    [...table.matchAll(/^\| `([A-Z_]+)`(?: \/ `([A-Z_]+)`)?/gm)].flatMap((m) =>
      [m[1], m[2]].filter((n) => n !== undefined),
    ),
  );
}

/** `node bin/portico.js` with no command: its usage, which names every command and option the CLI takes. */
function cliUsage(): string {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/portico.js')], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  return run.stderr;
}

const EXAMPLE = {
  POSTGRES_PASSWORD: 'b5a8e0f4c2d19a7e3b6c0d8f',
  PUBLIC_URL: 'https://billing.example.com',
  APP_SECRET: 'k7Qh2VxN9pLw4sRt8yBz3mCd6fGj1nHa5eUo0iXq',
};

describe('compose.yaml', () => {
  const services = composeServices(read('compose.yaml'));
  const web = services.get('web');
  const worker = services.get('worker');
  const db = services.get('db');

  test('the web server, the worker and PostgreSQL; both Portico services built from the Dockerfile here', () => {
    assert.deepEqual([...services.keys()].sort(), ['db', 'web', 'worker']);
    assert.equal(web?.value('build'), '.');
    assert.equal(worker?.value('build'), '.');
    assert.match(db?.value('image') ?? '', /^postgres:\d+/);
  });

  test('each runs a command the CLI and the README know: serve --role web, serve --role worker', () => {
    const usage = cliUsage();
    assert.match(usage, /serve \[--role web\|worker\|all\]/);
    const readme = read('README.md');
    for (const [service, role] of [
      [web, 'web'],
      [worker, 'worker'],
    ] as const) {
      const command = JSON.parse(service?.value('command') ?? 'null') as string[];
      assert.deepEqual(command, ['node', 'bin/portico.js', 'serve', '--role', role]);
      assert.ok(readme.includes(`portico serve --role ${role}`), `the README shows serve --role ${role}`);
    }
  });

  test('every variable set is one Portico reads and the README documents', () => {
    const read = variablesReadBySources();
    const documented = variablesInReadme();
    for (const [name, service] of [
      ['web', web],
      ['worker', worker],
    ] as const) {
      assert.ok(service);
      const names = [...environmentOf(service).keys()];
      assert.ok(names.length > 0);
      for (const variable of names) {
        assert.ok(read.has(variable), `${name}: ${variable} is not read by Portico`);
        assert.ok(documented.has(variable), `${name}: ${variable} is not in the README's configuration table`);
      }
    }
  });

  test('web and worker share the database, the secret and the public address; the database is the db service', () => {
    assert.ok(web && worker && db);
    const webEnv = environmentOf(web);
    const workerEnv = environmentOf(worker);
    for (const shared of ['DATABASE_URL', 'APP_SECRET', 'PUBLIC_URL', 'NODE_ENV']) {
      assert.ok(webEnv.get(shared), shared);
      assert.equal(webEnv.get(shared), workerEnv.get(shared), shared);
    }
    const dbEnv = environmentOf(db);
    const url = new URL(interpolate(webEnv.get('DATABASE_URL') ?? '', EXAMPLE));
    assert.equal(url.protocol, 'postgres:');
    assert.equal(url.hostname, 'db');
    assert.equal(url.username, dbEnv.get('POSTGRES_USER'));
    assert.equal(url.password, interpolate(dbEnv.get('POSTGRES_PASSWORD') ?? '', EXAMPLE));
    assert.equal(url.pathname, `/${dbEnv.get('POSTGRES_DB')}`);
  });

  test('production settings that the configuration accepts, and refuses to start without the secrets', () => {
    assert.ok(web && worker);
    for (const service of [web, worker]) {
      const env = environmentOf(service);
      assert.equal(env.get('NODE_ENV'), 'production');
      const config = loadConfig(
        Object.fromEntries([...env].map(([name, value]) => [name, interpolate(value, EXAMPLE)])),
      );
      assert.equal(config.production, true);
      assert.equal(config.publicUrl.href, 'https://billing.example.com/');
      assert.match(config.databaseUrl, /^postgres:\/\/portico:/);
      for (const required of ['APP_SECRET', 'PUBLIC_URL']) {
        const withoutIt = { ...EXAMPLE, [required]: '' };
        assert.throws(() => interpolate(env.get(required) ?? '', withoutIt), /compose refuses to start/, required);
      }
    }
    const webConfig = loadConfig(
      Object.fromEntries([...environmentOf(web)].map(([name, value]) => [name, interpolate(value, EXAMPLE)])),
    );
    assert.equal(webConfig.host, '0.0.0.0');
    assert.equal(webConfig.trustProxy, 1);
  });

  test('the web port is published on the host loopback only (TRUST_PROXY=1 trusts the proxy there), checked by /readyz', () => {
    assert.ok(web);
    assert.deepEqual(web.block('ports'), ['- "127.0.0.1:3000:3000"']);
    const healthcheck = web.lines.slice(web.lines.indexOf('    healthcheck:') + 1);
    const test = healthcheck.slice(
      0,
      healthcheck.findIndex((l) => /^ {4}\S/.test(l)),
    );
    assert.ok(test.some((l) => l.includes("fetch('http://127.0.0.1:3000/readyz')")));
  });

  test('Docker waits longer than serve does for requests in flight before killing it', () => {
    const grace = Number(/SHUTDOWN_GRACE_MS = ([\d_]+);/.exec(read('src/cli/serve.ts'))?.[1]?.replaceAll('_', ''));
    assert.ok(grace > 0);
    for (const service of [web, worker]) {
      const seconds = Number(/^(\d+)s$/.exec(service?.value('stop_grace_period') ?? '')?.[1]);
      assert.ok(seconds * 1000 > grace, `stop_grace_period ${seconds}s`);
    }
  });
});

describe('compose.yaml, as Docker Compose reads it', () => {
  const compose = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  const noCompose =
    compose.error !== undefined ? 'docker is not installed' : compose.status !== 0 ? 'no docker compose plugin' : false;

  test('docker compose config accepts it with the required variables', { skip: noCompose }, () => {
    const run = (env: Record<string, string>) =>
      spawnSync('docker', ['compose', '--file', path.join(ROOT, 'compose.yaml'), 'config', '--quiet'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      });
    const accepted = run(EXAMPLE);
    assert.equal(accepted.status, 0, accepted.stderr);
    const refused = run({ ...EXAMPLE, APP_SECRET: '' });
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /set APP_SECRET/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));

  test('node:20 Debian images, the README commands, nothing downloaded but npm packages and Debian fonts', () => {
    const bases = instructions.filter((l) => l.startsWith('FROM ')).map((l) => l.split(' ')[1]);
    assert.ok(bases.length > 0);
    for (const base of bases) assert.match(base ?? '', /^node:20-(bookworm|bookworm-slim)$/);
    const runs = instructions.filter((l) => l.startsWith('RUN ')).map((l) => l.slice(4));
    const ci = runs.findIndex((r) => r.startsWith('npm ci'));
    const build = runs.findIndex((r) => r.startsWith('npm run build'));
    assert.ok(ci >= 0 && build > ci, 'npm ci, then npm run build');
    const readme = read('README.md');
    assert.ok(readme.includes('npm ci') && readme.includes('npm run build'));
    assert.doesNotMatch(dockerfile, /\b(curl|wget|git clone)\b|^ADD /m);
    // Debian's packages only, and only the CJK font of Japanese PDFs (docs/languages.md).
    const installs = runs.filter((r) => r.includes('apt-get install'));
    for (const install of installs) {
      const packages = (/apt-get install -y --no-install-recommends ([^&]+)/.exec(install)?.[1] ?? '').trim();
      assert.equal(packages, 'fonts-ipafont-gothic', install);
    }
    assert.ok(instructions.includes('USER node'), 'runs unprivileged');
  });

  test('it starts the server the way the README does', () => {
    const cmd = instructions.find((l) => l.startsWith('CMD '))?.slice(4) ?? 'null';
    assert.deepEqual(JSON.parse(cmd), ['node', 'bin/portico.js', 'serve', '--role', 'all']);
  });

  test('the build context leaves out installed packages, builds and data', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', 'dist', 'data', '.git']) assert.ok(ignored.includes(entry), entry);
  });

  const daemon = spawnSync('docker', ['info'], { encoding: 'utf8' });
  const noDocker =
    daemon.error !== undefined
      ? 'docker is not installed'
      : daemon.status !== 0
        ? `no Docker daemon answers (${daemon.stderr.trim().split('\n').at(-1)})`
        : false;

  test('the image builds, and its server migrates a database', { skip: noDocker, timeout: 30 * 60_000 }, () => {
    const tag = `portico-test:${process.pid}`;
    execFileSync('docker', ['build', '--tag', tag, ROOT], { stdio: 'inherit', timeout: 30 * 60_000 });
    try {
      const migrated = spawnSync(
        'docker',
        [
          'run',
          '--rm',
          '--env',
          `APP_SECRET=${EXAMPLE.APP_SECRET}`,
          '--env',
          `PUBLIC_URL=${EXAMPLE.PUBLIC_URL}`,
          tag,
          'node',
          'bin/portico.js',
          'migrate',
        ],
        { encoding: 'utf8' },
      );
      assert.equal(migrated.status, 0, migrated.stderr);
      assert.match(migrated.stdout, /^Applied \d+ migrations?: 0001_books/);
    } finally {
      spawnSync('docker', ['image', 'rm', '--force', tag]);
    }
  });
});
