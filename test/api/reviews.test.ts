import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, signIn, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

describe('reviews: clients rate the organization, the business reads them', () => {
  let harness: Harness;
  let owner: Actor;
  let staff: Actor;
  let otherOwner: Actor;
  let slug: string;
  let ann: PortalClient;
  let bea: PortalClient;
  let annId: string;
  let customerA: string;

  const reviewRows = () =>
    harness.ctx.db.kysely
      .selectFrom('reviews')
      .selectAll()
      .where('organizationId', '=', owner.organizationId)
      .orderBy('id')
      .execute();
  const reviewMails = () =>
    harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .selectAll()
      .where('organizationId', '=', owner.organizationId)
      .where('template', '=', 'portalActivity')
      .where('subject', 'like', '%reviewed%')
      .orderBy('createdAt')
      .orderBy('id')
      .execute();

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Brightside Studio' });
    otherOwner = await createOrgAndSignIn(harness);
    slug = await enablePortal(owner, { reviews: true });
    const a = await customerWithContacts(owner, 'Client A', ['ann@a.example']);
    const b = await customerWithContacts(owner, 'Client B', ['bea@b.example']);
    customerA = a.id;
    annId = a.contacts['ann@a.example'] ?? '';
    ann = await activatedClient(harness, owner, slug, a.id, annId, 'ann@a.example');
    bea = await activatedClient(harness, owner, slug, b.id, b.contacts['bea@b.example'] ?? '', 'bea@b.example');
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'staff@example.com', name: 'Staff', role: 'staff', password: 'a quiet evening by the harbour' },
    });
    assert.equal(created.statusCode, 201, created.body);
    staff = await signIn(harness, 'staff@example.com', 'a quiet evening by the harbour', {
      organizationId: owner.organizationId,
      userId: created.json().id,
    });
  });
  after(() => harness.close());

  test('no review yet: null', async () => {
    const response = await ann.request({ method: 'GET', url: '/review' });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json(), null);
  });

  test('a client rates the organization; audited; the business is e-mailed the rating and comment', async () => {
    const response = await ann.request({
      method: 'PUT',
      url: '/review',
      payload: { rating: 5, comment: '  Quick and friendly <script>alert(1)</script>  ' },
    });
    assert.equal(response.statusCode, 200, response.body);
    const review = response.json();
    assert.equal(review.rating, 5);
    assert.equal(review.comment, 'Quick and friendly <script>alert(1)</script>');
    assert.deepEqual((await ann.request({ method: 'GET', url: '/review' })).json(), review);

    const log = (await owner.request({ method: 'GET', url: '/api/v1/audit-log?event=portal.review_submitted' })).json();
    assert.equal(log.data.length, 1);
    assert.equal(log.data[0].contactPersonId, annId);
    assert.equal(log.data[0].details.rating, 5);

    const mails = await reviewMails();
    assert.equal(mails.length, 1);
    const [mail] = mails;
    assert.ok(mail);
    assert.match(mail.subject, /reviewed your organization/);
    assert.match(mail.textBody, /Rating: 5 of 5/);
    assert.match(mail.textBody, /Quick and friendly/);
    assert.ok(!mail.htmlBody.includes('<script>'), 'the comment is escaped in the HTML');
    assert.ok(mail.htmlBody.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  test('a second review replaces the first: one review per contact person', async () => {
    harness.clock.now = new Date('2026-03-15T10:01:00.000Z');
    const response = await ann.request({ method: 'PUT', url: '/review', payload: { rating: 3 } });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().rating, 3);
    assert.equal(response.json().comment, null);
    assert.equal(response.json().createdAt, '2026-03-15T10:00:00.000Z');
    assert.equal(response.json().updatedAt, '2026-03-15T10:01:00.000Z');
    const rows = await reviewRows();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.customerId, customerA);
    assert.equal((await reviewMails()).length, 2);
  });

  test('bad input answers 400 and changes nothing', async () => {
    const before = await reviewRows();
    const mailsBefore = (await reviewMails()).length;
    for (const payload of [
      {},
      { rating: 0 },
      { rating: 6 },
      { rating: 2.5 },
      { rating: '4' },
      { rating: 4, comment: 'x'.repeat(2001) },
      { rating: 4, customerId: customerA },
      { rating: 4, contactPersonId: annId },
      { rating: 4, organizationId: owner.organizationId },
    ]) {
      const response = await ann.request({ method: 'PUT', url: '/review', payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
    }
    assert.deepEqual(await reviewRows(), before);
    assert.equal((await reviewMails()).length, mailsBefore);
  });

  test('the business lists reviews newest first, with count and average; staff may read', async () => {
    harness.clock.now = new Date('2026-03-15T10:02:00.000Z');
    assert.equal(
      (await bea.request({ method: 'PUT', url: '/review', payload: { rating: 4, comment: 'Good' } })).statusCode,
      200,
    );
    for (const actor of [owner, staff]) {
      const response = await actor.request({ method: 'GET', url: '/api/v1/reviews' });
      assert.equal(response.statusCode, 200, response.body);
      const page = response.json();
      assert.deepEqual(page.summary, { count: 2, averageRating: 3.5 });
      assert.deepEqual(
        page.data.map((r: { customerName: string; rating: number; contactPersonName: string }) => [
          r.customerName,
          r.contactPersonName,
          r.rating,
        ]),
        [
          ['Client B', 'Person 1', 4],
          ['Client A', 'Person 1', 3],
        ],
      );
      assert.equal(page.data[1].contactPersonId, annId);
      assert.equal(page.data[1].customerId, customerA);
      assert.equal(page.nextCursor, null);
    }
    const first = (await owner.request({ method: 'GET', url: '/api/v1/reviews?limit=1' })).json();
    assert.equal(first.data.length, 1);
    assert.equal(first.data[0].customerName, 'Client B');
    assert.ok(first.nextCursor);
    const second = (
      await owner.request({ method: 'GET', url: `/api/v1/reviews?limit=1&cursor=${first.nextCursor}` })
    ).json();
    assert.deepEqual(
      second.data.map((r: { customerName: string }) => r.customerName),
      ['Client A'],
    );
    assert.equal(second.nextCursor, null);
    assert.equal((await owner.request({ method: 'GET', url: '/api/v1/reviews?cursor=bogus' })).statusCode, 400);
  });

  test('another organization sees none of these reviews', async () => {
    const page = (await otherOwner.request({ method: 'GET', url: '/api/v1/reviews' })).json();
    assert.deepEqual(page, { data: [], nextCursor: null, summary: { count: 0, averageRating: null } });
  });

  test('with reviews switched off, the portal routes are 404 and nothing is written', async () => {
    await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { reviews: false } });
    try {
      const before = await reviewRows();
      assert.equal((await ann.request({ method: 'GET', url: '/review' })).statusCode, 404);
      const put = await ann.request({ method: 'PUT', url: '/review', payload: { rating: 1 } });
      assert.equal(put.statusCode, 404);
      assert.equal(put.json().code, 'not_found');
      assert.deepEqual(await reviewRows(), before);
    } finally {
      await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { reviews: true } });
    }
  });

  test('no e-mail to the business when "notify me" is off, the review is still saved', async () => {
    await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { notifyMe: false } });
    try {
      const mailsBefore = (await reviewMails()).length;
      const response = await bea.request({ method: 'PUT', url: '/review', payload: { rating: 2 } });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal((await reviewMails()).length, mailsBefore);
    } finally {
      await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { notifyMe: true } });
    }
  });
});
