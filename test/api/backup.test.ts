/**
 * Backups as people take them: `portico backup`, `restore` and `verify-backup` in child processes beside a real
 * `portico serve` under write load, the restored data served by a second server and compared through the API;
 * and the worker's scheduled backups with their retention. SQLite runs the backup commands; on PostgreSQL
 * (pg_dump and pg_restore, docs/backups.md) `verify-backup` checks a database URL.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppContext } from '../../src/context.js';
import { verifySqliteBackup } from '../../src/db/backups.js';
import { openDatabase } from '../../src/db/database.js';
import { knownMigrations, migrateUpTo } from '../../src/db/migrate.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { freePort, testDialect } from '../support/database.js';
import { createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { PORTICO_BIN, runPortico } from '../support/portico-command.js';

const APP_SECRET = 'backup-test-secret-that-is-long-enough-for-the-check';

const environment = (databaseUrl: string, dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl,
  APP_SECRET,
  LOG_LEVEL: 'warn',
  ...extra,
});

const sqliteUrl = (dataDir: string) => `sqlite:${path.join(dataDir, 'portico.sqlite')}`;

/** `portico serve --role web --no-demo` on a data folder, and a signed-in owner's requests to it. */
class Server {
  private child: ChildProcess | null = null;
  private stderr = '';
  base = '';
  private cookie = '';
  private csrfToken = '';

