import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  hashesComputed,
  hashesInProgress,
  hashPassword,
  MAX_CONCURRENT_HASHES,
  MAX_WAITING_HASHES,
  needsRehash,
  verifyPassword,
} from '../../src/auth/passwords.js';
import { AppError } from '../../src/domain/errors.js';

describe('password hashing', () => {
  test('a flood of hashes runs at most MAX_CONCURRENT_HASHES at once, and all of them finish', async () => {
    let peak = 0;
    let done = false;
    const sample = async () => {
      while (!done) {
        peak = Math.max(peak, hashesInProgress());
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const sampler = sample();
    const hashes = await Promise.all(Array.from({ length: 12 }, (_, i) => hashPassword(`flood password number ${i}`)));
    done = true;
    await sampler;
    assert.equal(hashes.length, 12);
    assert.ok(peak >= 1 && peak <= MAX_CONCURRENT_HASHES, `peak ${peak}`);
    assert.equal(hashesInProgress(), 0);
  });

  test('past the waiting bound, a hash is refused at once: 503 busy, Retry-After 1 s, nothing computed', async () => {
    const before = hashesComputed();
    const total = MAX_CONCURRENT_HASHES + MAX_WAITING_HASHES + 6;
    const results = await Promise.allSettled(
      Array.from({ length: total }, (_, i) => hashPassword(`queued password number ${i}`)),
    );
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
    assert.equal(refused.length, 6);
    for (const reason of refused) {
      assert.ok(reason instanceof AppError);
      assert.equal(reason.code, 'busy');
      assert.equal(reason.status, 503);
      assert.equal(reason.retryAfterSeconds, 1);
    }
    assert.equal(hashesComputed() - before, total - 6);
    assert.equal(hashesInProgress(), 0);
  });

  test('verifies, refuses a wrong password, and spends a verification on unknown accounts', async () => {
    const stored = await hashPassword('the right password here');
    assert.equal(await verifyPassword(stored, 'the right password here'), true);
    assert.equal(await verifyPassword(stored, 'the wrong password here'), false);
    assert.equal(await verifyPassword(null, 'the right password here'), false);
    assert.equal(needsRehash(stored), false);
    assert.equal(needsRehash('$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHQ$aGFzaA'), true);
  });
});
