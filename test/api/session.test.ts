import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type Actor,
  createOrgAndSignIn,
  type Harness,
  OWNER_PASSWORD,
  signIn,
  startHarness,
} from '../support/harness.js';

describe('business sign-in, sessions, users and API keys', () => {
  let harness: Harness;
  let owner: Actor;
  let other: Actor;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { ownerEmail: 'boss@example.com' });
    other = await createOrgAndSignIn(harness);
  });
  after(() => harness.close());

  const login = (email: string, password: string) =>
    harness.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });

  test('a wrong password and an unknown e-mail get the same answer', async () => {
    const wrong = await login('boss@example.com', 'not the password at all');
    const unknown = await login('nobody@example.com', 'not the password at all');
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
    assert.equal(wrong.cookies.length, 0);
  });

  test('signing in sets an HttpOnly SameSite cookie and returns the identity with a CSRF token', async () => {
    const response = await login('boss@example.com', OWNER_PASSWORD);
    assert.equal(response.statusCode, 200);
    const cookie = response.cookies[0];
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.path, '/');
    assert.ok(cookie.value.length >= 43, 'at least 256 bits');
    const body = response.json();
    assert.equal(body.user.email, 'boss@example.com');
    assert.equal(body.user.role, 'owner');
    assert.ok(body.csrfToken.length >= 22);
    const again = await login('boss@example.com', OWNER_PASSWORD);
    assert.notEqual(again.cookies[0]?.value, cookie.value, 'a new session id at every sign-in');
  });

  test('signing out ends the session: the old cookie is refused', async () => {
    const response = await login('boss@example.com', OWNER_PASSWORD);
    const cookie = `${response.cookies[0]?.name}=${response.cookies[0]?.value}`;
    const csrf = response.json().csrfToken;
    const out = await harness.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    assert.equal(out.statusCode, 204);
    const after = await harness.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    assert.equal(after.statusCode, 401);
  });

  test('sessions end after 30 idle minutes and after 12 hours in any case', async () => {
    const start = harness.clock.now;
    try {
      const idle = await signIn(harness, 'boss@example.com', OWNER_PASSWORD, owner);
      harness.clock.now = new Date(start.getTime() + 29 * 60_000);
      assert.equal((await idle.request({ method: 'GET', url: '/api/v1/session' })).statusCode, 200);
      harness.clock.now = new Date(start.getTime() + 29 * 60_000 + 31 * 60_000);
      assert.equal((await idle.request({ method: 'GET', url: '/api/v1/session' })).statusCode, 401);

      harness.clock.now = start;
      const busy = await signIn(harness, 'boss@example.com', OWNER_PASSWORD, owner);
      for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
        harness.clock.now = new Date(start.getTime() + minutes * 60_000);
        assert.equal((await busy.request({ method: 'GET', url: '/api/v1/session' })).statusCode, 200);
      }
      harness.clock.now = new Date(start.getTime() + 12 * 60 * 60_000);
      assert.equal((await busy.request({ method: 'GET', url: '/api/v1/session' })).statusCode, 401);
    } finally {
      harness.clock.now = start;
    }
  });

  test('owners add staff; staff cannot manage users or API keys', async () => {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'Staff@Example.com', name: 'Sam Staff', role: 'staff', password: 'quiet harbour lantern' },
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().email, 'staff@example.com');
    const duplicate = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'staff@example.com', name: 'Again', role: 'staff', password: 'quiet harbour lantern' },
    });
    assert.equal(duplicate.statusCode, 409);
    const staff = await signIn(harness, 'staff@example.com', 'quiet harbour lantern', {
      organizationId: owner.organizationId,
      userId: created.json().id,
    });
    assert.equal((await staff.request({ method: 'GET', url: '/api/v1/customers' })).statusCode, 200);
    const forbidden = await staff.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'x@example.com', name: 'X', role: 'admin', password: 'quiet harbour lantern' },
    });
    assert.equal(forbidden.statusCode, 403);
    assert.equal((await staff.request({ method: 'GET', url: '/api/v1/api-keys' })).statusCode, 403);
    assert.equal(
      (await staff.request({ method: 'PATCH', url: '/api/v1/organization', payload: { name: 'Mine now' } })).statusCode,
      403,
    );
    const promote = await owner.request({
      method: 'PATCH',
      url: `/api/v1/users/${owner.userId}`,
      payload: { role: 'staff' },
    });
    assert.equal(promote.statusCode, 409, 'the owner keeps the owner role');

    const disabled = await owner.request({ method: 'POST', url: `/api/v1/users/${created.json().id}/disable` });
    assert.equal(disabled.statusCode, 200);
    assert.equal(disabled.json().disabled, true);
    assert.equal((await staff.request({ method: 'GET', url: '/api/v1/customers' })).statusCode, 401);
    assert.equal((await login('staff@example.com', 'quiet harbour lantern')).statusCode, 401);
  });

  test("another organization's users are invisible", async () => {
    const list = (await other.request({ method: 'GET', url: '/api/v1/users' })).json();
    assert.ok(list.every((u: { id: string }) => u.id !== owner.userId));
    const patch = await other.request({
      method: 'PATCH',
      url: `/api/v1/users/${owner.userId}`,
      payload: { name: 'X' },
    });
    assert.equal(patch.statusCode, 404);
    const disable = await other.request({ method: 'POST', url: `/api/v1/users/${owner.userId}/disable` });
    assert.equal(disable.statusCode, 404);
  });

  test('changing the password needs the current one and ends the other sessions', async () => {
    const { userId } = await createOrgAndSignIn(harness, { ownerEmail: 'changer@example.com' }).then((a) => a);
    const first = await signIn(harness, 'changer@example.com', OWNER_PASSWORD, { organizationId: '', userId });
    const second = await signIn(harness, 'changer@example.com', OWNER_PASSWORD, { organizationId: '', userId });
    const wrong = await first.request({
      method: 'PUT',
      url: '/api/v1/password',
      payload: { currentPassword: 'wrong password!', newPassword: 'a brand new password' },
    });
    assert.equal(wrong.statusCode, 400);
    const changed = await first.request({
      method: 'PUT',
      url: '/api/v1/password',
      payload: { currentPassword: OWNER_PASSWORD, newPassword: 'a brand new password' },
    });
    assert.equal(changed.statusCode, 204);
    assert.equal((await first.request({ method: 'GET', url: '/api/v1/session' })).statusCode, 200);
    assert.equal((await second.request({ method: 'GET', url: '/api/v1/session' })).statusCode, 401);
    assert.equal((await login('changer@example.com', 'a brand new password')).statusCode, 200);
  });

  test('API keys authenticate integrations without CSRF, only for their organization, until revoked', async () => {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'Zapier', canManageAccess: true },
    });
    assert.equal(created.statusCode, 201);
    const { key, id } = created.json();
    assert.match(key, /^pk_/);
    const listed = (await owner.request({ method: 'GET', url: '/api/v1/api-keys' })).json();
    assert.ok(listed.every((k: Record<string, unknown>) => !('key' in k) && !('keyHash' in k)));
    const bearer = { authorization: `Bearer ${key}` };
    const write = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: bearer,
      payload: { displayName: 'Via API' },
    });
    assert.equal(write.statusCode, 201);
    const foreign = await harness.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer });
    assert.ok(foreign.json().every((u: { id: string }) => u.id !== other.userId));
    assert.equal((await other.request({ method: 'DELETE', url: `/api/v1/api-keys/${id}` })).statusCode, 404);
    assert.equal((await owner.request({ method: 'DELETE', url: `/api/v1/api-keys/${id}` })).statusCode, 204);
    const revoked = await harness.app.inject({ method: 'GET', url: '/api/v1/customers', headers: bearer });
    assert.equal(revoked.statusCode, 401);
    const garbage = await harness.app.inject({
      method: 'GET',
      url: '/api/v1/customers',
      headers: { authorization: 'Basic abc' },
    });
    assert.equal(garbage.statusCode, 401);
  });

  test('security headers, health and the OpenAPI document', async () => {
    const health = await harness.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200);
    const csp = String(health.headers['content-security-policy']);
    for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
      assert.ok(csp.includes(directive), directive);
    }
    assert.equal(health.headers['x-content-type-options'], 'nosniff');
    assert.equal(health.headers['referrer-policy'], 'same-origin');
    const openapi = await harness.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(openapi.statusCode, 200);
    const document = openapi.json();
    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.paths['/api/v1/customers']);
    const docs = await harness.app.inject({ method: 'GET', url: '/api/docs' });
    assert.ok([200, 302].includes(docs.statusCode));
  });
});