  async start(dataDir: string): Promise<void> {
    const port = await freePort();
    this.base = `http://127.0.0.1:${port}`;
    this.child = spawn(process.execPath, [PORTICO_BIN, 'serve', '--role', 'web', '--no-demo'], {
      env: environment(sqliteUrl(dataDir), dataDir, { PORT: String(port), PUBLIC_URL: this.base }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    for (let attempt = 0; attempt < 160; attempt++) {
      const health = await fetch(`${this.base}/healthz`).catch(() => null);
      if (health?.status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.fail(`serve did not answer: ${this.stderr}`);
  }

  async signIn(email: string, password: string): Promise<void> {
    const response = await fetch(`${this.base}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    this.cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    this.csrfToken = ((await response.json()) as { csrfToken: string }).csrfToken;
  }

  // biome-ignore lint/suspicious/noExplicitAny: the answers of several routes, read as the test needs
  async call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(`${this.base}${url}`, {
      method,
      headers: {
        cookie: this.cookie,
        'x-csrf-token': this.csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }

  /** Every page of a list, in its order. */
  async all(url: string): Promise<unknown[]> {
    const rows: unknown[] = [];
    let cursor: string | null = null;
    do {
      const separator = url.includes('?') ? '&' : '?';
      const page = await this.call('GET', `${url}${separator}limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(page.status, 200, JSON.stringify(page.json));
      rows.push(...page.json.data);
      cursor = page.json.nextCursor;
    } while (cursor);
    return rows;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

describe('backup, restore and verify-backup on SQLite', {
  skip: testDialect === 'sqlite' ? false : 'SQLite backups are tested in the SQLite run (TEST_DB=sqlite)',
}, () => {
  const folders: string[] = [];
  const folder = (name: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), `portico-${name}-`));
    folders.push(dir);
    return dir;
  };
  let original: string;
  let showcase: { customerId: string; owner: { email: string; password: string } };
  const server = new Server();
  const restored = new Server();

  before(async () => {
    original = folder('backup-original');
    const seeded = await runPortico(['seed', '--demo', '--json'], environment(sqliteUrl(original), original));
    assert.equal(seeded.code, 0, seeded.stderr);
    const demo = JSON.parse(seeded.stdout);
    const northwind = demo.organizations[0];
    showcase = { customerId: northwind.customers[0].id, owner: northwind.users[0] };
    await server.start(original);
    await server.signIn(showcase.owner.email, showcase.owner.password);
  });
  after(async () => {
    await server.stop();
    await restored.stop();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  /** An invoice sent and partly paid, through the business API, again and again until stopped. */
  function writeLoad(writers: number) {
    let stopped = false;
    let done = 0;
    const errors: string[] = [];
    const writer = async () => {
      while (!stopped) {
        const invoice = await server.call('POST', '/api/v1/invoices', {
          customerId: showcase.customerId,
          lines: [{ name: 'Backup-time work', quantity: '1', rate: 10000 }],
        });
        if (invoice.status !== 201) errors.push(JSON.stringify(invoice.json));
        const sent = await server.call('POST', `/api/v1/invoices/${invoice.json.id}/send`);
        if (sent.status !== 200) errors.push(JSON.stringify(sent.json));
        const payment = await server.call('POST', '/api/v1/payments', {
          customerId: showcase.customerId,
          date: '2026-03-14',
          amount: 4000,
          mode: 'bank_transfer',
          allocations: [{ invoiceId: invoice.json.id, amount: 4000 }],
        });
        if (payment.status !== 201) errors.push(JSON.stringify(payment.json));
        done += 1;
      }
    };
    const running = Promise.all(Array.from({ length: writers }, writer));
    return {
      done: () => done,
      stop: async () => {
        stopped = true;
        await running;
        assert.deepEqual(errors, []);
      },
    };
  }

  const views = async (on: Server) => ({
    customers: await on.all('/api/v1/customers'),
    invoices: await on.all('/api/v1/invoices'),
    estimates: await on.all('/api/v1/estimates'),
    payments: await on.all('/api/v1/payments'),
    statement: (
      await on.call('GET', `/api/v1/customers/${showcase.customerId}/statement?from=2020-01-01&to=2030-12-31`)
    ).json,
  });

  test('a backup taken while the server writes verifies, and restores into a fresh data folder that serves it', async () => {
    const invoicesBefore = (await server.all('/api/v1/invoices')).length;
    const load = writeLoad(3);
    while (load.done() < 5) await new Promise((resolve) => setTimeout(resolve, 20));
    const backup = path.join(folder('backup-files'), 'during-writes.sqlite');
    const before = load.done();
    const taken = await runPortico(['backup', '--to', backup], environment(sqliteUrl(original), original));
    const during = load.done() - before;
    await load.stop();
    const invoicesAfter = (await server.all('/api/v1/invoices')).length;
    assert.equal(taken.code, 0, taken.stderr);
    assert.equal(taken.stdout.trim(), backup);
    assert.ok(during > 0, 'writes went on while the backup command ran');
    assert.deepEqual(
      readdirSync(path.dirname(backup)),
      ['during-writes.sqlite'],
      'no partial file is left beside the backup',
    );

    const verified = await runPortico(['verify-backup', backup], environment(sqliteUrl(original), original));
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /^invoices\s+\d+$/m);
    assert.match(verified.stderr, /the books reconcile/);

    const fresh = folder('backup-restored-during');
    const restoredOutcome = await runPortico(['restore', backup], environment(sqliteUrl(fresh), fresh));
    assert.equal(restoredOutcome.code, 0, restoredOutcome.stderr);
    await restored.start(fresh);
    await restored.signIn(showcase.owner.email, showcase.owner.password);
    // A moment between the first writes and the last: some of the invoices written, not necessarily all.
    const invoices = (await restored.all('/api/v1/invoices')).length;
    assert.ok(
      invoices >= invoicesBefore + 5 && invoices <= invoicesAfter,
      `${invoicesBefore} ≤ ${invoices} ≤ ${invoicesAfter}`,
    );
    await restored.stop();
  });

  test('with writes stopped, the restored server answers the same lists and statement as the original', async () => {
    const load = writeLoad(2);
    while (load.done() < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    await load.stop();
    const expected = await views(server);
    assert.ok((expected.invoices as unknown[]).length > 20);

    const backup = path.join(folder('backup-quiet'), 'quiet.sqlite');
    const taken = await runPortico(['backup', '--to', backup], environment(sqliteUrl(original), original));
    assert.equal(taken.code, 0, taken.stderr);

    const fresh = folder('backup-restored-quiet');
    const outcome = await runPortico(['restore', backup], environment(sqliteUrl(fresh), fresh));
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stderr, /Restored .* \d+ invoices/);
    await restored.start(fresh);
    await restored.signIn(showcase.owner.email, showcase.owner.password);
    assert.deepEqual(await views(restored), expected);
    await restored.stop();

    // The restored folder holds data now: restoring again is refused without --force, and leaves it alone.
    const again = await runPortico(['restore', backup], environment(sqliteUrl(fresh), fresh));
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Nothing was restored: .* holds 2 organization\(s\).*--force/);
    const forced = await runPortico(['restore', backup, '--force'], environment(sqliteUrl(fresh), fresh));
    assert.equal(forced.code, 0, forced.stderr);
  });

  test('backup without --to writes DATA_DIR/backups/portico-<UTC time>.sqlite', async () => {
    const taken = await runPortico(['backup'], environment(sqliteUrl(original), original));
    assert.equal(taken.code, 0, taken.stderr);
    const file = taken.stdout.trim();
    assert.equal(path.dirname(file), path.join(original, 'backups'));
    assert.match(path.basename(file), /^portico-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.sqlite$/);
  });

  test('verify-backup rejects a truncated file, a file that is not a database and a missing one, clearly', async () => {
    const dir = folder('backup-damaged');
    const backup = path.join(dir, 'whole.sqlite');
    assert.equal((await runPortico(['backup', '--to', backup], environment(sqliteUrl(original), original))).code, 0);
    const bytes = readFileSync(backup);
    const cases = {
      'truncated.sqlite': bytes.subarray(0, Math.floor(bytes.length / 2)),
      'header-only.sqlite': bytes.subarray(0, 100),
      'not-a-database.sqlite': Buffer.from('invoices,payments\n1,2\n'),
    };
    for (const [name, content] of Object.entries(cases)) {
      writeFileSync(path.join(dir, name), content);
      const outcome = await runPortico(
        ['verify-backup', path.join(dir, name)],
        environment(sqliteUrl(original), original),
      );
      assert.equal(outcome.code, 1, name);
      assert.match(outcome.stderr, /^portico: .* is not a usable backup\. /, name);
      assert.doesNotMatch(outcome.stderr, /\n\s+at /, `${name}: a message, not a stack`);
      assert.equal(outcome.stderr.trim().split('\n').length, 1, name);
    }
    const missing = await runPortico(
      ['verify-backup', path.join(dir, 'nothing-here.sqlite')],
      environment(sqliteUrl(original), original),
    );
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /There is no file at/);

    // Restore verifies first: a damaged backup never reaches the database.
    const fresh = folder('backup-refused');
    const refused = await runPortico(
      ['restore', path.join(dir, 'truncated.sqlite')],
      environment(sqliteUrl(fresh), fresh),
    );
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Nothing was restored/);
    assert.deepEqual(
      readdirSync(fresh).filter((f) => f.startsWith('portico.sqlite')),
      [],
    );
  });

  test('the upgrade path: a backup of an older version verifies, and restore brings its schema up to date', async () => {
    const known = knownMigrations();
    const previous = known.at(-2);
    const latest = known.at(-1);
    assert.ok(previous && latest);
    const dir = folder('backup-older');
    const older = path.join(dir, 'older.sqlite');
    const db = openDatabase(`sqlite:${older}`);
    await migrateUpTo(db, previous);
    await db.close();

    const verified = await runPortico(['verify-backup', older], environment(sqliteUrl(original), original));
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stderr, new RegExp(`schema is older than this version's: restoring applies ${latest}`));
    const fresh = folder('backup-upgraded');
    const restoredOlder = await runPortico(['restore', older], environment(sqliteUrl(fresh), fresh));
    assert.equal(restoredOlder.code, 0, restoredOlder.stderr);
    assert.match(restoredOlder.stderr, new RegExp(`Brought its schema up to date: ${latest}\\.`));
    const migrated = await runPortico(['migrate'], environment(sqliteUrl(fresh), fresh));
    assert.equal(migrated.stdout, 'The database is up to date.\n');
  });

  test('verify-backup rejects books that do not reconcile, and a backup from a newer Portico', async () => {
    const dir = folder('backup-tampered');
    const backup = path.join(dir, 'tampered.sqlite');
    assert.equal((await runPortico(['backup', '--to', backup], environment(sqliteUrl(original), original))).code, 0);
    const { default: SQLite } = await import('better-sqlite3');
    const file = new SQLite(backup);
    const { number } = file
      .prepare(
        `UPDATE invoices SET balance = balance + 1
          WHERE id = (SELECT id FROM invoices WHERE status = 'sent' ORDER BY id LIMIT 1) RETURNING number`,
      )
      .get() as { number: string };
    // The figures are kept by triggers (which followed the balance above); a wrong one is changed by hand.
    file
      .prepare(
        'UPDATE customer_monthly_totals SET paid = paid + 1 WHERE rowid = (SELECT min(rowid) FROM customer_monthly_totals)',
      )
      .run();
    file.close();
    const wrong = await runPortico(['verify-backup', backup], environment(sqliteUrl(original), original));
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, new RegExp(`The books do not reconcile: 1 invoice\\(s\\) whose balance .*${number}`));
    assert.match(wrong.stderr, /customer_monthly_totals: 1 row\(s\) differ/);

    const newer = path.join(dir, 'newer.sqlite');
    assert.equal((await runPortico(['backup', '--to', newer], environment(sqliteUrl(original), original))).code, 0);
    const later = new SQLite(newer);
    later.prepare(`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01')`).run();
    later.close();
    const refused = await runPortico(['verify-backup', newer], environment(sqliteUrl(original), original));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /made by a newer Portico .*9999_from_the_future/);
  });
});

