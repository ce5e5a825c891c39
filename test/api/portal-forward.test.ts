import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

describe('portal: forwarding an estimate or invoice by e-mail', () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let ann: PortalClient;
  let customerA: string;
  let customerB: string;
  let invoice: { id: string; number: string };
  let estimate: { id: string; number: string };
  let draftInvoice: string;
  let draftEstimate: string;
  let invoiceOfB: string;
  let otherOrganizationInvoice: string;
  const line = { name: 'Design work', quantity: '1', rate: 125000 };

  const post = async (actor: Actor, url: string, payload: object = {}) => {
    const response = await actor.request({ method: 'POST', url, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const newDocument = async (actor: Actor, kind: 'estimates' | 'invoices', customerId: string, send: boolean) => {
    const created = await post(actor, `/api/v1/${kind}`, {
      customerId,
      lines: [line],
      ...(kind === 'invoices' ? { issueDate: '2026-03-01', dueDate: '2026-03-31' } : {}),
    });
    if (send) await post(actor, `/api/v1/${kind}/${created.id}/send`);
    return { id: created.id as string, number: created.number as string };
  };
  const forward = (client: PortalClient, kind: 'estimates' | 'invoices', id: string, payload: object) =>
    client.request({ method: 'POST', url: `/${kind}/${id}/forward`, payload });
  /** Everything a forward writes: e-mails, contact persons, history. */
  const footprint = async () => {
    const db = harness.ctx.db.kysely;
    const count = async (table: 'outboxMessages' | 'contactPersons' | 'history') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('organizationId', '=', owner.organizationId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      outbox: await count('outboxMessages'),
      people: await count('contactPersons'),
      history: await count('history'),
    };
  };
  const mailsTo = (to: string) =>
    harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .selectAll()
      .where('toAddress', '=', to)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
  const peopleOf = async (customerId: string) =>
    (await owner.request({ method: 'GET', url: `/api/v1/customers/${customerId}` })).json().contactPersons as Array<{
      id: string;
      email: string | null;
      portalStatus: string;
      firstName: string;
    }>;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Brightside Studio' });
    slug = await enablePortal(owner, { allowForwarding: true });
    const a = await customerWithContacts(owner, 'Client A', ['ann@a.example']);
    const b = await customerWithContacts(owner, 'Client B', ['bea@b.example']);
    customerA = a.id;
    customerB = b.id;
    ann = await activatedClient(harness, owner, slug, a.id, a.contacts['ann@a.example'] ?? '', 'ann@a.example');
    invoice = await newDocument(owner, 'invoices', customerA, true);
    estimate = await newDocument(owner, 'estimates', customerA, true);
    draftInvoice = (await newDocument(owner, 'invoices', customerA, false)).id;
    draftEstimate = (await newDocument(owner, 'estimates', customerA, false)).id;
    invoiceOfB = (await newDocument(owner, 'invoices', customerB, true)).id;
    const other = await createOrgAndSignIn(harness);
    const otherCustomer = await customerWithContacts(other, 'Elsewhere', ['x@elsewhere.example']);
    otherOrganizationInvoice = (await newDocument(other, 'invoices', otherCustomer.id, true)).id;
  });
  after(() => harness.close());

  test('forwards an invoice: e-mail with the PDF, a new contact person, history and a note to the business', async () => {
    const response = await forward(ann, 'invoices', invoice.id, {
      email: 'Accounts@Client-A.example',
      message: 'Please pay this one <script>alert(1)</script>\nThanks',
    });
    assert.equal(response.statusCode, 202, response.body);
    assert.equal(response.json().forwardedTo, 'accounts@client-a.example');

    const [mail, ...more] = await mailsTo('accounts@client-a.example');
    assert.ok(mail);
    assert.equal(more.length, 0);
    assert.equal(mail.template, 'documentForwarded');
    assert.equal(mail.subject, `Person 1 of Client A forwarded you invoice ${invoice.number} from Brightside Studio`);
    assert.match(mail.textBody, /> Please pay this one <script>alert\(1\)<\/script>\n> Thanks/);
    assert.match(mail.textBody, /Balance due: USD 1,250\.00/);
    assert.match(mail.textBody, /Due date: 31 March 2026/);
    assert.ok(!mail.htmlBody.includes('<script>'), 'the message is escaped in the HTML');
    assert.ok(mail.htmlBody.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    const attachments = JSON.parse(mail.attachments) as Array<{
      filename: string;
      contentType: string;
      contentBase64: string;
    }>;
    assert.equal(attachments.length, 1);
    assert.equal(attachments[0]?.contentType, 'application/pdf');
    assert.match(attachments[0]?.filename ?? '', /\.pdf$/);
    assert.equal(
      Buffer.from(attachments[0]?.contentBase64 ?? '', 'base64')
        .subarray(0, 4)
        .toString('latin1'),
      '%PDF',
    );

    const added = (await peopleOf(customerA)).filter((p) => p.email === 'accounts@client-a.example');
    assert.equal(added.length, 1);
    assert.equal(added[0]?.portalStatus, 'none');

    const history = (await owner.request({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/history` })).json();
    const entries = (history.data ?? history) as Array<{ event: string; description: string }>;
    const forwarded = entries.filter((h) => h.event === 'forwarded');
    assert.equal(forwarded.length, 1);
    assert.match(forwarded[0]?.description ?? '', /accounts@client-a\.example/);

    const [notice] = await mailsTo('owner1@example.com').then((all) =>
      all.filter((m) => m.template === 'portalActivity'),
    );
    assert.ok(notice, 'the owner hears about it');
    assert.match(notice.subject, new RegExp(`forwarded invoice ${invoice.number}`));
    assert.match(notice.textBody, /To: accounts@client-a\.example/);
  });

  test('forwarding again to the same address (any case) adds no second contact person', async () => {
    const before = (await peopleOf(customerA)).length;
    const response = await forward(ann, 'estimates', estimate.id, { email: 'ACCOUNTS@client-a.example' });
    assert.equal(response.statusCode, 202, response.body);
    assert.equal((await peopleOf(customerA)).length, before);
    const mails = await mailsTo('accounts@client-a.example');
    assert.equal(mails.length, 2);
    const ofEstimate = mails.find((m) => m.subject.includes('estimate'));
    assert.equal(
      ofEstimate?.subject,
      `Person 1 of Client A forwarded you estimate ${estimate.number} from Brightside Studio`,
    );
    assert.match(ofEstimate?.textBody ?? '', /Total: USD 1,250\.00/);
  });

  test("an address of another customer's contact person: sent, but no duplicate identity; same answer", async () => {
    const peopleA = (await peopleOf(customerA)).length;
    const peopleB = (await peopleOf(customerB)).length;
    const response = await forward(ann, 'invoices', invoice.id, { email: 'bea@b.example' });
    assert.equal(response.statusCode, 202, response.body);
    assert.deepEqual(Object.keys(response.json()).sort(), ['forwardedTo', 'message']);
    assert.equal((await mailsTo('bea@b.example')).filter((m) => m.template === 'documentForwarded').length, 1);
    assert.equal((await peopleOf(customerA)).length, peopleA);
    assert.equal((await peopleOf(customerB)).length, peopleB);
  });

  test('drafts, another customer, another organization and unknown ids: 404, nothing written', async () => {
    const before = await footprint();
    for (const [kind, id] of [
      ['invoices', draftInvoice],
      ['estimates', draftEstimate],
      ['invoices', invoiceOfB],
      ['invoices', otherOrganizationInvoice],
      ['invoices', 'inv_00000000000000000000000000'],
      ['estimates', invoice.id],
    ] as const) {
      const response = await forward(ann, kind, id, { email: 'someone@else.example' });
      assert.equal(response.statusCode, 404, `${kind} ${id}: ${response.body}`);
      assert.equal(response.json().code, 'not_found');
    }
    assert.deepEqual(await footprint(), before);
  });

  test('bad e-mail addresses and bodies: 400, nothing written', async () => {
    const before = await footprint();
    for (const payload of [
      {},
      { email: '' },
      { email: 'not-an-address' },
      { email: 'a@b' },
      { email: 'a@b.example, c@d.example' },
      { email: 'a@b.example;c@d.example' },
      { email: 'Ann <a@b.example>' },
      { email: '"a b"@b.example' },
      { email: 'a@b.example\r\nBcc: victim@evil.example' },
      { email: 'a@b.example\nSubject: hi' },
      { email: ' a@b.example' },
      { email: `${'a'.repeat(250)}@b.example` },
      { email: 'a@b.example', message: 'x'.repeat(2001) },
      { email: 'a@b.example', customerId: customerB },
      { email: ['a@b.example', 'c@d.example'] },
    ]) {
      const response = await forward(ann, 'invoices', invoice.id, payload);
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload).slice(0, 80)}: ${response.body}`);
      assert.equal(response.json().code, 'validation_failed');
    }
    assert.deepEqual(await footprint(), before);
  });

  test('when the business does not allow forwarding: 403 with a clear problem, nothing written', async () => {
    await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { allowForwarding: false } });
    try {
      const before = await footprint();
      for (const [kind, id] of [
        ['invoices', invoice.id],
        ['estimates', estimate.id],
      ] as const) {
        const response = await forward(ann, kind, id, { email: 'someone@else.example' });
        assert.equal(response.statusCode, 403, response.body);
        assert.match(String(response.headers['content-type']), /application\/problem\+json/);
        assert.equal(response.json().code, 'forbidden');
        assert.match(response.json().detail, /Forwarding/);
      }
      assert.deepEqual(await footprint(), before);
    } finally {
      await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { allowForwarding: true } });
    }
  });

  test('at most 10 forwards per contact person a day: then 429 rate_limited, nothing sent', async () => {
    const cy = await customerWithContacts(owner, 'Client C', ['cy@c.example']);
    const client = await activatedClient(
      harness,
      owner,
      slug,
      cy.id,
      cy.contacts['cy@c.example'] ?? '',
      'cy@c.example',
    );
    const invoiceOfC = await newDocument(owner, 'invoices', cy.id, true);
    for (let i = 0; i < 10; i += 1) {
      const response = await forward(client, 'invoices', invoiceOfC.id, { email: `r${i}@c.example` });
      assert.equal(response.statusCode, 202, `forward ${i + 1}: ${response.body}`);
    }
    const before = await footprint();
    const refused = await forward(client, 'invoices', invoiceOfC.id, { email: 'one-too-many@c.example' });
    assert.equal(refused.statusCode, 429, refused.body);
    assert.equal(refused.json().code, 'rate_limited');
    assert.deepEqual(await footprint(), before);
    assert.equal((await mailsTo('one-too-many@c.example')).length, 0);
    // Another contact person still has their own budget.
    assert.equal((await forward(ann, 'invoices', invoice.id, { email: 'fine@a.example' })).statusCode, 202);
  });

  test('at most 50 forwards per organization a day', async () => {
    const forwardsSoFar = async () =>
      Number(
        (
          await harness.ctx.db.kysely
            .selectFrom('history')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('organizationId', '=', owner.organizationId)
            .where('event', '=', 'forwarded')
            .executeTakeFirstOrThrow()
        ).n,
      );
    let sent = await forwardsSoFar();
    let round = 0;
    while (sent < 50) {
      round += 1;
      const email = `d${round}@d.example`;
      const d = await customerWithContacts(owner, `Client D${round}`, [email]);
      const client = await activatedClient(harness, owner, slug, d.id, d.contacts[email] ?? '', email);
      const doc = await newDocument(owner, 'invoices', d.id, true);
      for (let i = 0; i < 10 && sent < 50; i += 1) {
        const response = await forward(client, 'invoices', doc.id, { email: `d${round}-${i}@d.example` });
        assert.equal(response.statusCode, 202, response.body);
        sent += 1;
      }
    }
    assert.equal(await forwardsSoFar(), 50);
    const before = await footprint();
    const email = 'late@e.example';
    const e = await customerWithContacts(owner, 'Client E', [email]);
    const client = await activatedClient(harness, owner, slug, e.id, e.contacts[email] ?? '', email);
    const doc = await newDocument(owner, 'invoices', e.id, true);
    const afterSetup = await footprint();
    const refused = await forward(client, 'invoices', doc.id, { email: 'nobody@e.example' });
    assert.equal(refused.statusCode, 429, refused.body);
    assert.deepEqual(await footprint(), afterSetup);
    assert.ok(afterSetup.history >= before.history);
  });
});
