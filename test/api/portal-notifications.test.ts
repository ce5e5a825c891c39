import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

/** "Notify me about portal activity" (PRODUCT.md §1): the e-mails owners and admins get about clients' actions. */
describe('portal activity e-mails to the business', () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let client: PortalClient;
  const ownerEmail = 'owner-notify@example.com';
  const adminEmail = 'admin-notify@example.com';
  const staffEmail = 'staff-notify@example.com';
  const line = { name: 'Design work', quantity: '1', rate: 1000 };

  const post = async (url: string, payload: object = {}) => {
    const response = await owner.request({ method: 'POST', url, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  let customerId: string;
  const sentEstimate = async () => {
    const { id, number } = await post('/api/v1/estimates', { customerId, lines: [line] });
    await post(`/api/v1/estimates/${id}/send`);
    return { id: id as string, number: number as string };
  };
  const sentInvoice = async () => {
    const { id, number } = await post('/api/v1/invoices', { customerId, lines: [line] });
    await post(`/api/v1/invoices/${id}/send`);
    return { id: id as string, number: number as string };
  };
  /** The activity e-mails written since `since` (an outbox count), oldest first. */
  const activityMails = () =>
    harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .selectAll()
      .where('organizationId', '=', owner.organizationId)
      .where('template', '=', 'portalActivity')
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
  /** Runs `action` and returns the activity e-mails it wrote. */
  const mailsOf = async (action: () => Promise<unknown>) => {
    const before = new Set((await activityMails()).map((m) => m.id));
    await action();
    return (await activityMails()).filter((m) => !before.has(m.id));
  };
  const ok = async (request: Promise<{ statusCode: number; body: string }>) => {
    const response = await request;
    assert.ok(response.statusCode < 300, `${response.statusCode} ${response.body}`);
    return response;
  };

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Brightside Studio', ownerEmail });
    slug = await enablePortal(owner, { notifyMe: true });
    await post('/api/v1/users', {
      email: adminEmail,
      name: 'Admin',
      role: 'admin',
      password: 'a quiet evening by the harbour',
    });
    await post('/api/v1/users', {
      email: staffEmail,
      name: 'Staff',
      role: 'staff',
      password: 'a quiet evening by the harbour',
    });
    const mine = await customerWithContacts(owner, 'Client A', ['ann@a.example']);
    customerId = mine.id;
    client = await activatedClient(
      harness,
      owner,
      slug,
      mine.id,
      mine.contacts['ann@a.example'] ?? '',
      'ann@a.example',
    );
  });
  after(() => harness.close());

  test('first view of an estimate and of an invoice: one e-mail to each owner and admin; a second view: none', async () => {
    for (const [kind, make] of [
      ['estimate', sentEstimate],
      ['invoice', sentInvoice],
    ] as const) {
      const document = await make();
      const url = `/${kind}s/${document.id}`;
      const first = await mailsOf(() => ok(client.request({ method: 'GET', url })));
      assert.deepEqual(first.map((m) => m.toAddress).sort(), [adminEmail, ownerEmail]);
      for (const mail of first) {
        assert.equal(mail.subject, `Person 1 of Client A viewed ${kind} ${document.number}`);
        assert.ok(mail.textBody.includes(`/app/${kind}s/${document.id}`), 'links to the document in the back office');
      }
      const second = await mailsOf(() => ok(client.request({ method: 'GET', url })));
      assert.equal(second.length, 0);
    }
  });

  test('accepting an estimate e-mails the business, with the signature', async () => {
    const estimate = await sentEstimate();
    const mails = await mailsOf(() =>
      ok(
        client.request({
          method: 'POST',
          url: `/estimates/${estimate.id}/accept`,
          payload: { signatureName: 'Ann A.' },
        }),
      ),
    );
    const accepted = mails.filter((m) => m.subject.includes('accepted'));
    assert.deepEqual(accepted.map((m) => m.toAddress).sort(), [adminEmail, ownerEmail]);
    assert.equal(accepted[0]?.subject, `Person 1 of Client A accepted estimate ${estimate.number}`);
    assert.match(accepted[0]?.textBody ?? '', /Signed as: Ann A\./);
  });

  test('declining with a reason e-mails the business quoting it, escaped, the subject on one line', async () => {
    // The client may rename themselves (My account): a line break in the name must not reach a header.
    await ok(
      client.request({
        method: 'PATCH',
        url: '/account',
        payload: { contactPerson: { firstName: 'Mia\r\nBcc: victim@evil.example' } },
      }),
    );
    const estimate = await sentEstimate();
    const reason = 'Too dear <script>alert(1)</script>\r\nSubject: gotcha';
    const mails = await mailsOf(() =>
      ok(client.request({ method: 'POST', url: `/estimates/${estimate.id}/decline`, payload: { reason } })),
    );
    const declined = mails.filter((m) => m.subject.includes('declined'));
    assert.equal(declined.length, 2);
    for (const mail of declined) {
      assert.ok(!/[\r\n]/.test(mail.subject), `one line: ${JSON.stringify(mail.subject)}`);
      assert.match(mail.subject, new RegExp(`declined estimate ${estimate.number}$`));
      assert.ok(!mail.htmlBody.includes('<script>'), 'the reason is escaped in the HTML body');
      assert.ok(mail.htmlBody.includes('Too dear &lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.match(mail.textBody, /Reason: Too dear <script>alert\(1\)<\/script>/);
    }
    await ok(
      client.request({ method: 'PATCH', url: '/account', payload: { contactPerson: { firstName: 'Person 1' } } }),
    );
  });

  test('changing my details e-mails the business what changed', async () => {
    const mails = await mailsOf(() =>
      ok(
        client.request({
          method: 'PATCH',
          url: '/account',
          payload: { contactPerson: { phone: '+1 555 0100' }, customer: { billingAddress: { city: 'Leeds' } } },
        }),
      ),
    );
    assert.deepEqual(mails.map((m) => m.toAddress).sort(), [adminEmail, ownerEmail]);
    assert.equal(mails[0]?.subject, 'Person 1 of Client A changed their details in the portal');
    assert.match(mails[0]?.textBody ?? '', /Changed: phone, billing address/);
  });

  test('staff users are never e-mailed', async () => {
    const all = await activityMails();
    assert.ok(all.length > 0);
    assert.ok(all.every((m) => m.toAddress !== staffEmail));
  });

  test('with "notify me" off: no e-mail for views, decisions or changes', async () => {
    await ok(owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { notifyMe: false } }));
    try {
      const estimate = await sentEstimate();
      const other = await sentEstimate();
      const invoice = await sentInvoice();
      const mails = await mailsOf(async () => {
        await ok(client.request({ method: 'GET', url: `/estimates/${estimate.id}` }));
        await ok(client.request({ method: 'GET', url: `/invoices/${invoice.id}` }));
        await ok(client.request({ method: 'POST', url: `/estimates/${estimate.id}/accept`, payload: {} }));
        await ok(client.request({ method: 'POST', url: `/estimates/${other.id}/decline`, payload: { reason: 'No' } }));
        await ok(client.request({ method: 'PATCH', url: '/account', payload: { contactPerson: { phone: '1' } } }));
      });
      assert.deepEqual(mails, []);
    } finally {
      await ok(owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { notifyMe: true } }));
    }
  });
});