describe('scheduled backups', {
  skip: testDialect === 'sqlite' ? false : 'scheduled backups are for SQLite (tested in the SQLite run)',
}, () => {
  let harness: Harness;
  let backupDir: string;
  before(async () => {
    harness = await startHarness({ now: '2026-05-01T09:00:00.000Z' });
    backupDir = path.join(harness.database.dataDir, 'scheduled');
  });
  after(() => harness.close());

  test('the worker takes a backup every BACKUP_EVERY and keeps the newest BACKUP_KEEP', async () => {
    const ctx: AppContext = {
      ...harness.ctx,
      config: { ...harness.ctx.config, backups: { dir: backupDir, everyMs: 6 * 3_600_000, keep: 3 } },
    };
    mkdirSync(backupDir, { recursive: true });
    writeFileSync(path.join(backupDir, 'notes.txt'), 'not a backup: never counted nor removed');
    const scheduler = startScheduler(ctx, { intervalMs: 3_600_000, logger: { info: () => {}, error: () => {} } });
    const runAt = async (iso: string) => {
      harness.clock.now = new Date(iso);
      await scheduler.runNow();
    };
    try {
      await runAt('2026-05-01T09:00:00.000Z');
      await runAt('2026-05-01T10:00:00.000Z'); // one hour later: not due
      await runAt('2026-05-01T15:00:00.000Z');
      await runAt('2026-05-01T21:00:00.000Z');
      await runAt('2026-05-02T03:00:00.000Z');
      await runAt('2026-05-02T08:59:00.000Z'); // 5 h 59 min after the last: not due
      await runAt('2026-05-02T09:00:00.000Z');
    } finally {
      await scheduler.stop();
    }
    assert.deepEqual(readdirSync(backupDir).sort(), [
      'notes.txt',
      'portico-2026-05-01T21-00-00-000Z.sqlite',
      'portico-2026-05-02T03-00-00-000Z.sqlite',
      'portico-2026-05-02T09-00-00-000Z.sqlite',
    ]);
    const newest = await verifySqliteBackup(path.join(backupDir, 'portico-2026-05-02T09-00-00-000Z.sqlite'));
    assert.deepEqual(newest.problems, []);
    assert.equal(newest.ok, true);
  });

  test('without BACKUP_DIR the job takes none', async () => {
    const before = readdirSync(harness.database.dataDir).sort();
    const scheduler = startScheduler(harness.ctx, {
      intervalMs: 3_600_000,
      logger: { info: () => {}, error: () => {} },
    });
    await scheduler.runNow();
    await scheduler.stop();
    assert.deepEqual(readdirSync(harness.database.dataDir).sort(), before);
  });
});

