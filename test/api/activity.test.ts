import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { newId } from '../../src/db/ids.js';
import { recordHistory } from '../../src/modules/activity/service.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';

type Json = Record<string, unknown>;

async function call(actor: Actor, method: InjectOptions['method'], url: string, payload?: unknown) {
  return actor.request({
    method,
    url: `/api/v1${url}`,
    ...(payload === undefined ? {} : { payload: payload as Json }),
  });
}

async function created(actor: Actor, url: string, payload: unknown) {
  const response = await call(actor, 'POST', url, payload);
  assert.equal(response.statusCode, 201, `POST ${url}: ${response.body}`);
  return response.json();
}

async function ok(actor: Actor, method: InjectOptions['method'], url: string, payload?: unknown) {
  const response = await call(actor, method, url, payload);
  assert.equal(response.statusCode, 200, `${method} ${url}: ${response.body}`);
  return response.json();
}

interface Subjects {
  estimates: string;
  invoices: string;
  'retainer-invoices': string;
  projects: string;
}

describe('comments and history', () => {
  let harness: Harness;
  let owner: Actor;
  let otherOrg: Actor;
  let mine: Subjects;
  let theirs: Subjects;
  let contactPersonId: string;

  /**
   * One subject of each kind for an organization. Retainer invoices and projects are inserted directly: their
   * modules are written in parallel, and only their existence matters here.
   */
  async function subjectsOf(actor: Actor): Promise<Subjects & { customerId: string; contactPersonId: string }> {
    const customer = await created(actor, '/customers', {
      displayName: 'Acme Corp',
      contactPersons: [{ firstName: 'Ada', lastName: 'Lovelace', email: `ada-${actor.organizationId}@example.com` }],
    });
    const lines = [{ name: 'Work', quantity: '1', rate: 5000 }];
    const estimate = await created(actor, '/estimates', { customerId: customer.id, lines });
    const invoice = await created(actor, '/invoices', { customerId: customer.id, lines });
    const now = harness.ctx.now().toISOString();
    const retainerId = newId('ret');
    await harness.ctx.db.kysely
      .insertInto('retainerInvoices')
      .values({
        id: retainerId,
        organizationId: actor.organizationId,
        customerId: customer.id,
        projectId: null,
        number: `RET-${retainerId.slice(-5)}`,
        reference: null,
        status: 'draft',
        issueDate: '2026-03-15',
        currency: 'USD',
        notes: null,
        terms: null,
        lines: JSON.stringify([{ description: 'Advance', amount: 10000 }]),
        total: 10000,
        balance: 10000,
        sentAt: null,
        voidedAt: null,
        viewedAt: null,
        viewedByContactPersonId: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    const projectId = newId('prj');
    await harness.ctx.db.kysely
      .insertInto('projects')
      .values({
        id: projectId,
        organizationId: actor.organizationId,
        customerId: customer.id,
        name: 'Website',
        description: null,
        billingMethod: 'project_hours',
        rate: 10000,
        currency: 'USD',
        status: 'active',
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    return {
      customerId: customer.id,
      contactPersonId: customer.contactPersons[0].id,
      estimates: estimate.id,
      invoices: invoice.id,
      'retainer-invoices': retainerId,
      projects: projectId,
    };
  }

  const kinds = ['estimates', 'invoices', 'retainer-invoices', 'projects'] as const;
  const subjectTypes = {
    estimates: 'estimate',
    invoices: 'invoice',
    'retainer-invoices': 'retainer_invoice',
    projects: 'project',
  } as const;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    otherOrg = await createOrgAndSignIn(harness);
    const own = await subjectsOf(owner);
    mine = own;
    contactPersonId = own.contactPersonId;
    theirs = await subjectsOf(otherOrg);
  });
  after(() => harness.close());

  test('business users comment on every kind of subject; the thread is oldest first; showInPortal defaults to false', async () => {
    for (const kind of kinds) {
      const url = `/${kind}/${mine[kind]}/comments`;
      harness.clock.now = new Date('2026-03-15T10:01:00.000Z');
      const first = await created(owner, url, { text: 'Internal note' });
      assert.match(first.id, /^cmt_[0-9a-z]{26}$/);
      assert.equal(first.subjectType, subjectTypes[kind]);
      assert.equal(first.subjectId, mine[kind]);
      assert.equal(first.authorType, 'user');
      assert.equal(first.userId, owner.userId);
      assert.equal(first.contactPersonId, null);
      assert.equal(first.authorName, 'Owner');
      assert.equal(first.showInPortal, false);
      assert.equal(first.createdAt, '2026-03-15T10:01:00.000Z');
      harness.clock.now = new Date('2026-03-15T10:02:00.000Z');
      const second = await created(owner, url, { text: 'Hello <b>client</b>', showInPortal: true });
      assert.equal(second.showInPortal, true);
      assert.equal(second.text, 'Hello <b>client</b>');
      const thread = await ok(owner, 'GET', url);
      assert.deepEqual(thread.data, [first, second]);
      assert.equal(thread.nextCursor, null);
    }
    harness.clock.now = new Date('2026-03-15T10:00:00.000Z');
  });

  test("a client's comment shows their name and cannot be deleted; a business comment can", async () => {
    const url = `/invoices/${mine.invoices}/comments`;
    const clientComment = newId('cmt');
    await harness.ctx.db.kysely
      .insertInto('comments')
      .values({
        id: clientComment,
        organizationId: owner.organizationId,
        subjectType: 'invoice',
        subjectId: mine.invoices,
        authorType: 'contact_person',
        userId: null,
        contactPersonId,
        text: 'Can we pay in two parts?',
        shownInPortal: 1,
        createdAt: '2026-03-15T10:05:00.000Z',
        deletedAt: null,
      })
      .execute();
    const thread = await ok(owner, 'GET', url);
    const fromClient = thread.data.find((c: Json) => c.id === clientComment);
    assert.equal(fromClient.authorType, 'contact_person');
    assert.equal(fromClient.contactPersonId, contactPersonId);
    assert.equal(fromClient.authorName, 'Ada Lovelace');

    const refused = await call(owner, 'DELETE', `${url}/${clientComment}`);
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().code, 'conflict');

    const reply = await created(owner, url, { text: 'Sure.' });
    // The comment is addressed through its own subject only.
    assert.equal((await call(owner, 'DELETE', `/estimates/${mine.estimates}/comments/${reply.id}`)).statusCode, 404);
    assert.equal((await call(owner, 'DELETE', `${url}/${reply.id}`)).statusCode, 204);
    assert.equal((await call(owner, 'DELETE', `${url}/${reply.id}`)).statusCode, 404);
    assert.equal((await call(owner, 'DELETE', `${url}/cmt_00000000000000000000000000`)).statusCode, 404);
    const after = await ok(owner, 'GET', url);
    assert.ok(!after.data.some((c: Json) => c.id === reply.id));
    assert.ok(after.data.some((c: Json) => c.id === clientComment));
  });

  test('bad input answers 400 and writes nothing', async () => {
    const url = `/projects/${mine.projects}/comments`;
    const before = (await ok(owner, 'GET', url)).data.length;
    for (const payload of [
      {},
      { text: '' },
      { text: '   \n ' },
      { text: 'x'.repeat(5001) },
      { text: 42 },
      { text: 'ok', showInPortal: 'yes' },
      { text: 'ok', authorType: 'contact_person' },
    ]) {
      const response = await call(owner, 'POST', url, payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload).slice(0, 80));
      assert.equal(response.json().code, 'validation_failed');
    }
    assert.equal((await ok(owner, 'GET', url)).data.length, before);
    const longest = await created(owner, url, { text: 'x'.repeat(5000) });
    assert.equal(longest.text.length, 5000);
    const badCursor = await call(owner, 'GET', `${url}?cursor=zzz`);
    assert.equal(badCursor.statusCode, 400);
  });

  test('threads page with a cursor', async () => {
    const url = `/retainer-invoices/${mine['retainer-invoices']}/comments`;
    for (let i = 0; i < 5; i += 1) {
      harness.clock.now = new Date(`2026-03-15T10:1${i}:00.000Z`);
      await created(owner, url, { text: `Comment ${i}` });
    }
    harness.clock.now = new Date('2026-03-15T10:00:00.000Z');
    const all = (await ok(owner, 'GET', `${url}?limit=100`)).data;
    const seen: Json[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { data: Json[]; nextCursor: string | null } = await ok(
        owner,
        'GET',
        `${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.data);
      cursor = page.nextCursor;
    }
    assert.deepEqual(seen, all);
    assert.deepEqual(
      all.slice(-5).map((c: Json) => c.text),
      ['Comment 0', 'Comment 1', 'Comment 2', 'Comment 3', 'Comment 4'],
    );
  });

  test('history: what estimates and invoices record, and recordHistory for any subject', async () => {
    const customerId = (await created(owner, '/customers', { displayName: 'History Co' })).id;
    const lines = [{ name: 'Work', quantity: '1', rate: 5000 }];
    // A minute apart, so the history has an order (and sessions stay within their idle limit).
    const at = (minute: number) => {
      harness.clock.now = new Date(`2026-03-15T10:${String(15 + minute)}:00.000Z`);
    };
    at(0);
    const estimate = await created(owner, '/estimates', { customerId, lines });
    at(1);
    await ok(owner, 'PATCH', `/estimates/${estimate.id}`, { notes: 'Revised' });
    at(2);
    await ok(owner, 'POST', `/estimates/${estimate.id}/send`);
    at(3);
    const invoice = await created(owner, `/estimates/${estimate.id}/convert`, undefined);
    at(4);
    await ok(owner, 'PATCH', `/invoices/${invoice.id}`, { notes: 'Thanks' });
    at(5);
    await ok(owner, 'POST', `/invoices/${invoice.id}/send`);
    at(6);
    await ok(owner, 'POST', `/invoices/${invoice.id}/write-off`);
    at(7);
    await ok(owner, 'POST', `/invoices/${invoice.id}/cancel-write-off`);
    at(8);
    await ok(owner, 'POST', `/invoices/${invoice.id}/void`);
    at(9);
    await ok(owner, 'POST', `/invoices/${invoice.id}/reopen`);
    harness.clock.now = new Date('2026-03-15T10:00:00.000Z');

    const estimateHistory = await ok(owner, 'GET', `/estimates/${estimate.id}/history`);
    assert.deepEqual(
      estimateHistory.data.map((h: Json) => h.event),
      ['created', 'updated', 'sent', 'converted'],
    );
    const first = estimateHistory.data[0];
    assert.match(first.id, /^hst_/);
    assert.equal(first.actorType, 'user');
    assert.equal(first.actorId, owner.userId);
    assert.equal(first.actorName, 'Owner');
    assert.equal(first.shownInPortal, false);
    assert.equal(first.createdAt, '2026-03-15T10:15:00.000Z');

    const invoiceHistory = await ok(owner, 'GET', `/invoices/${invoice.id}/history`);
    assert.deepEqual(
      invoiceHistory.data.map((h: Json) => h.event),
      ['created', 'updated', 'sent', 'written_off', 'write_off_cancelled', 'voided', 'reopened'],
    );

    const retainerId = mine['retainer-invoices'];
    assert.deepEqual((await ok(owner, 'GET', `/retainer-invoices/${retainerId}/history`)).data, []);
    await harness.ctx.db.kysely.transaction().execute((trx) =>
      recordHistory(trx, {
        organizationId: owner.organizationId,
        subjectType: 'retainer_invoice',
        subjectId: retainerId,
        event: 'viewed',
        description: 'Viewed by Ada Lovelace',
        actorType: 'contact_person',
        actorId: contactPersonId,
        ip: '203.0.113.7',
        shownInPortal: true,
      }),
    );
    const retainerHistory = (await ok(owner, 'GET', `/retainer-invoices/${retainerId}/history`)).data;
    assert.equal(retainerHistory.length, 1);
    assert.equal(retainerHistory[0].actorName, 'Ada Lovelace');
    assert.equal(retainerHistory[0].ip, '203.0.113.7');
    assert.equal(retainerHistory[0].shownInPortal, true);
    assert.deepEqual((await ok(owner, 'GET', `/projects/${mine.projects}/history`)).data, []);
  });

  test('history pages with a cursor, oldest first, entries of the same instant ordered by id', async () => {
    const projectId = mine.projects;
    const url = `/projects/${projectId}/history`;
    const instants = ['10:00', '10:01', '10:01', '10:01', '10:02'];
    await harness.ctx.db.kysely.transaction().execute(async (trx) => {
      for (const [i, time] of instants.entries()) {
        await recordHistory(trx, {
          organizationId: owner.organizationId,
          subjectType: 'project',
          subjectId: projectId,
          event: 'updated',
          description: `Change ${i}`,
          actorType: 'user',
          actorId: owner.userId,
          createdAt: `2026-03-16T${time}:00.000Z`,
        });
      }
    });
    const all = (await ok(owner, 'GET', `${url}?limit=100`)).data;
    assert.equal(all.length, instants.length);
    const seen: Json[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { data: Json[]; nextCursor: string | null } = await ok(
        owner,
        'GET',
        `${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.ok(page.data.length <= 2);
      seen.push(...page.data);
      cursor = page.nextCursor;
    }
    assert.deepEqual(seen, all);
    assert.equal(new Set(seen.map((h) => h.id)).size, instants.length);
    assert.deepEqual(
      all.map((h: Json) => h.createdAt),
      instants.map((time) => `2026-03-16T${time}:00.000Z`),
    );
    const tied = all.slice(1, 4).map((h: Json) => h.id);
    assert.deepEqual(tied, [...tied].sort());
  });

  test("another organization's subjects and comments answer 404 on every route, like missing ones", async () => {
    const theirComment = await created(otherOrg, `/invoices/${theirs.invoices}/comments`, { text: 'private' });
    for (const kind of kinds) {
      const missingId = `${theirs[kind].split('_')[0]}_00000000000000000000000000`;
      const missing = await call(owner, 'GET', `/${kind}/${missingId}/comments`);
      assert.equal(missing.statusCode, 404);
      const base = `/${kind}/${theirs[kind]}`;
      const attempts: Array<[InjectOptions['method'], string, unknown]> = [
        ['GET', `${base}/comments`, undefined],
        ['POST', `${base}/comments`, { text: 'sneaky' }],
        ['DELETE', `${base}/comments/${theirComment.id}`, undefined],
        ['GET', `${base}/history`, undefined],
      ];
      for (const [method, url, payload] of attempts) {
        const response = await call(owner, method, url, payload);
        assert.equal(response.statusCode, 404, `${method} ${url}`);
        assert.deepEqual(response.json(), missing.json());
      }
      assert.equal((await call(owner, 'GET', `/${kind}/${missingId}/history`)).statusCode, 404);
    }
    // Their comment addressed through one of my subjects is not found either.
    const viaMine = await call(owner, 'DELETE', `/invoices/${mine.invoices}/comments/${theirComment.id}`);
    assert.equal(viaMine.statusCode, 404);
    const thread = await ok(otherOrg, 'GET', `/invoices/${theirs.invoices}/comments`);
    assert.deepEqual(
      thread.data.map((c: Json) => c.text),
      ['private'],
    );
  });
});
