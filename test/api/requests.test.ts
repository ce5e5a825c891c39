import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ACTION_LIMITS } from '../../src/auth/action-limits.js';
import { expireEstimates } from '../../src/modules/estimates/jobs.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

/**
 * Requests from the portal (issue 20, docs/requests.md): "Request changes" on a sent estimate, and "Request a
 * quote", each with the business's side — through the HTTP layer on a fresh database.
 */
describe('requests from the portal', () => {
  let harness: Harness;
  let owner: Actor;
  let other: Actor;
  let slug: string;
  let client: PortalClient;
  let colleague: PortalClient;
  let outsider: PortalClient;
  let customerId: string;
  let contactId: string;
  let outsiderCustomerId: string;
  const line = { name: 'Garden design', quantity: '1', rate: 120000 };

  const ok = (response: LightMyRequestResponse, status = 200) => {
    assert.equal(response.statusCode, status, response.body);
    return response.json();
  };
  const post = (actor: Actor, url: string, payload?: object) =>
    actor.request({ method: 'POST', url, ...(payload ? { payload } : {}) });
  const get = async (actor: Actor, url: string) => ok(await actor.request({ method: 'GET', url }));
  /** History reads oldest first: steps a second apart keep their order. */
  const tick = () => {
    harness.clock.now = new Date(harness.clock.now.getTime() + 1000);
  };
  const sentEstimate = async (extra: object = {}, forCustomer?: string) => {
    const { id } = ok(
      await post(owner, '/api/v1/estimates', { customerId: forCustomer ?? customerId, lines: [line], ...extra }),
      201,
    );
    ok(await post(owner, `/api/v1/estimates/${id}/send`));
    return id as string;
  };
  const requestChanges = (who: PortalClient, id: string, message: unknown) =>
    who.request({ method: 'POST', url: `/estimates/${id}/request-changes`, payload: { message } });
  const history = async (id: string) =>
    (await get(owner, `/api/v1/estimates/${id}/history?limit=100`)).data as Array<{
      event: string;
      description: string;
    }>;
  const db = () => harness.ctx.db.kysely;
  const count = async (table: 'quoteRequests' | 'estimates' | 'history' | 'outboxMessages' | 'auditLog') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const deliveries = async (event: string) =>
    db().selectFrom('webhookDeliveries').select(['payload']).where('event', '=', event).execute();

  before(async () => {
    harness = await startHarness({ env: { WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' } });
    owner = await createOrgAndSignIn(harness);
    other = await createOrgAndSignIn(harness);
    slug = await enablePortal(owner);
    const customer = await customerWithContacts(owner, 'Fern & Co', ['fern@client.example', 'ivy@client.example']);
    customerId = customer.id;
    contactId = customer.contacts['fern@client.example'] ?? '';
    client = await activatedClient(harness, owner, slug, customerId, contactId, 'fern@client.example');
    colleague = await activatedClient(
      harness,
      owner,
      slug,
      customerId,
      customer.contacts['ivy@client.example'] ?? '',
      'ivy@client.example',
    );
    const elsewhere = await customerWithContacts(owner, 'Moss Ltd', ['moss@client.example']);
    outsiderCustomerId = elsewhere.id;
    outsider = await activatedClient(
      harness,
      owner,
      slug,
      elsewhere.id,
      elsewhere.contacts['moss@client.example'] ?? '',
      'moss@client.example',
    );
    ok(
      await post(owner, '/api/v1/webhook-endpoints', {
        url: 'http://127.0.0.1:9/hooks',
        events: ['estimate.changes_requested', 'quote.requested'],
      }),
      201,
    );
  });
  after(() => harness.close());

  describe('request changes on a sent estimate', () => {
    test('the round: requested with a message, seen by both sides, edited, sent again, then accepted', async () => {
      const id = await sentEstimate();
      tick();
      const mailsBefore = await count('outboxMessages');
      const asked = ok(await requestChanges(client, id, '  Please split the planting into two phases.  '));
      assert.equal(asked.status, 'changes_requested');
      assert.deepEqual(asked.changeRequest.message, 'Please split the planting into two phases.');

      const business = await get(owner, `/api/v1/estimates/${id}`);
      assert.equal(business.status, 'changes_requested');
      assert.equal(business.changeRequest.message, 'Please split the planting into two phases.');
      assert.equal(business.changeRequest.contactPersonId, contactId);
      assert.equal(business.changeRequest.contactPersonName, 'Person 1');
      assert.deepEqual(business.availableActions, ['send', 'mark_sent', 'edit']);
      // The business is e-mailed (notify me), an audit entry and the webhook are written with it.
      const mail = await db()
        .selectFrom('outboxMessages')
        .select(['subject', 'textBody'])
        .where('template', '=', 'portalActivity')
        .where('textBody', 'like', '%two phases%')
        .executeTakeFirstOrThrow();
      assert.match(mail.subject, /asked for changes to estimate/);
      assert.match(mail.textBody, /two phases/);
      assert.ok((await count('outboxMessages')) > mailsBefore);
      const audit = await db()
        .selectFrom('auditLog')
        .select('details')
        .where('event', '=', 'portal.changes_requested')
        .execute();
      assert.ok(audit.some((row) => row.details.includes(id)));
      assert.ok((await deliveries('estimate.changes_requested')).some((row) => row.payload.includes(id)));

      // The client sees it but cannot decide it until it is sent again; nothing changes.
      for (const verb of ['accept', 'decline']) {
        const refused = await client.request({ method: 'POST', url: `/estimates/${id}/${verb}`, payload: {} });
        assert.equal(refused.statusCode, 409, refused.body);
      }
      assert.equal((await requestChanges(client, id, 'And another thing')).statusCode, 409);
      const seen = ok(await client.request({ method: 'GET', url: `/estimates/${id}` }));
      assert.equal(seen.status, 'changes_requested');
      assert.equal(seen.changeRequest.message, 'Please split the planting into two phases.');
      // Neither converted nor e-mailed "again" while it waits for the revision.
      assert.equal((await post(owner, `/api/v1/estimates/${id}/convert`)).statusCode, 409);

      // The business edits it and sends it again: the round closes in the history.
      tick();
      ok(
        await owner.request({
          method: 'PATCH',
          url: `/api/v1/estimates/${id}`,
          payload: {
            lines: [
              { ...line, name: 'Phase 1' },
              { ...line, name: 'Phase 2', rate: 80000 },
            ],
          },
        }),
      );
      tick();
      const resent = ok(await post(owner, `/api/v1/estimates/${id}/send`));
      assert.equal(resent.status, 'sent');
      assert.equal(resent.changeRequest, null);
      const events = (await history(id)).map((entry) => `${entry.event}: ${entry.description}`);
      const asking = events.indexOf('changes_requested: Changes requested: Please split the planting into two phases.');
      assert.ok(asking > 0, events.join('\n'));
      assert.match(events.at(-1) ?? '', /^sent: Sent again: revised estimate sent by e-mail to /);
      const revised = ok(await client.request({ method: 'GET', url: `/estimates/${id}` }));
      assert.equal(revised.status, 'sent');
      assert.equal(revised.changeRequest, null);
      assert.ok(revised.revisedAt);
      ok(await client.request({ method: 'POST', url: `/estimates/${id}/accept`, payload: {} }));
    });

    test('bad input is 400 and changes nothing; drafts, other customers and other organizations are 404', async () => {
      const id = await sentEstimate();
      const historyBefore = await count('history');
      for (const message of ['', '   ', 'x'.repeat(5001), 42, null]) {
        assert.equal((await requestChanges(client, id, message)).statusCode, 400, String(message));
      }
      const extra = await client.request({
        method: 'POST',
        url: `/estimates/${id}/request-changes`,
        payload: { message: 'Fine', status: 'accepted' },
      });
      assert.equal(extra.statusCode, 400);
      assert.equal((await client.request({ method: 'POST', url: `/estimates/${id}/request-changes` })).statusCode, 400);
      assert.equal((await get(owner, `/api/v1/estimates/${id}`)).status, 'sent');
      assert.equal(await count('history'), historyBefore);

      const { id: draft } = ok(await post(owner, '/api/v1/estimates', { customerId, lines: [line] }), 201);
      assert.equal((await requestChanges(client, draft, 'Hello')).statusCode, 404);
      assert.equal((await requestChanges(outsider, id, 'Not mine')).statusCode, 404);
      assert.equal((await requestChanges(client, 'est_unknown', 'Nobody')).statusCode, 404);
      const otherCustomer = await customerWithContacts(other, 'Elsewhere', ['fern@client.example']);
      const { id: foreign } = ok(
        await post(other, '/api/v1/estimates', { customerId: otherCustomer.id, lines: [line] }),
        201,
      );
      ok(await post(other, `/api/v1/estimates/${foreign}/send`));
      assert.equal((await requestChanges(client, foreign, 'Not here')).statusCode, 404);
    });

    test('accepted, declined and expired estimates cannot be asked to change (409)', async () => {
      const accepted = await sentEstimate();
      ok(await client.request({ method: 'POST', url: `/estimates/${accepted}/accept`, payload: {} }));
      assert.equal((await requestChanges(client, accepted, 'Too late')).statusCode, 409);
      const declined = await sentEstimate();
      ok(await client.request({ method: 'POST', url: `/estimates/${declined}/decline`, payload: {} }));
      assert.equal((await requestChanges(client, declined, 'Too late')).statusCode, 409);
      const pastExpiry = await sentEstimate({ issueDate: '2026-03-01', expiryDate: '2026-03-10' });
      assert.equal((await requestChanges(client, pastExpiry, 'Expired already')).statusCode, 409);
      assert.equal((await get(owner, `/api/v1/estimates/${pastExpiry}`)).status, 'sent');
    });

    test('the nightly expiry leaves an estimate waiting for the business alone', async () => {
      const id = await sentEstimate({ expiryDate: '2026-03-16' });
      ok(await requestChanges(client, id, 'Can we talk about the fence?'));
      const sentToo = await sentEstimate({ expiryDate: '2026-03-16' });
      // The night of the 20th (the sessions' clock stays put, so they do not time out).
      await expireEstimates({ ...harness.ctx, now: () => new Date('2026-03-20T01:00:00.000Z') });
      assert.equal((await get(owner, `/api/v1/estimates/${id}`)).status, 'changes_requested');
      assert.equal((await get(owner, `/api/v1/estimates/${sentToo}`)).status, 'expired');
    });

    test('two requests at once make one round; an accept racing a request: exactly one wins', async () => {
      const id = await sentEstimate();
      const twice = await Promise.all([
        requestChanges(client, id, 'First ask'),
        requestChanges(colleague, id, 'Second ask'),
      ]);
      assert.deepEqual(twice.map((r) => r.statusCode).sort(), [200, 409]);
      const rounds = (await history(id)).filter((entry) => entry.event === 'changes_requested');
      assert.equal(rounds.length, 1);

      for (let round = 0; round < 3; round += 1) {
        const raced = await sentEstimate();
        const [accept, ask] = await Promise.all([
          client.request({ method: 'POST', url: `/estimates/${raced}/accept`, payload: {} }),
          requestChanges(colleague, raced, 'Wait!'),
        ]);
        assert.deepEqual([accept.statusCode, ask.statusCode].sort(), [200, 409]);
        const final = await get(owner, `/api/v1/estimates/${raced}`);
        assert.equal(final.status, accept.statusCode === 200 ? 'accepted' : 'changes_requested');
        const decided = (await history(raced)).filter((e) => ['accepted', 'changes_requested'].includes(e.event));
        assert.equal(decided.length, 1);
      }
    });

    test('the change-request budget holds when requests arrive at once', async () => {
      // A client of its own, whose budget no other test used.
      const fresh = await customerWithContacts(owner, 'Budget & Sons', ['budget@client.example']);
      const counted = await activatedClient(
        harness,
        owner,
        slug,
        fresh.id,
        fresh.contacts['budget@client.example'] ?? '',
        'budget@client.example',
      );
      const budget = ACTION_LIMITS.changeRequest.perContactPerson;
      const saved = budget.max;
      budget.max = 2;
      try {
        const ids = await Promise.all([1, 2, 3, 4].map(() => sentEstimate({}, fresh.id)));
        const responses = await Promise.all(ids.map((id) => requestChanges(counted, id, 'Budget check')));
        assert.deepEqual(responses.map((r) => r.statusCode).sort(), [200, 200, 429, 429]);
        for (const response of responses.filter((r) => r.statusCode === 429)) {
          assert.equal(response.json().code, 'rate_limited');
          assert.ok(Number(response.headers['retry-after']) > 0);
        }
        const statuses = await Promise.all(ids.map(async (id) => (await get(owner, `/api/v1/estimates/${id}`)).status));
        assert.equal(statuses.filter((s) => s === 'changes_requested').length, 2);
        assert.equal(statuses.filter((s) => s === 'sent').length, 2);
      } finally {
        budget.max = saved;
      }
    });
  });

  describe('request a quote', () => {
    const ask = (who: PortalClient, payload: object) =>
      who.request({ method: 'POST', url: '/quote-requests', payload });

    test('the client asks; the business reads it, is e-mailed, and makes an estimate from it', async () => {
      const made = ok(
        await ask(client, { description: '  A new pond  ', details: 'About 3 m across, with a small pump.' }),
        201,
      );
      assert.equal(made.status, 'open');
      assert.equal(made.description, 'A new pond');
      assert.ok((await deliveries('quote.requested')).some((row) => row.payload.includes(made.id)));
      const mail = await db()
        .selectFrom('outboxMessages')
        .select(['subject', 'textBody'])
        .where('template', '=', 'portalActivity')
        .where('textBody', 'like', '%3 m across%')
        .executeTakeFirstOrThrow();
      assert.match(mail.subject, /asked for a quote/);
      assert.match(mail.textBody, /3 m across/);
      assert.match(mail.textBody, /http:\/\/portico\.test\/app\/quote-requests(?!\/)/);

      const mine = ok(await client.request({ method: 'GET', url: '/quote-requests' }));
      assert.ok(mine.data.some((r: { id: string }) => r.id === made.id));
      const theirs = ok(await colleague.request({ method: 'GET', url: '/quote-requests' }));
      assert.ok(!theirs.data.some((r: { id: string }) => r.id === made.id), 'a contact person sees only their own');

      const open = await get(owner, '/api/v1/quote-requests?status=open');
      const listed = open.data.find((r: { id: string }) => r.id === made.id);
      assert.equal(listed.customer.id, customerId);
      assert.equal(listed.contactPerson.name, 'Person 1');
      assert.equal(listed.details, 'About 3 m across, with a small pump.');

      const estimate = ok(
        await post(owner, '/api/v1/estimates', {
          customerId,
          quoteRequestId: made.id,
          subject: made.description,
          lines: [line],
        }),
        201,
      );
      assert.equal(estimate.quoteRequestId, made.id);
      const answered = await get(owner, `/api/v1/quote-requests/${made.id}`);
      assert.equal(answered.status, 'estimate_created');
      assert.equal(answered.estimateId, estimate.id);
      assert.equal(answered.estimateNumber, estimate.number);
      // The client sees the estimate only once it is sent.
      const beforeSending = ok(await client.request({ method: 'GET', url: '/quote-requests' }));
      const row = beforeSending.data.find((r: { id: string }) => r.id === made.id);
      assert.equal(row.status, 'estimate_created');
      assert.equal(row.estimateId, null);
      ok(await post(owner, `/api/v1/estimates/${estimate.id}/send`));
      const afterSending = ok(await client.request({ method: 'GET', url: '/quote-requests' }));
      assert.equal(afterSending.data.find((r: { id: string }) => r.id === made.id).estimateId, estimate.id);

      // Answered once: a second estimate from it is refused and not created; so is dismissing it.
      const estimatesBefore = await count('estimates');
      const again = await post(owner, '/api/v1/estimates', { customerId, quoteRequestId: made.id, lines: [line] });
      assert.equal(again.statusCode, 409, again.body);
      assert.equal(await count('estimates'), estimatesBefore);
      assert.equal((await post(owner, `/api/v1/quote-requests/${made.id}/dismiss`)).statusCode, 409);
    });

    test('dismissing: once, and only an open request of the organization', async () => {
      const made = ok(await ask(client, { description: 'Paving for the path' }), 201);
      assert.equal(made.details, null);
      const dismissed = ok(await post(owner, `/api/v1/quote-requests/${made.id}/dismiss`));
      assert.equal(dismissed.status, 'dismissed');
      assert.ok(dismissed.closedAt);
      assert.equal((await post(owner, `/api/v1/quote-requests/${made.id}/dismiss`)).statusCode, 409);
      const estimatesBefore = await count('estimates');
      const late = await post(owner, '/api/v1/estimates', { customerId, quoteRequestId: made.id, lines: [line] });
      assert.equal(late.statusCode, 409);
      assert.equal(await count('estimates'), estimatesBefore);
      // Another organization's id answers like a missing one.
      assert.equal((await other.request({ method: 'GET', url: `/api/v1/quote-requests/${made.id}` })).statusCode, 404);
      assert.equal((await post(other, `/api/v1/quote-requests/${made.id}/dismiss`)).statusCode, 404);
      assert.equal((await post(owner, '/api/v1/quote-requests/qrq_unknown/dismiss')).statusCode, 404);
      assert.equal((await other.request({ method: 'GET', url: '/api/v1/quote-requests' })).json().data.length, 0);
    });

    test("an estimate for another customer than the request's, or from an unknown request, is 400 and not made", async () => {
      const made = ok(await ask(client, { description: 'Hedge trimming' }), 201);
      const estimatesBefore = await count('estimates');
      const wrongCustomer = await post(owner, '/api/v1/estimates', {
        customerId: outsiderCustomerId,
        quoteRequestId: made.id,
        lines: [line],
      });
      assert.equal(wrongCustomer.statusCode, 400, wrongCustomer.body);
      const unknown = await post(owner, '/api/v1/estimates', {
        customerId,
        quoteRequestId: 'qrq_0000000000000000000000000a',
        lines: [line],
      });
      assert.equal(unknown.statusCode, 400, unknown.body);
      const badId = await post(owner, '/api/v1/estimates', { customerId, quoteRequestId: 'est_x', lines: [line] });
      assert.equal(badId.statusCode, 400);
      assert.equal(await count('estimates'), estimatesBefore);
      assert.equal((await get(owner, `/api/v1/quote-requests/${made.id}`)).status, 'open');
    });

    test('making an estimate racing a dismissal: exactly one wins', async () => {
      for (let round = 0; round < 3; round += 1) {
        const made = ok(await ask(client, { description: `Race ${round}` }), 201);
        const estimatesBefore = await count('estimates');
        const [estimate, dismissal] = await Promise.all([
          post(owner, '/api/v1/estimates', { customerId, quoteRequestId: made.id, lines: [line] }),
          post(owner, `/api/v1/quote-requests/${made.id}/dismiss`),
        ]);
        const won = [estimate.statusCode === 201, dismissal.statusCode === 200];
        assert.equal(won.filter(Boolean).length, 1, `${estimate.statusCode} ${dismissal.statusCode}`);
        assert.equal(estimate.statusCode === 201 ? dismissal.statusCode : estimate.statusCode, 409);
        const final = await get(owner, `/api/v1/quote-requests/${made.id}`);
        assert.equal(final.status, won[0] ? 'estimate_created' : 'dismissed');
        assert.equal(await count('estimates'), estimatesBefore + (won[0] ? 1 : 0));
      }
    });

    test('bad input is 400 and writes nothing', async () => {
      const before = await count('quoteRequests');
      for (const payload of [
        {},
        { description: '' },
        { description: '   ' },
        { description: 'x'.repeat(2001) },
        { description: 'Fine', details: 'x'.repeat(5001) },
        { description: 'Fine', attachment: 'data:' },
        { description: 7 },
      ]) {
        assert.equal((await ask(client, payload)).statusCode, 400, JSON.stringify(payload).slice(0, 60));
      }
      assert.equal(await count('quoteRequests'), before);
      const list = await owner.request({ method: 'GET', url: '/api/v1/quote-requests?status=closed' });
      assert.equal(list.statusCode, 400);
    });

    test('the quote-request budget holds when requests arrive at once', async () => {
      const budget = ACTION_LIMITS.quoteRequest.perContactPerson;
      const saved = budget.max;
      budget.max = 3;
      try {
        const before = await count('quoteRequests');
        const responses = await Promise.all(
          [1, 2, 3, 4, 5, 6].map((i) => ask(outsider, { description: `Request ${i}` })),
        );
        assert.equal(responses.filter((r) => r.statusCode === 201).length, 3);
        assert.equal(responses.filter((r) => r.statusCode === 429).length, 3);
        assert.equal(await count('quoteRequests'), before + 3);
      } finally {
        budget.max = saved;
      }
    });

    test('a business that turns quote requests off: the portal routes answer 404 and nothing is written', async () => {
      const session = ok(await client.request({ method: 'GET', url: '/session' }));
      assert.equal(session.settings.quoteRequests, true);
      ok(await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { quoteRequests: false } }));
      try {
        const before = await count('quoteRequests');
        assert.equal((await ask(client, { description: 'Anyone there?' })).statusCode, 404);
        assert.equal((await client.request({ method: 'GET', url: '/quote-requests' })).statusCode, 404);
        assert.equal(await count('quoteRequests'), before);
        assert.equal(ok(await client.request({ method: 'GET', url: '/session' })).settings.quoteRequests, false);
        // The business still reads what came in before.
        assert.ok((await get(owner, '/api/v1/quote-requests')).data.length > 0);
      } finally {
        ok(await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { quoteRequests: true } }));
      }
    });
  });
});
