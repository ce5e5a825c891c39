/**
 * API keys follow the people they act for (issue 17, point 5): a key has a role no higher than its user's, stops
 * working on the very next request when that user is disabled or demoted, manages users and keys only when the
 * owner allowed it, and the owner can give it to another user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, signIn, startHarness } from '../support/harness.js';

describe('API keys follow the people they act for', () => {
  let harness: Harness;
  let owner: Actor;
  let admin: Actor;
  let staffId: string;
  let otherOwner: Actor;

  /** A request with this API key. */
  const withKey = (key: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    harness.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });

  async function newKey(actor: Actor, payload: object) {
    const response = await actor.request({ method: 'POST', url: '/api/v1/api-keys', payload });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: string; key: string; role: string; canManageAccess: boolean; userId: string };
  }

  async function addUser(email: string, role: 'admin' | 'staff') {
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email, name: email.split('@')[0], role, password: 'a long enough password here' },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json().id as string;
  }

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    otherOwner = await createOrgAndSignIn(harness);
    const adminId = await addUser('admin@example.com', 'admin');
    admin = await signIn(harness, 'admin@example.com', 'a long enough password here', {
      organizationId: owner.organizationId,
      userId: adminId,
    });
    staffId = await addUser('staff@example.com', 'staff');
  });
  after(() => harness.close());

  test("a key has its maker's role by default (an owner's key is an admin key), or a lower one", async () => {
    const ownersKey = await newKey(owner, { name: 'Owner default' });
    assert.equal(ownersKey.role, 'admin');
    assert.equal(ownersKey.userId, owner.userId);
    assert.equal(ownersKey.canManageAccess, false);
    const staffKey = await newKey(admin, { name: 'Staff key', role: 'staff' });
    assert.equal(staffKey.role, 'staff');
    // A staff key reads like staff and is refused what only owners and admins may do.
    assert.equal((await withKey(staffKey.key, 'GET', '/api/v1/customers')).statusCode, 200);
    assert.equal((await withKey(staffKey.key, 'GET', '/api/v1/payment-gateways')).statusCode, 403);
    assert.equal((await withKey(ownersKey.key, 'GET', '/api/v1/payment-gateways')).statusCode, 200);
    const listed = (await owner.request({ method: 'GET', url: '/api/v1/api-keys' })).json();
    const shown = listed.find((k: { id: string }) => k.id === staffKey.id);
    assert.equal(shown.role, 'staff');
    assert.equal(shown.userName, 'admin');
  });

  test('disabling the maker stops the key on the very next request; enabling them brings it back', async () => {
    const adminKey = await newKey(admin, { name: 'Admin key' });
    assert.equal((await withKey(adminKey.key, 'GET', '/api/v1/customers')).statusCode, 200);
    const disabled = await owner.request({ method: 'POST', url: `/api/v1/users/${admin.userId}/disable` });
    assert.equal(disabled.statusCode, 200, disabled.body);
    const refused = await withKey(adminKey.key, 'GET', '/api/v1/customers');
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().code, 'unauthenticated');
    assert.equal(
      (await owner.request({ method: 'POST', url: `/api/v1/users/${admin.userId}/enable` })).statusCode,
      200,
    );
    assert.equal((await withKey(adminKey.key, 'GET', '/api/v1/customers')).statusCode, 200);
    // Disabling ended the admin's sessions: signed in again for the tests below.
    admin = await signIn(harness, 'admin@example.com', 'a long enough password here', {
      organizationId: owner.organizationId,
      userId: admin.userId,
    });
  });

  test('demoting the maker stops their admin keys at once; their staff keys keep working', async () => {
    const adminKey = await newKey(admin, { name: 'Admin key, demoted' });
    const staffKey = await newKey(admin, { name: 'Staff key, demoted', role: 'staff' });
    assert.equal((await withKey(adminKey.key, 'GET', '/api/v1/customers')).statusCode, 200);
    const demote = (role: string) =>
      owner.request({ method: 'PATCH', url: `/api/v1/users/${admin.userId}`, payload: { role } });
    assert.equal((await demote('staff')).statusCode, 200);
    assert.equal((await withKey(adminKey.key, 'GET', '/api/v1/customers')).statusCode, 401);
    assert.equal((await withKey(staffKey.key, 'GET', '/api/v1/customers')).statusCode, 200);
    assert.equal((await demote('admin')).statusCode, 200);
    assert.equal((await withKey(adminKey.key, 'GET', '/api/v1/customers')).statusCode, 200);
  });

  test('a key manages users and keys only when the owner allowed it', async () => {
    const plain = await newKey(owner, { name: 'No access management' });
    const newUser = { email: 'by-key@example.com', name: 'By key', role: 'staff', password: 'a long enough password' };
    for (const [method, url, payload] of [
      ['GET', '/api/v1/users', undefined],
      ['POST', '/api/v1/users', newUser],
      ['PATCH', `/api/v1/users/${staffId}`, { role: 'admin' }],
      ['POST', `/api/v1/users/${staffId}/disable`, undefined],
      ['GET', '/api/v1/api-keys', undefined],
      ['POST', '/api/v1/api-keys', { name: 'Made by a key' }],
      ['DELETE', `/api/v1/api-keys/${plain.id}`, undefined],
    ] as const) {
      const response = await withKey(plain.key, method, url, payload);
      assert.equal(response.statusCode, 403, `${method} ${url}: ${response.body}`);
      assert.equal(response.json().code, 'forbidden');
    }

    // Only the owner grants it: an admin asking for it is refused, and no key is made.
    const before = (await owner.request({ method: 'GET', url: '/api/v1/api-keys' })).json().length;
    const byAdmin = await admin.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'Grant myself', canManageAccess: true },
    });
    assert.equal(byAdmin.statusCode, 403);
    assert.equal((await owner.request({ method: 'GET', url: '/api/v1/api-keys' })).json().length, before);

    const manager = await newKey(owner, { name: 'Access manager', canManageAccess: true });
    assert.equal(manager.canManageAccess, true);
    assert.equal((await withKey(manager.key, 'POST', '/api/v1/users', newUser)).statusCode, 201);
    // A key made by a key acts for the same user, with no more than the key's role and no access management.
    const made = await withKey(manager.key, 'POST', '/api/v1/api-keys', { name: 'Made by a key' });
    assert.equal(made.statusCode, 201, made.body);
    assert.equal(made.json().userId, owner.userId);
    assert.equal(made.json().role, 'admin');
    assert.equal(made.json().canManageAccess, false);
    const grant = await withKey(manager.key, 'POST', '/api/v1/api-keys', { name: 'Grant', canManageAccess: true });
    assert.equal(grant.statusCode, 403);
    // Nor can a key give keys away.
    const reassign = await withKey(manager.key, 'POST', `/api/v1/api-keys/${made.json().id}/reassign`, {
      userId: admin.userId,
    });
    assert.equal(reassign.statusCode, 403);
  });

  test('the owner gives a key to another user, whose limits it then has', async () => {
    const leaverId = await addUser('leaver@example.com', 'admin');
    const leaver = await signIn(harness, 'leaver@example.com', 'a long enough password here', {
      organizationId: owner.organizationId,
      userId: leaverId,
    });
    const key = await newKey(leaver, { name: 'Integration of a leaver' });
    assert.equal((await owner.request({ method: 'POST', url: `/api/v1/users/${leaverId}/disable` })).statusCode, 200);
    assert.equal((await withKey(key.key, 'GET', '/api/v1/customers')).statusCode, 401);

    const reassign = (actor: Actor, userId: string) =>
      actor.request({ method: 'POST', url: `/api/v1/api-keys/${key.id}/reassign`, payload: { userId } });
    assert.equal((await reassign(admin, admin.userId)).statusCode, 403, 'only the owner re-assigns');
    assert.equal((await reassign(owner, leaverId)).statusCode, 409, 'not to a disabled user');
    assert.equal((await reassign(owner, otherOwner.userId)).statusCode, 404, "not to another organization's user");
    assert.equal((await reassign(otherOwner, otherOwner.userId)).statusCode, 404, "not another organization's key");

    const toAdmin = await reassign(owner, admin.userId);
    assert.equal(toAdmin.statusCode, 200, toAdmin.body);
    assert.equal(toAdmin.json().userId, admin.userId);
    assert.equal(toAdmin.json().role, 'admin');
    assert.equal((await withKey(key.key, 'GET', '/api/v1/payment-gateways')).statusCode, 200);

    const toStaff = await reassign(owner, staffId);
    assert.equal(toStaff.json().role, 'staff', "a staff user's key is a staff key");
    assert.equal((await withKey(key.key, 'GET', '/api/v1/customers')).statusCode, 200);
    assert.equal((await withKey(key.key, 'GET', '/api/v1/payment-gateways')).statusCode, 403);
    // Given back to an admin, it stays a staff key: re-assigning never raises a key's role.
    assert.equal((await reassign(owner, admin.userId)).json().role, 'staff');

    assert.equal((await owner.request({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}` })).statusCode, 204);
    assert.equal((await reassign(owner, admin.userId)).statusCode, 404, 'a revoked key stays revoked');
  });
});
