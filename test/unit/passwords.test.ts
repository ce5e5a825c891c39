import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  hashesInProgress,
  hashPassword,
  MAX_CONCURRENT_HASHES,
  needsRehash,
  verifyPassword,
} from '../../src/auth/passwords.js';

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

  test('verifies, refuses a wrong password, and spends a verification on unknown accounts', async () => {
    const stored = await hashPassword('the right password here');
    assert.equal(await verifyPassword(stored, 'the right password here'), true);
    assert.equal(await verifyPassword(stored, 'the wrong password here'), false);
    assert.equal(await verifyPassword(null, 'the right password here'), false);
    assert.equal(needsRehash(stored), false);
    assert.equal(needsRehash('$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHQ$aGFzaA'), true);
  });
});
