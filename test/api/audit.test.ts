import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordAudit } from '../../src/modules/audit/service.js';
import {
  type Actor,
  createOrgAndSignIn,
  type Harness,
  OWNER_PASSWORD,
  signIn,
  startHarness,
} from '../support/harness.js';

interface Entry {
  id: string;
  event: string;
  actorType: string;
  actorId: string | null;
  contactPersonId: string | null;
  contactPersonName: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

describe('audit log', () => {
  let harness: Harness;
  let ownerA: Actor;
  let ownerB: Actor;
  let customerId: string;
  let otherCustomerId: string;
  let annId: string;
  let bobId: string;

  before(async () => {
    harness = await startHarness();
    // New York, so that dates in filters are the organization's days, not UTC's.
    ownerA = await createOrgAndSignIn(harness, { ownerEmail: 'audit-a@example.com', timeZone: 'America/New_York' });
    ownerB = await createOrgAndSignIn(harness, { ownerEmail: 'audit-b@example.com' });
    const customer = await ownerA.request({
      method: 'POST',
      url: '/api/v1/customers',
      payload: {
        displayName: 'Harbor Ltd',
        contactPersons: [{ firstName: 'Ann', lastName: 'Lee', email: 'ann@harbor.example' }],
      },
    });
    assert.equal(customer.statusCode, 201, customer.body);
    customerId = customer.json().id;
    annId = customer.json().contactPersons[0].id;
    const other = await ownerA.request({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { displayName: 'Quay GmbH', contactPersons: [{ firstName: 'Bob', email: 'bob@quay.example' }] },
    });
    otherCustomerId = other.json().id;
    bobId = other.json().contactPersons[0].id;
  });
  after(() => harness.close());

  const list = async (actor: Actor, query = '') => {
    const response = await actor.request({ method: 'GET', url: `/api/v1/audit-log${query}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as { data: Entry[]; nextCursor: string | null };
  };
  const login = (email: string, password: string) =>
    harness.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email, password },
      remoteAddress: '192.0.2.10',
      headers: { 'user-agent': 'AuditTest/1.0' },
    });

  test("business sign-ins, good and bad, are in the log of the user's organization only", async () => {
    const failed = await login('audit-a@example.com', 'not the right password');
    assert.equal(failed.statusCode, 401);
    assert.equal((await login('audit-a@example.com', OWNER_PASSWORD)).statusCode, 200);
    const unknown = await login('nobody@example.com', 'not the right password');
    assert.deepEqual(unknown.json(), failed.json(), 'nothing in the answer tells them apart');

    const logA = (await list(ownerA)).data;
    const failure = logA.find((e) => e.event === 'business.login_failed');
    assert.ok(failure);
    assert.equal(failure.actorType, 'anonymous');
    assert.equal(failure.actorId, null);
    assert.equal(failure.ip, '192.0.2.10');
    assert.equal(failure.userAgent, 'AuditTest/1.0');
    assert.deepEqual(failure.details, { userId: ownerA.userId, email: 'audit-a@example.com' });
    const success = logA.find((e) => e.event === 'business.login_succeeded' && e.ip === '192.0.2.10');
    assert.ok(success);
    assert.equal(success.actorType, 'user');
    assert.equal(success.actorId, ownerA.userId);
    assert.deepEqual(success.details, {});
    assert.match(success.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(!JSON.stringify(logA).includes('nobody@example.com'), 'unknown e-mails are not logged');
    assert.ok(!JSON.stringify(logA).includes('not the right password'), 'passwords never are');

    const logB = (await list(ownerB)).data;
    assert.ok(logB.every((e) => e.actorId !== ownerA.userId && e.details.userId !== ownerA.userId));
    assert.ok(logB.every((e) => e.ip !== '192.0.2.10'));
    assert.ok(logB.some((e) => e.event === 'business.login_succeeded' && e.actorId === ownerB.userId));
  });

  test('portal events name the contact person; filters by person, customer, event and dates', async () => {
    const db = harness.ctx.db.kysely;
    const base = { organizationId: ownerA.organizationId, ip: '198.51.100.1', userAgent: 'Portal' };
    // 2026-03-14T03:00Z is still the 13th in New York (UTC-4 since the 8th).
    await recordAudit(db, {
      ...base,
      event: 'portal.invitation_sent',
      actorType: 'user',
      actorId: ownerA.userId,
      contactPersonId: annId,
      at: '2026-03-14T03:00:00.000Z',
    });
    await recordAudit(db, {
      ...base,
      event: 'portal.login_succeeded',
      actorType: 'contact_person',
      actorId: annId,
      contactPersonId: annId,
      at: '2026-03-14T12:00:00.000Z',
    });
    await recordAudit(db, {
      ...base,
      event: 'portal.login_failed',
      actorType: 'anonymous',
      contactPersonId: bobId,
      details: { attempt: 2 },
      at: '2026-03-14T13:00:00.000Z',
    });
    await recordAudit(db, {
      ...base,
      organizationId: ownerB.organizationId,
      event: 'portal.login_succeeded',
      actorType: 'contact_person',
      contactPersonId: annId,
      at: '2026-03-14T14:00:00.000Z',
    });

    const ann = (await list(ownerA, `?contactPersonId=${annId}`)).data;
    assert.deepEqual(
      ann.map((e) => [e.event, e.contactPersonName]),
      [
        ['portal.login_succeeded', 'Ann Lee'],
        ['portal.invitation_sent', 'Ann Lee'],
      ],
      'newest first, with the name',
    );
    const ofCustomer = (await list(ownerA, `?customerId=${otherCustomerId}`)).data;
    assert.deepEqual(
      ofCustomer.map((e) => [e.event, e.contactPersonName, e.details]),
      [['portal.login_failed', 'Bob', { attempt: 2 }]],
    );
    assert.equal((await list(ownerA, `?customerId=${customerId}`)).data.length, 2);
    const failures = (await list(ownerA, '?event=portal.login_failed')).data;
    assert.deepEqual(
      failures.map((e) => e.contactPersonId),
      [bobId],
    );

    // Dates are the organization's days; instants are instants.
    const onThe13th = (await list(ownerA, '?from=2026-03-13&to=2026-03-13')).data;
    assert.deepEqual(
      onThe13th.map((e) => e.event),
      ['portal.invitation_sent'],
    );
    const onThe14th = (await list(ownerA, '?from=2026-03-14&to=2026-03-14')).data;
    assert.deepEqual(
      onThe14th.map((e) => e.event),
      ['portal.login_failed', 'portal.login_succeeded'],
    );
    const instants = (await list(ownerA, '?from=2026-03-14T12:00:00Z&to=2026-03-14T12:59:59.999Z')).data;
    assert.deepEqual(
      instants.map((e) => e.event),
      ['portal.login_succeeded'],
    );
    const offset = (await list(ownerA, '?from=2026-03-14T08:30:00-04:00&to=2026-03-14T09:00:00-04:00')).data;
    assert.deepEqual(
      offset.map((e) => e.event),
      ['portal.login_failed'],
    );
  });

  test('another organization sees none of it, whatever the filters', async () => {
    assert.deepEqual((await list(ownerB, `?contactPersonId=${bobId}`)).data, []);
    assert.deepEqual((await list(ownerB, `?customerId=${customerId}`)).data, []);
    const logB = await list(ownerB, '?limit=100');
    // B's own entry that names A's contact person (written straight into B's log above) does not reveal the name.
    const stray = logB.data.find((e) => e.contactPersonId === annId);
    assert.ok(stray);
    assert.equal(stray.contactPersonName, null);
    const text = JSON.stringify(logB);
    for (const secret of [ownerA.userId, bobId, customerId, 'Ann', 'audit-a@example.com']) {
      assert.ok(!text.includes(secret), `B's log shows ${secret}`);
    }
  });

  test('pages go newest first through keyset cursors, without gaps or repeats', async () => {
    const db = harness.ctx.db.kysely;
    const { organizationId, userId } = await createOrgAndSignIn(harness, { ownerEmail: 'pages@example.com' });
    const owner = await signIn(harness, 'pages@example.com', OWNER_PASSWORD, { organizationId, userId });
    // Seven events: two share an instant, so the id breaks the tie.
    const times = [
      '2026-03-01T10:00:00.000Z',
      '2026-03-02T10:00:00.000Z',
      '2026-03-02T10:00:00.000Z',
      '2026-03-03T09:00:00.000Z',
      '2026-03-04T10:00:00.000Z',
    ];
    for (const at of times) {
      await recordAudit(db, { organizationId, event: 'portal.session_ended', actorType: 'system', at });
    }
    const all = (await list(owner, '?limit=100')).data;
    assert.equal(all.length, 7, 'five portal events and two sign-ins');
    const sorted = [...all].sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );
    assert.deepEqual(
      all.map((e) => e.id),
      sorted.map((e) => e.id),
    );

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { data: Entry[]; nextCursor: string | null } = await list(
        owner,
        `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    assert.equal(pages, 4);
    assert.deepEqual(
      seen,
      all.map((e) => e.id),
    );
  });

  test('staff may read the log; API keys too; anonymous callers may not', async () => {
    const staff = await ownerA.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'audit-staff@example.com', name: 'Sam', role: 'staff', password: 'staff password long enough' },
    });
    assert.equal(staff.statusCode, 201, staff.body);
    const asStaff = await signIn(harness, 'audit-staff@example.com', 'staff password long enough', {
      organizationId: ownerA.organizationId,
      userId: staff.json().id,
    });
    const seen = (await list(asStaff, '?event=business.login_succeeded')).data;
    assert.ok(
      seen.some((e) => e.actorId === staff.json().id),
      'their own sign-in is there',
    );
    const key = (await ownerA.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'SIEM' } })).json()
      .key;
    const viaKey = await harness.app.inject({
      method: 'GET',
      url: '/api/v1/audit-log',
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(viaKey.statusCode, 200);
    const anonymous = await harness.app.inject({ method: 'GET', url: '/api/v1/audit-log' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'unauthenticated');
  });

  test('bad filters answer 400', async () => {
    for (const query of [
      '?event=portal.something_else',
      '?from=yesterday',
      '?from=2026-02-30',
      '?to=2026-03-14T25:00:00Z',
      '?from=2026-03-15&to=2026-03-14',
      '?limit=0',
      '?limit=101',
      '?cursor=not-a-cursor',
      '?organizationId=org_x',
    ]) {
      const response = await ownerA.request({ method: 'GET', url: `/api/v1/audit-log${query}` });
      assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
      assert.equal(response.json().code, 'validation_failed');
    }
  });
});
