import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('TRUST_PROXY', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'portico-config-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const trusting = (value: string | undefined) => loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: value }).trustProxy;

  test('unset or empty: no proxy is trusted', () => {
    assert.equal(trusting(undefined), false);
    assert.equal(trusting(''), false);
    assert.equal(trusting('  '), false);
  });

  test('a number of hops from 1 to 10', () => {
    assert.equal(trusting('1'), 1);
    assert.equal(trusting('2'), 2);
    assert.equal(trusting('10'), 10);
  });

  test('a list of proxy addresses, networks and named ranges, spaces allowed', () => {
    assert.deepEqual(trusting('10.0.0.0/8'), ['10.0.0.0/8']);
    assert.deepEqual(trusting('127.0.0.1, ::1,172.16.0.0/12 , fd00::/8'), [
      '127.0.0.1',
      '::1',
      '172.16.0.0/12',
      'fd00::/8',
    ]);
    assert.deepEqual(trusting('loopback,uniquelocal,linklocal'), ['loopback', 'uniquelocal', 'linklocal']);
    assert.deepEqual(trusting('192.0.2.1/32,2001:db8::/128'), ['192.0.2.1/32', '2001:db8::/128']);
  });

  test('"trust everything" in any spelling is refused, with what to write instead', () => {
    for (const value of ['true', 'TRUE', '*', 'all', 'yes', '0.0.0.0/0', '::/0', '10.0.0.0/8,0.0.0.0/0']) {
      assert.throws(
        () => trusting(value),
        (error: unknown) =>
          error instanceof ConfigError &&
          /TRUST_PROXY must be a number of proxy hops \(such as 1\) or a comma-separated list/.test(error.message),
        value,
      );
    }
  });

  test('hop counts out of range and malformed entries are refused, naming them', () => {
    assert.throws(() => trusting('0'), /TRUST_PROXY must be a number of proxy hops from 1 to 10.*got 0/);
    assert.throws(() => trusting('11'), /from 1 to 10/);
    assert.throws(() => trusting('99999999999999999999'), /from 1 to 10/);
    assert.throws(() => trusting('-1'), /"-1"/);
    assert.throws(() => trusting('1.5'), /"1\.5"/);
    assert.throws(() => trusting('false'), /"false"/);
    assert.throws(() => trusting('10.0.0.0/33'), /"10\.0\.0\.0\/33"/);
    assert.throws(() => trusting('fd00::/129'), /"fd00::\/129"/);
    assert.throws(() => trusting('10.0.0.0/8/8'), /"10\.0\.0\.0\/8\/8"/);
    assert.throws(() => trusting('10.0.0.0/'), /"10\.0\.0\.0\/"/);
    assert.throws(() => trusting('256.1.1.1'), /"256\.1\.1\.1"/);
    assert.throws(() => trusting('proxy.internal'), /"proxy\.internal"/);
    assert.throws(() => trusting('10.0.0.1,,10.0.0.2'), /""/);
    assert.throws(() => trusting('10.0.0.1;10.0.0.2'), /"10\.0\.0\.1;10\.0\.0\.2"/);
  });
});