describe('backups on PostgreSQL', {
  skip: testDialect === 'postgres' ? false : 'PostgreSQL backups are tested in the PostgreSQL run (TEST_DB=postgres)',
}, () => {
  test('verify-backup checks a database URL; backup and restore point to pg_dump and pg_restore', async () => {
    const harness = await startHarness();
    const dataDir = harness.database.dataDir;
    try {
      const owner = await createOrgAndSignIn(harness);
      const post = async (url: string, payload?: object) => {
        const response = await owner.request({ method: 'POST', url, payload });
        assert.ok(response.statusCode < 300, response.body);
        return response.json();
      };
      const customer = await post('/api/v1/customers', { displayName: 'Acme' });
      const invoice = await post('/api/v1/invoices', {
        customerId: customer.id,
        lines: [{ name: 'Work', quantity: '1', rate: 10000 }],
      });
      await post(`/api/v1/invoices/${invoice.id}/send`);
      await post('/api/v1/payments', {
        customerId: customer.id,
        date: '2026-03-14',
        amount: 4000,
        mode: 'bank_transfer',
        allocations: [{ invoiceId: invoice.id, amount: 4000 }],
      });
      const verified = await runPortico(
        ['verify-backup', harness.database.url],
        environment(harness.database.url, dataDir),
      );
      assert.equal(verified.code, 0, verified.stderr);
      assert.match(verified.stdout, /^organizations\s+1$/m);
      assert.match(verified.stdout, /^customer_payments\s+1$/m);

      await harness.ctx.db.kysely
        .updateTable('customerMonthlyTotals')
        .set((eb) => ({ paid: eb('paid', '+', 1) }))
        .execute();
      const wrong = await runPortico(
        ['verify-backup', harness.database.url],
        environment(harness.database.url, dataDir),
      );
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /customer_monthly_totals: 1 row\(s\) differ/);

      const backup = await runPortico(['backup'], environment(harness.database.url, dataDir));
      assert.equal(backup.code, 1);
      assert.match(backup.stderr, /pg_dump --format=custom/);
      const restore = await runPortico(['restore', 'portico.dump'], environment(harness.database.url, dataDir));
      assert.equal(restore.code, 1);
      assert.match(restore.stderr, /pg_restore/);
    } finally {
      await harness.close();
    }
  });
});
