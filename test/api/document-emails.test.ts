import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

/**
 * "Send" e-mails an estimate or invoice to the customer's contact persons with portal access and its primary contact
 * person, the PDF attached and the portal link inside, through the outbox; "Mark as sent" e-mails no one. The lists
 * filter by "viewed by client".
 */
describe('sending documents by e-mail, and the "viewed by client" filter', () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let client: PortalClient;
  let customerId: string;
  const PRIMARY = 'primary@send.example';
  const INVITED = 'invited@send.example';
  const OTHER = 'other@send.example';

  const json = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const response = await owner.request({ method, url, ...(payload ? { payload } : {}) });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const draft = async (kind: 'invoices' | 'estimates') =>
    (await json('POST', `/api/v1/${kind}`, { customerId, lines: [{ name: 'Work', quantity: '2', rate: 5000 }] }))
      .id as string;
  const outbox = () =>
    harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .selectAll()
      .where('organizationId', '=', owner.organizationId)
      .where('template', '=', 'documentSent')
      .orderBy('createdAt')
      .orderBy('toAddress')
      .execute();

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    slug = await enablePortal(owner);
    const customer = await customerWithContacts(owner, 'Send & Co', [PRIMARY, INVITED, OTHER]);
    customerId = customer.id;
    client = await activatedClient(harness, owner, slug, customerId, customer.contacts[INVITED] ?? '', INVITED);
  });
  after(() => harness.close());

  for (const kind of ['invoices', 'estimates'] as const) {
    test(`${kind}: send e-mails the PDF and the portal link to the primary and portal contact persons`, async () => {
      const id = await draft(kind);
      const sent = await json('POST', `/api/v1/${kind}/${id}/send`);
      assert.equal(sent.status, 'sent');
      const messages = (await outbox()).filter((m) => m.textBody.includes(`/${kind}/${id}`));
      assert.deepEqual(messages.map((m) => m.toAddress).sort(), [INVITED, PRIMARY]);
      for (const message of messages) {
        assert.match(message.subject, new RegExp(`${sent.number} from `));
        assert.ok(message.textBody.includes(`/portal/${slug}/${kind}/${id}`), message.textBody);
        const attachments = JSON.parse(message.attachments) as Array<{ filename: string; contentType: string }>;
        assert.equal(attachments.length, 1);
        assert.equal(attachments[0]?.contentType, 'application/pdf');
        assert.match(attachments[0]?.filename ?? '', new RegExp(sent.number));
      }
      const mailbox = await json('GET', '/api/v1/mailbox');
      assert.ok(mailbox.data.some((m: { template: string; to: string }) => m.template === 'documentSent'));
      const history = await json('GET', `/api/v1/${kind}/${id}/history`);
      assert.ok(
        history.data.some(
          (entry: { description: string }) =>
            entry.description.includes('sent by e-mail to') &&
            entry.description.includes(PRIMARY) &&
            entry.description.includes(INVITED),
        ),
        JSON.stringify(history),
      );
    });

    test(`${kind}: mark as sent e-mails no one; send then e-mails it again, and the status stays`, async () => {
      const before = (await outbox()).length;
      const id = await draft(kind);
      assert.equal((await json('POST', `/api/v1/${kind}/${id}/mark-sent`)).status, 'sent');
      assert.equal((await outbox()).length, before);
      const again = await json('POST', `/api/v1/${kind}/${id}/send`);
      assert.equal(again.status, 'sent');
      const messages = (await outbox()).filter((m) => m.textBody.includes(`/${kind}/${id}`));
      assert.deepEqual(messages.map((m) => m.toAddress).sort(), [INVITED, PRIMARY]);
      const history = await json('GET', `/api/v1/${kind}/${id}/history`);
      assert.ok(
        history.data.some((entry: { description: string }) => entry.description.includes('e-mailed again to')),
        JSON.stringify(history),
      );
    });

    test(`${kind}: ?viewed=true lists what a client opened, ?viewed=false the rest`, async () => {
      const opened = await draft(kind);
      const unseen = await draft(kind);
      await json('POST', `/api/v1/${kind}/${opened}/mark-sent`);
      await json('POST', `/api/v1/${kind}/${unseen}/mark-sent`);
      assert.equal((await client.request({ method: 'GET', url: `/${kind}/${opened}` })).statusCode, 200);
      const viewed = (await json('GET', `/api/v1/${kind}?viewed=true&limit=100`)).data.map((d: { id: string }) => d.id);
      const notViewed = (await json('GET', `/api/v1/${kind}?viewed=false&limit=100`)).data.map(
        (d: { id: string }) => d.id,
      );
      assert.ok(viewed.includes(opened));
      assert.ok(!viewed.includes(unseen));
      assert.ok(notViewed.includes(unseen));
      assert.ok(!notViewed.includes(opened));
      const bad = await owner.request({ method: 'GET', url: `/api/v1/${kind}?viewed=maybe` });
      assert.equal(bad.statusCode, 400);
    });
  }

  test('a declined estimate, edited, is sent again by e-mail', async () => {
    const id = await draft('estimates');
    await json('POST', `/api/v1/estimates/${id}/send`);
    const declined = await client.request({
      method: 'POST',
      url: `/estimates/${id}/decline`,
      payload: { reason: 'Too dear' },
    });
    assert.equal(declined.statusCode, 200, declined.body);
    await json('PATCH', `/api/v1/estimates/${id}`, { lines: [{ name: 'Work', quantity: '1', rate: 5000 }] });
    const before = (await outbox()).length;
    const resent = await json('POST', `/api/v1/estimates/${id}/send`);
    assert.equal(resent.status, 'sent');
    assert.equal(resent.declineReason, null);
    assert.equal((await outbox()).length - before, 2);
  });

  test('what is settled is not e-mailed again: a paid invoice, an accepted estimate (409, nothing queued)', async () => {
    const invoice = await draft('invoices');
    await json('POST', `/api/v1/invoices/${invoice}/mark-sent`);
    await json('POST', '/api/v1/payments', {
      customerId,
      date: '2026-03-15',
      mode: 'cash',
      amount: 10000,
      allocations: [{ invoiceId: invoice, amount: 10000 }],
    });
    const estimate = await draft('estimates');
    await json('POST', `/api/v1/estimates/${estimate}/mark-sent`);
    const accepted = await client.request({ method: 'POST', url: `/estimates/${estimate}/accept`, payload: {} });
    assert.equal(accepted.statusCode, 200, accepted.body);
    const before = (await outbox()).length;
    for (const url of [`/api/v1/invoices/${invoice}/send`, `/api/v1/estimates/${estimate}/send`]) {
      const refused = await owner.request({ method: 'POST', url });
      assert.equal(refused.statusCode, 409, refused.body);
    }
    assert.equal((await outbox()).length, before);
  });

  test('a customer with no one to e-mail: send still issues the document, and says so in its history', async () => {
    const lonely = await json('POST', '/api/v1/customers', { displayName: 'No Contacts Ltd' });
    const { id } = await json('POST', '/api/v1/invoices', {
      customerId: lonely.id,
      lines: [{ name: 'Work', quantity: '1', rate: 100 }],
    });
    const before = (await outbox()).length;
    assert.equal((await json('POST', `/api/v1/invoices/${id}/send`)).status, 'sent');
    assert.equal((await outbox()).length, before);
    const history = await json('GET', `/api/v1/invoices/${id}/history`);
    assert.ok(
      history.data.some((entry: { description: string }) => entry.description.includes('not e-mailed')),
      JSON.stringify(history),
    );
    const again = await owner.request({ method: 'POST', url: `/api/v1/invoices/${id}/send` });
    assert.equal(again.statusCode, 409, again.body);
    assert.match(again.json().detail, /no contact person with an e-mail address/);
  });
});
