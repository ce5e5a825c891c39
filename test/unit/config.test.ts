import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  const dataDir = () => mkdtempSync(path.join(tmpdir(), 'portico-config-'));

  test('safe defaults: loopback, port 3000, SQLite under DATA_DIR', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, `sqlite:${path.join(dir, 'portico.sqlite')}`);
    assert.equal(config.publicUrl.origin, 'http://127.0.0.1:3000');
    assert.equal(config.sessionIdleMinutes, 30);
    assert.equal(config.sessionAbsoluteHours, 12);
    rmSync(dir, { recursive: true });
  });

  test('in development a secret is generated once and kept under DATA_DIR', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).appSecret;
    assert.ok(first.length >= 32);
    assert.ok(existsSync(path.join(dir, 'app-secret')));
    assert.equal(loadConfig({ DATA_DIR: dir }).appSecret, first);
    assert.equal(readFileSync(path.join(dir, 'app-secret'), 'utf8').trim(), first);
    rmSync(dir, { recursive: true });
  });

  test('production refuses to start without a strong secret (no default secret, ever)', () => {
    const dir = dataDir();
    const production = { DATA_DIR: dir, NODE_ENV: 'production', PUBLIC_URL: 'https://billing.example.com' };
    assert.throws(() => loadConfig(production), ConfigError);
    assert.throws(() => loadConfig({ ...production, APP_SECRET: '' }), ConfigError);
    assert.throws(() => loadConfig({ ...production, APP_SECRET: 'changeme' }), ConfigError);
    assert.throws(() => loadConfig({ ...production, APP_SECRET: 'short-secret' }), ConfigError);
    assert.ok(!existsSync(path.join(dir, 'app-secret')), 'production never generates a secret silently');
    const ok = loadConfig({ ...production, APP_SECRET: 'x'.repeat(20) + 'y'.repeat(20) });
    assert.equal(ok.production, true);
    rmSync(dir, { recursive: true });
  });

  test('invalid values stop the server with a message that says what to fix', () => {
    const dir = dataDir();
    assert.throws(() => loadConfig({ DATA_DIR: dir, PORT: 'eighty' }), /PORT must be a whole number/);
    assert.throws(() => loadConfig({ DATA_DIR: dir, PORT: '70000' }), /PORT must be between/);
    assert.throws(() => loadConfig({ DATA_DIR: dir, DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
    assert.throws(() => loadConfig({ DATA_DIR: dir, PUBLIC_URL: 'not a url' }), /PUBLIC_URL/);
    assert.throws(() => loadConfig({ DATA_DIR: dir, SMTP_URL: 'http://mail' }), /SMTP_URL/);
    assert.throws(
      () =>
        loadConfig({
          DATA_DIR: dir,
          NODE_ENV: 'production',
          APP_SECRET: 'z'.repeat(40),
          PUBLIC_URL: 'http://billing.example.com',
        }),
      /https/,
    );
    rmSync(dir, { recursive: true });
  });

  test('scheduled backups: BACKUP_DIR turns them on, BACKUP_EVERY is read strictly, BACKUP_KEEP defaults to 7', () => {
    const dir = dataDir();
    assert.equal(loadConfig({ DATA_DIR: dir }).backups, null);
    assert.deepEqual(loadConfig({ DATA_DIR: dir, BACKUP_DIR: path.join(dir, 'b') }).backups, {
      dir: path.join(dir, 'b'),
      everyMs: 24 * 3_600_000,
      keep: 7,
    });
    const every = (value: string) =>
      loadConfig({ DATA_DIR: dir, BACKUP_DIR: dir, BACKUP_EVERY: value, BACKUP_KEEP: '3' }).backups;
    assert.equal(every('6h')?.everyMs, 6 * 3_600_000);
    assert.equal(every('30m')?.everyMs, 30 * 60_000);
    assert.equal(every('7d')?.everyMs, 7 * 86_400_000);
    assert.equal(every('6h')?.keep, 3);
    for (const wrong of ['6', '6 h', '6hours', '0h', '1.5h', '-1h', 'h', '6H']) {
      assert.throws(() => every(wrong), /BACKUP_EVERY must be a whole number of minutes, hours or days/, wrong);
    }
    assert.throws(
      () => loadConfig({ DATA_DIR: dir, BACKUP_DIR: dir, BACKUP_KEEP: '0' }),
      /BACKUP_KEEP must be between/,
    );
    assert.throws(() => loadConfig({ DATA_DIR: dir, BACKUP_EVERY: '6h' }), /BACKUP_DIR is not/);
    assert.throws(
      () => loadConfig({ DATA_DIR: dir, BACKUP_DIR: dir, DATABASE_URL: 'postgres://db.example/portico' }),
      /pg_dump/,
    );
    rmSync(dir, { recursive: true });
  });
});
