import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

describe('portal: comments on documents and projects', () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let clientA: PortalClient;
  let clientA2: PortalClient;
  let clientB: PortalClient;
  const ownerEmail = 'owner-comments@example.com';
  const docs = {} as Record<
    'estimate' | 'draftEstimate' | 'invoice' | 'draftInvoice' | 'retainer' | 'draftRetainer' | 'project' | 'invoiceOfB',
    string
  >;
  const line = { name: 'Work', quantity: '1', rate: 1000 };

  const post = async (url: string, payload: object = {}) => {
    const response = await owner.request({ method: 'POST', url, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const settings = async (payload: object) => {
    const response = await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload });
    assert.equal(response.statusCode, 200, response.body);
  };
  /** Each comment a second after the last, so that threads and the outbox have one order. */
  const tick = () => {
    harness.clock.now = new Date(harness.clock.now.getTime() + 1000);
  };
  const businessComment = (segment: string, id: string, text: string, showInPortal: boolean) => {
    tick();
    return post(`/api/v1/${segment}/${id}/comments`, { text, showInPortal });
  };
  const clientComment = (client: PortalClient, segment: string, id: string, text: string) => {
    tick();
    return client.request({ method: 'POST', url: `/${segment}/${id}/comments`, payload: { text } });
  };
  const thread = (client: PortalClient, segment: string, id: string) =>
    client.request({ method: 'GET', url: `/${segment}/${id}/comments` });
  const outbox = (template: string) =>
    harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select(['toAddress', 'subject', 'textBody', 'htmlBody'])
      .where('organizationId', '=', owner.organizationId)
      .where('template', '=', template)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
  const commentCount = async () =>
    Number(
      (
        await harness.ctx.db.kysely
          .selectFrom('comments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Bluebird Studio', ownerEmail });
    slug = await enablePortal(owner, { showProjects: true, notifyMe: true, emailCustomerOnComment: false });
    const a = await customerWithContacts(owner, 'Client A', [
      'a1@client.example',
      'a2@client.example',
      'a3@client.example',
    ]);
    const b = await customerWithContacts(owner, 'Client B', ['b@client.example']);
    clientA = await activatedClient(
      harness,
      owner,
      slug,
      a.id,
      a.contacts['a1@client.example'] ?? '',
      'a1@client.example',
    );
    clientA2 = await activatedClient(
      harness,
      owner,
      slug,
      a.id,
      a.contacts['a2@client.example'] ?? '',
      'a2@client.example',
    );
    clientB = await activatedClient(
      harness,
      owner,
      slug,
      b.id,
      b.contacts['b@client.example'] ?? '',
      'b@client.example',
    );

    docs.estimate = (await post('/api/v1/estimates', { customerId: a.id, lines: [line] })).id;
    await post(`/api/v1/estimates/${docs.estimate}/send`);
    docs.draftEstimate = (await post('/api/v1/estimates', { customerId: a.id, lines: [line] })).id;
    docs.invoice = (await post('/api/v1/invoices', { customerId: a.id, lines: [line] })).id;
    await post(`/api/v1/invoices/${docs.invoice}/send`);
    docs.draftInvoice = (await post('/api/v1/invoices', { customerId: a.id, lines: [line] })).id;
    const retainer = { customerId: a.id, lines: [{ description: 'Advance', amount: 5000 }] };
    docs.retainer = (await post('/api/v1/retainer-invoices', retainer)).id;
    await post(`/api/v1/retainer-invoices/${docs.retainer}/send`);
    docs.draftRetainer = (await post('/api/v1/retainer-invoices', retainer)).id;
    docs.project = (await post('/api/v1/projects', { customerId: a.id, name: 'Website', billingMethod: 'fixed' })).id;
    docs.invoiceOfB = (await post('/api/v1/invoices', { customerId: b.id, lines: [line] })).id;
    await post(`/api/v1/invoices/${docs.invoiceOfB}/send`);
  });
  after(() => harness.close());

  test('the thread shows client comments and business replies marked for the portal only', async () => {
    await businessComment('invoices', docs.invoice, 'Internal: chase them next week', false);
    const shown = await businessComment('invoices', docs.invoice, 'Thanks, payment received soon?', true);
    const mine = await clientComment(clientA, 'invoices', docs.invoice, 'Paying on Friday.');
    assert.equal(mine.statusCode, 201, mine.body);
    assert.equal((await clientComment(clientA2, 'invoices', docs.invoice, 'Confirmed.')).statusCode, 201);
    const withdrawn = await businessComment('invoices', docs.invoice, 'Oops, wrong customer', true);
    const deleted = await owner.request({
      method: 'DELETE',
      url: `/api/v1/invoices/${docs.invoice}/comments/${withdrawn.id}`,
    });
    assert.equal(deleted.statusCode, 204, deleted.body);

    const response = await thread(clientA, 'invoices', docs.invoice);
    assert.equal(response.statusCode, 200, response.body);
    const { data, nextCursor } = response.json();
    assert.equal(nextCursor, null);
    assert.deepEqual(
      data.map((c: { authorType: string; authorName: string; mine: boolean; text: string }) => [
        c.authorType,
        c.authorName,
        c.mine,
        c.text,
      ]),
      [
        ['business', 'Bluebird Studio', false, 'Thanks, payment received soon?'],
        ['client', 'Person 1', true, 'Paying on Friday.'],
        ['client', 'Person 2', false, 'Confirmed.'],
      ],
    );
    assert.equal(data[0].id, shown.id);
    assert.equal(data[1].id, mine.json().id);
    for (const secret of ['Internal', 'Oops', owner.userId, 'userId', 'contactPersonId', 'Owner']) {
      assert.ok(!response.body.includes(secret), secret);
    }
    // The colleague sees the same thread, with "mine" turned around.
    const colleague = (await thread(clientA2, 'invoices', docs.invoice)).json().data;
    assert.deepEqual(
      colleague.map((c: { mine: boolean }) => c.mine),
      [false, false, true],
    );
    const page = await clientA.request({ method: 'GET', url: `/invoices/${docs.invoice}/comments?limit=2` });
    assert.equal(page.json().data.length, 2);
    const rest = await clientA.request({
      method: 'GET',
      url: `/invoices/${docs.invoice}/comments?limit=2&cursor=${page.json().nextCursor}`,
    });
    assert.deepEqual(
      rest.json().data.map((c: { text: string }) => c.text),
      ['Confirmed.'],
    );
  });

  test('a client comment is recorded in the history and cannot be deleted by the business (409)', async () => {
    const created = await clientComment(clientA, 'invoices', docs.invoice, '  Please send a PDF.  ');
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().text, 'Please send a PDF.');
    assert.equal(created.json().mine, true);
    const history = (await owner.request({ method: 'GET', url: `/api/v1/invoices/${docs.invoice}/history` })).json();
    const entry = history.data.find((h: { event: string }) => h.event === 'commented');
    assert.ok(entry, 'a history entry');
    assert.equal(entry.actorType, 'contact_person');
    assert.equal(entry.actorName, 'Person 1');
    const business = (await owner.request({ method: 'GET', url: `/api/v1/invoices/${docs.invoice}/comments` })).json();
    assert.ok(business.data.some((c: { id: string }) => c.id === created.json().id));
    const refused = await owner.request({
      method: 'DELETE',
      url: `/api/v1/invoices/${docs.invoice}/comments/${created.json().id}`,
    });
    assert.equal(refused.statusCode, 409, refused.body);
    const still = (await thread(clientA, 'invoices', docs.invoice)).json().data;
    assert.ok(still.some((c: { id: string }) => c.id === created.json().id));
  });

  test('estimates, retainer invoices and projects have threads too', async () => {
    for (const [segment, id] of [
      ['estimates', docs.estimate],
      ['retainer-invoices', docs.retainer],
      ['projects', docs.project],
    ] as const) {
      const created = await clientComment(clientA, segment, id, `About this ${segment}`);
      assert.equal(created.statusCode, 201, `${segment}: ${created.body}`);
      const list = await thread(clientA, segment, id);
      assert.equal(list.statusCode, 200, list.body);
      assert.deepEqual(
        list.json().data.map((c: { text: string }) => c.text),
        [`About this ${segment}`],
      );
    }
  });

  test("drafts, another customer's documents and unknown ids answer 404, and nothing is written", async () => {
    const before = await commentCount();
    for (const [client, segment, id] of [
      [clientA, 'estimates', docs.draftEstimate],
      [clientA, 'invoices', docs.draftInvoice],
      [clientA, 'retainer-invoices', docs.draftRetainer],
      [clientA, 'invoices', docs.invoiceOfB],
      [clientA, 'invoices', 'inv_unknown'],
      [clientB, 'invoices', docs.invoice],
      [clientB, 'projects', docs.project],
      [clientB, 'estimates', docs.estimate],
    ] as const) {
      const list = await thread(client, segment, id);
      assert.equal(list.statusCode, 404, `${segment} ${id}: ${list.body}`);
      assert.equal(list.json().code, 'not_found');
      const add = await clientComment(client, segment, id, 'Hello?');
      assert.equal(add.statusCode, 404, `${segment} ${id}: ${add.body}`);
    }
    // Projects are only there while the portal shows them.
    await settings({ showProjects: false });
    assert.equal((await thread(clientA, 'projects', docs.project)).statusCode, 404);
    assert.equal((await clientComment(clientA, 'projects', docs.project, 'Hello?')).statusCode, 404);
    await settings({ showProjects: true });
    assert.equal(await commentCount(), before);
  });

  test('bad comments answer 400 and write nothing', async () => {
    const before = await commentCount();
    for (const payload of [
      { text: '' },
      { text: '   \n ' },
      { text: 'x'.repeat(5001) },
      {},
      { text: 'Hi', extra: 1 },
    ]) {
      const response = await clientA.request({
        method: 'POST',
        url: `/invoices/${docs.invoice}/comments`,
        payload,
      });
      assert.equal(response.statusCode, 400, JSON.stringify(payload).slice(0, 50));
      assert.equal(response.json().code, 'validation_failed');
    }
    assert.equal(await commentCount(), before);
  });

  test('the business is e-mailed about a client comment when "notify me" is on, and not when off', async () => {
    const before = (await outbox('portalActivity')).length;
    await clientComment(clientA, 'estimates', docs.estimate, 'Can we start in April?');
    const after = await outbox('portalActivity');
    assert.equal(after.length, before + 1);
    const email = after.at(-1);
    assert.equal(email?.toAddress, ownerEmail);
    assert.match(email?.subject ?? '', /commented on estimate/);
    assert.ok(email?.textBody.includes('Can we start in April?'));

    await settings({ notifyMe: false });
    await clientComment(clientA, 'estimates', docs.estimate, 'Any news?');
    assert.equal((await outbox('portalActivity')).length, before + 1);
    await settings({ notifyMe: true });
  });

  test('the customer is e-mailed about a reply only when the setting is on, and only for portal replies', async () => {
    assert.equal((await outbox('businessReply')).length, 0);
    await businessComment('invoices', docs.invoice, 'Setting is off', true);
    assert.equal((await outbox('businessReply')).length, 0);

    await settings({ emailCustomerOnComment: true });
    await businessComment('invoices', docs.invoice, 'Internal only', false);
    await businessComment('invoices', docs.draftInvoice, 'On a draft', true);
    assert.equal((await outbox('businessReply')).length, 0);

    await businessComment('invoices', docs.invoice, 'We received your payment.', true);
    const sent = await outbox('businessReply');
    // The portal's active users of the customer: not a3 (never invited), not customer B.
    assert.deepEqual(sent.map((m) => m.toAddress).sort(), ['a1@client.example', 'a2@client.example']);
    const link = `http://portico.test/portal/${slug}/invoices/${docs.invoice}`;
    for (const message of sent) {
      assert.ok(message.textBody.includes('We received your payment.'));
      assert.ok(message.textBody.includes(link), message.textBody);
      assert.ok(message.htmlBody.includes(link));
      assert.match(message.subject, /^Bluebird Studio commented on invoice INV-/);
    }
    await businessComment('projects', docs.project, 'Kick-off on Monday.', true);
    const project = (await outbox('businessReply')).slice(2);
    assert.equal(project.length, 2);
    assert.ok(project[0]?.textBody.includes(`http://portico.test/portal/${slug}/projects/${docs.project}`));
    await settings({ emailCustomerOnComment: false });
  });

  test('markup in a comment is plain text in JSON and escaped in the e-mails', async () => {
    const payload = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
    const created = await clientComment(clientA, 'invoices', docs.invoice, payload);
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().text, payload);
    const listed = (await thread(clientA, 'invoices', docs.invoice)).json().data.at(-1);
    assert.equal(listed.text, payload);
    const notice = (await outbox('portalActivity')).at(-1);
    assert.ok(notice?.htmlBody.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img'));
    assert.ok(!notice?.htmlBody.includes('<script'));
    assert.ok(!notice?.htmlBody.includes('<img'));

    await settings({ emailCustomerOnComment: true });
    const reply = await businessComment('invoices', docs.invoice, payload, true);
    assert.equal(reply.text, payload);
    const replies = (await outbox('businessReply')).slice(-2);
    assert.equal(replies.length, 2);
    for (const message of replies) {
      assert.ok(message.htmlBody.includes('&lt;script&gt;'));
      assert.ok(!message.htmlBody.includes('<script'));
      assert.ok(!message.htmlBody.includes('<img'));
      assert.ok(message.textBody.includes(payload));
    }
    const portalView = (await thread(clientA2, 'invoices', docs.invoice)).json().data.at(-1);
    assert.deepEqual([portalView.authorType, portalView.text], ['business', payload]);
  });
});
