import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { safeReturnPath } from '../../src/auth/return-path.js';

describe('the return path after signing in (no open redirect)', () => {
  const home = '/portal/northwind/';

  test('a path inside the same portal is kept', () => {
    assert.equal(
      safeReturnPath('/portal/northwind/invoices/inv_1?x=1#top', home),
      '/portal/northwind/invoices/inv_1?x=1#top',
    );
    assert.equal(safeReturnPath(undefined, home), home);
    assert.equal(safeReturnPath('', home), home);
  });

  test('anything that could leave the portal goes home instead', () => {
    for (const attempt of [
      'https://evil.example/portal/northwind/',
      '//evil.example/portal/northwind/',
      '/\\evil.example',
      '/portal/northwind/\\..\\..\\evil',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/portal/other-company/invoices',
      '/portal/northwind/../other-company/',
      '/portal/northwind/%2e%2e/other-company/',
      '/portal/northwind/\u0000',
      '/portal/northwindx/',
      `/portal/northwind/${'a'.repeat(600)}`,
    ]) {
      const result = safeReturnPath(attempt, home);
      assert.ok(result.startsWith(home), attempt);
      assert.ok(!result.includes('evil') && !result.includes('other-company'), `${attempt} → ${result}`);
    }
  });
});
