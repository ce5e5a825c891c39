import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createInvoice, createSentRetainer, recordPayment } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, signIn, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';
import { parseCsv, unzip } from '../support/zip.js';

const FORMULA_NAME = '=HYPERLINK("http://evil.example","click")';
const INTERNAL_NOTE = 'internal-note-never-for-clients';
const OTHER_ORG_MARKER = 'other-organization-secret-customer';

interface Export {
  files: Map<string, Buffer>;
  csv(name: string): Array<Record<string, string>>;
  manifest: { export: string; schemaVersion: number; exportedAt: string; files: Array<{ name: string; rows: number }> };
}

function readExport(response: LightMyRequestResponse): Export {
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.headers['content-type'], 'application/zip');
  assert.match(
    String(response.headers['content-disposition']),
    /^attachment; filename="(portico-export-|my-data-).+\.zip"$/,
  );
  const files = unzip(response.rawPayload);
  const manifestFile = files.get('manifest.json');
  assert.ok(manifestFile, 'manifest.json is in the ZIP');
  return {
    files,
    manifest: JSON.parse(manifestFile.toString('utf8')),
    csv: (name) => {
      const file = files.get(name);
      assert.ok(file, `${name} is in the ZIP`);
      return parseCsv(file.toString('utf8'));
    },
  };
}

/** Every row of a business list, page after page. */
async function listAll(actor: Actor, url: string): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const response = await actor.request({
      method: 'GET',
      url: `${url}${separator}limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    });
    assert.equal(response.statusCode, 200, response.body);
    const page = response.json() as { data: Array<Record<string, unknown>>; nextCursor: string | null };
    rows.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

/** "1234.56" in USD as minor units, read exactly (no floats). */
const minorOf = (decimal: string) => {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(decimal);
  assert.ok(match, `${decimal} is a USD amount`);
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 100 + Number(match[3]));
};
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('export: the organization downloads its data', () => {
  let harness: Harness;
  let owner: Actor;
  let staff: Actor;
  let otherOwner: Actor;
  let customerId: string;

  const post = async (actor: Actor, url: string, payload: object = {}) => {
    const response = await actor.request({ method: 'POST', url, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const exportsInAuditLog = async () => (await listAll(owner, '/api/v1/audit-log?event=business.data_exported')).length;

  before(async () => {
    harness = await startHarness({ now: '2026-03-15T10:00:00.000Z' });
    owner = await createOrgAndSignIn(harness, { name: 'Harbour Studio' });
    otherOwner = await createOrgAndSignIn(harness, { name: 'Other Studio' });
    const created = await post(owner, '/api/v1/users', {
      email: 'sam@harbour.example',
      name: 'Sam Staff',
      role: 'staff',
      password: 'quiet lanterns over harbour water',
    });
    staff = await signIn(harness, 'sam@harbour.example', 'quiet lanterns over harbour water', {
      organizationId: owner.organizationId,
      userId: created.id,
    });

    const customer = await post(owner, '/api/v1/customers', {
      displayName: FORMULA_NAME,
      notes: INTERNAL_NOTE,
      contactPersons: [{ firstName: 'Kōbe', lastName: '-Tanaka', email: 'k@kobe.example' }],
    });
    customerId = customer.id;
    const second = await post(owner, '/api/v1/customers', { displayName: 'Kōbe Works, "Ltd"' });
    await post(otherOwner, '/api/v1/customers', { displayName: OTHER_ORG_MARKER });

    const paid = await createInvoice(harness, owner, { customerId, total: 12_345 });
    await createInvoice(harness, owner, { customerId, total: 500, status: 'draft' });
    await createInvoice(harness, owner, { customerId: second.id, total: 99_999, status: 'void' });
    const discounted = await post(owner, '/api/v1/invoices', {
      customerId: second.id,
      lines: [
        { name: 'Design', quantity: '2.5', rate: 4000, description: '@SUM(A1:A9)' },
        { name: 'Hosting', quantity: '1', rate: 1999 },
      ],
      adjustment: -150,
    });
    await post(owner, `/api/v1/invoices/${discounted.id}/send`);
    const payment = await recordPayment(owner, {
      customerId,
      amount: 10_000,
      allocations: [{ invoiceId: paid.id, amount: 10_000 }],
    });
    assert.equal(payment.statusCode, 201, payment.body);
    await post(owner, '/api/v1/estimates', { customerId, lines: [{ name: 'Plan', quantity: '3', rate: 2500 }] });
    await createSentRetainer(owner, customerId, 30_000);
    const project = await post(owner, '/api/v1/projects', { customerId, name: 'Website', billingMethod: 'task_hours' });
    const task = await post(owner, `/api/v1/projects/${project.id}/tasks`, { name: 'Design', rate: 5000 });
    await post(owner, `/api/v1/projects/${project.id}/time-entries`, {
      taskId: task.id,
      date: '2026-03-10',
      hours: '1.5',
    });
    await post(owner, `/api/v1/invoices/${paid.id}/comments`, { text: '+1 thanks', showInPortal: true });
  });
  after(() => harness.close());

  test('the owner downloads a ZIP of CSV files that reconcile with the API, and a manifest', async () => {
    const data = readExport(await owner.request({ method: 'GET', url: '/api/v1/export' }));
    assert.equal(data.manifest.export, 'organization');
    assert.equal(data.manifest.schemaVersion, 2);
    assert.equal(data.manifest.exportedAt, '2026-03-15T10:00:00.000Z');
    assert.deepEqual(
      [...data.files.keys()].sort(),
      [...data.manifest.files.map((file) => file.name), 'manifest.json'].sort(),
    );
    for (const file of data.manifest.files) {
      assert.equal(data.csv(file.name).length, file.rows, `${file.name}: the manifest counts its rows`);
      assert.ok(data.files.get(file.name)?.toString('utf8').startsWith('\uFEFF"'), `${file.name} starts with a BOM`);
    }

    const customers = await listAll(owner, '/api/v1/customers');
    assert.equal(data.csv('customers.csv').length, customers.length);
    assert.equal(data.csv('customers.csv').length, 2);

    const invoices = await listAll(owner, '/api/v1/invoices');
    const invoiceRows = data.csv('invoices.csv');
    assert.equal(invoiceRows.length, invoices.length);
    for (const column of ['total', 'balance'] as const) {
      assert.equal(
        sum(invoiceRows.map((row) => minorOf(row[column] ?? ''))),
        sum(invoices.map((invoice) => invoice[column] as number)),
        `the invoices' ${column} add up to the API's`,
      );
    }
    const lineRows = data.csv('invoice_lines.csv');
    for (const invoice of invoices) {
      const detail = (await owner.request({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` })).json();
      const lines = lineRows.filter((row) => row.invoice_id === invoice.id);
      assert.equal(lines.length, detail.lines.length);
      assert.equal(
        sum(lines.map((row) => minorOf(row.net ?? ''))),
        sum(detail.lines.map((l: { net: number }) => l.net)),
      );
    }

    const payments = await listAll(owner, '/api/v1/payments');
    const paymentRows = data.csv('payments.csv');
    assert.equal(paymentRows.length, payments.length);
    assert.equal(
      sum(paymentRows.map((row) => minorOf(row.amount ?? ''))),
      sum(payments.map((p) => p.amount as number)),
    );
    assert.equal(data.csv('payment_allocations.csv').length, 1);
    assert.equal(data.csv('estimates.csv').length, (await listAll(owner, '/api/v1/estimates')).length);
    assert.equal(data.csv('estimate_lines.csv')[0]?.rate, '25.00');
    const retainers = await listAll(owner, '/api/v1/retainer-invoices');
    assert.equal(data.csv('retainer_invoices.csv').length, retainers.length);
    assert.deepEqual(
      data.csv('retainer_invoice_lines.csv').map((row) => [row.description, row.amount, row.position]),
      [['Advance', '300.00', '1']],
    );
    assert.equal(data.csv('projects.csv').length, (await listAll(owner, '/api/v1/projects')).length);
    assert.equal(data.csv('project_tasks.csv')[0]?.rate, '50.00');
    assert.equal(data.csv('time_entries.csv')[0]?.minutes, '90');
    assert.equal(data.csv('comments.csv')[0]?.text, "'+1 thanks");
    assert.equal(data.csv('contact_persons.csv')[0]?.last_name, "'-Tanaka");
    assert.ok(data.csv('audit_log.csv').some((row) => row.event === 'business.data_exported'));
  });

  test('cells a spreadsheet would run as formulas are defused; amounts stay numbers', async () => {
    const data = readExport(await owner.request({ method: 'GET', url: '/api/v1/export' }));
    const names = data.csv('customers.csv').map((row) => row.display_name);
    assert.ok(names.includes(`'${FORMULA_NAME}`), 'the formula starts with an apostrophe');
    assert.ok(names.includes('Kōbe Works, "Ltd"'), 'commas, quotes and UTF-8 survive');
    assert.ok(data.csv('invoice_lines.csv').some((row) => row.description === "'@SUM(A1:A9)"));
    assert.ok(
      data.csv('invoices.csv').some((row) => row.adjustment === '-1.50'),
      'a negative amount is not prefixed',
    );
    assert.ok(data.csv('invoice_lines.csv').some((row) => row.quantity === '2.5'));
  });

  test("another organization's data is never in the export, and no secret is", async () => {
    const data = readExport(await owner.request({ method: 'GET', url: '/api/v1/export' }));
    const everything = [...data.files.values()].map((file) => file.toString('utf8')).join('\n');
    assert.ok(!everything.includes(OTHER_ORG_MARKER));
    assert.ok(!everything.includes('$argon2'), 'no password hash');
    const other = readExport(await otherOwner.request({ method: 'GET', url: '/api/v1/export' }));
    assert.equal(other.csv('customers.csv').length, 1);
    assert.equal(other.csv('invoices.csv').length, 0);
    assert.deepEqual(Object.keys(other.csv('customers.csv')[0] ?? {}), Object.keys(data.csv('customers.csv')[0] ?? {}));
  });

  test('an option the export does not have answers 400 problem+json, and nothing is exported or logged', async () => {
    const before = await exportsInAuditLog();
    const [tables, from] = await Promise.all([
      owner.request({ method: 'GET', url: '/api/v1/export?tables=customers' }),
      owner.request({ method: 'GET', url: '/api/v1/export?from=2026-01-01' }),
    ]);
    for (const response of [tables, from]) {
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
    assert.equal(await exportsInAuditLog(), before);
  });

  test('tables longer than a page come whole: every row once', async () => {
    const big = await createOrgAndSignIn(harness, { name: 'Big Studio' });
    const created = await Promise.all(
      Array.from({ length: 13 }, (_, batch) =>
        big.request({
          method: 'POST',
          url: '/api/v1/customers',
          payload: {
            displayName: `Customer ${batch}`,
            contactPersons: Array.from({ length: 50 }, (_, n) => ({ firstName: `Person ${batch}-${n}` })),
          },
        }),
      ),
    );
    for (const response of created) assert.equal(response.statusCode, 201, response.body);
    const people = readExport(await big.request({ method: 'GET', url: '/api/v1/export' })).csv('contact_persons.csv');
    assert.equal(people.length, 650, 'more than one page of 500 rows');
    assert.equal(new Set(people.map((row) => row.id)).size, 650);
    assert.equal(new Set(people.map((row) => row.first_name)).size, 650);
  });

  test('exports fired at once are each whole and each written to the audit log', async () => {
    const before = await exportsInAuditLog();
    const responses = await Promise.all([1, 2, 3].map(() => owner.request({ method: 'GET', url: '/api/v1/export' })));
    const counts = responses.map((response) => readExport(response).csv('invoices.csv').length);
    assert.deepEqual(counts, [4, 4, 4]);
    assert.equal((await exportsInAuditLog()) - before, 3);
  });

  test('staff and staff API keys may not export, and nothing is written; admin API keys may', async () => {
    const before = await exportsInAuditLog();
    const refused = await staff.request({ method: 'GET', url: '/api/v1/export' });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
    const staffKey = await post(owner, '/api/v1/api-keys', { name: 'Staff key', role: 'staff' });
    const adminKey = await post(owner, '/api/v1/api-keys', { name: 'Admin key' });
    const withKey = (key: string) =>
      harness.app.inject({ method: 'GET', url: '/api/v1/export', headers: { authorization: `Bearer ${key}` } });
    const [byStaffKey, byAdminKey] = await Promise.all([withKey(staffKey.key), withKey(adminKey.key)]);
    assert.equal(byStaffKey.statusCode, 403);
    readExport(byAdminKey);
    const anonymous = await harness.app.inject({ method: 'GET', url: '/api/v1/export' });
    assert.equal(anonymous.statusCode, 401);
    const entries = await listAll(owner, '/api/v1/audit-log?event=business.data_exported');
    assert.equal(entries.length - before, 1, 'only the admin key export is in the audit log');
    const byKey = entries.filter((entry) => (entry.details as { via: string }).via === 'api_key');
    assert.deepEqual(
      byKey.map((entry) => [entry.details, entry.actorId]),
      [[{ via: 'api_key', apiKeyId: adminKey.id }, owner.userId]],
    );
  });
});

describe('export: a contact person downloads their own data from the portal', () => {
  let harness: Harness;
  let owner: Actor;
  let clientA: PortalClient;
  let clientB: PortalClient;
  let contactA: string;
  const SECRET = 'business-internal-marker';
  const OTHER_CUSTOMER = 'other-customer-marker';

  const post = async (url: string, payload: object = {}) => {
    const response = await owner.request({ method: 'POST', url, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const portalList = async (client: PortalClient, url: string) => {
    const response = await client.request({ method: 'GET', url: `${url}?limit=100` });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { data: Array<Record<string, unknown>> }).data;
  };
  const everythingIn = (data: Export) => [...data.files.values()].map((file) => file.toString('utf8')).join('\n');

  before(async () => {
    harness = await startHarness({ now: '2026-03-15T10:00:00.000Z' });
    owner = await createOrgAndSignIn(harness, { name: 'Harbour Studio' });
    const slug = await enablePortal(owner);
    const a = await customerWithContacts(owner, 'Kōbe Works', ['a@kobe.example']);
    const b = await customerWithContacts(owner, OTHER_CUSTOMER, ['b@client.example']);
    contactA = a.contacts['a@kobe.example'] ?? '';
    await owner.request({ method: 'PATCH', url: `/api/v1/customers/${a.id}`, payload: { notes: SECRET } });
    clientA = await activatedClient(harness, owner, slug, a.id, contactA, 'a@kobe.example');
    clientB = await activatedClient(
      harness,
      owner,
      slug,
      b.id,
      b.contacts['b@client.example'] ?? '',
      'b@client.example',
    );

    const invoice = await createInvoice(harness, owner, { customerId: a.id, total: 20_000 });
    await createInvoice(harness, owner, { customerId: a.id, total: 777, status: 'draft' });
    await post('/api/v1/invoices', {
      customerId: a.id,
      lines: [{ name: `${SECRET} draft line`, quantity: '1', rate: 5 }],
    });
    await createInvoice(harness, owner, { customerId: b.id, total: 31_415 });
    const payment = await recordPayment(owner, {
      customerId: a.id,
      amount: 5_000,
      notes: SECRET,
      allocations: [{ invoiceId: invoice.id, amount: 5_000 }],
    });
    assert.equal(payment.statusCode, 201, payment.body);
    await createSentRetainer(owner, a.id, 12_000);
    const estimate = await post('/api/v1/estimates', {
      customerId: a.id,
      lines: [{ name: 'Plan', quantity: '2', rate: 1250 }],
    });
    await post(`/api/v1/estimates/${estimate.id}/send`);
    await post(`/api/v1/invoices/${invoice.id}/comments`, { text: `${SECRET} between us` });
    const mine = await clientA.request({
      method: 'POST',
      url: `/invoices/${invoice.id}/comments`,
      payload: { text: '=1+1 is it paid?' },
    });
    assert.equal(mine.statusCode, 201, mine.body);
    const asked = await clientA.request({
      method: 'POST',
      url: '/quote-requests',
      payload: { description: 'A second shop front', details: 'Same as the first, in oak' },
    });
    assert.equal(asked.statusCode, 201, asked.body);
  });
  after(() => harness.close());

  test('the ZIP holds my profile, my documents as the portal shows them, my payments, comments and quote requests', async () => {
    const data = readExport(await clientA.request({ method: 'GET', url: '/export' }));
    assert.equal(data.manifest.export, 'contact_person');
    for (const file of data.manifest.files.filter((f) => f.name.endsWith('.csv'))) {
      assert.equal(data.csv(file.name).length, file.rows, file.name);
    }
    const profile = JSON.parse(data.files.get('profile.json')?.toString('utf8') ?? '{}');
    assert.equal(profile.contactPerson.email, 'a@kobe.example');
    assert.equal(profile.customer.displayName, 'Kōbe Works');
    assert.equal(profile.customer.notes, undefined);

    const invoices = await portalList(clientA, '/invoices');
    const invoiceRows = data.csv('invoices.csv');
    assert.equal(invoiceRows.length, invoices.length);
    assert.equal(invoiceRows.length, 1, 'drafts are not in the portal, nor in the export');
    assert.equal(
      sum(invoiceRows.map((row) => minorOf(row.balance ?? ''))),
      sum(invoices.map((i) => i.balance as number)),
    );
    assert.equal(data.csv('invoice_lines.csv').length, 1);
    const payments = await portalList(clientA, '/payments');
    assert.equal(data.csv('payments.csv').length, payments.length);
    assert.equal(
      sum(data.csv('payments.csv').map((row) => minorOf(row.amount ?? ''))),
      sum(payments.map((p) => p.amount as number)),
    );
    assert.equal(data.csv('estimates.csv').length, (await portalList(clientA, '/estimates')).length);
    assert.equal(data.csv('retainer_invoices.csv').length, (await portalList(clientA, '/retainer-invoices')).length);
    assert.deepEqual(
      data.csv('comments.csv').map((row) => row.text),
      ["'=1+1 is it paid?"],
    );
    assert.deepEqual(
      data.csv('quote_requests.csv').map((row) => [row.description, row.details, row.status]),
      [['A second shop front', 'Same as the first, in oak', 'open']],
    );
    // The business's export has it too, with who asked.
    const business = readExport(await owner.request({ method: 'GET', url: '/api/v1/export' }));
    assert.deepEqual(
      business.csv('quote_requests.csv').map((row) => [row.description, row.contact_person_id]),
      [['A second shop front', contactA]],
    );

    const audit = await listAll(owner, '/api/v1/audit-log?event=portal.data_exported');
    assert.deepEqual(
      audit.map((entry) => entry.contactPersonId),
      [contactA],
    );
  });

  test("never another customer's data nor a business-internal field, even when both clients export at once", async () => {
    const [mine, theirs] = await Promise.all([
      clientA.request({ method: 'GET', url: '/export' }),
      clientB.request({ method: 'GET', url: '/export' }),
    ]);
    const a = readExport(mine);
    const b = readExport(theirs);
    const textA = everythingIn(a);
    assert.ok(!textA.includes(OTHER_CUSTOMER));
    assert.ok(!textA.includes('314.15'), "the other customer's invoice");
    assert.ok(!textA.includes(SECRET), 'internal notes, drafts and business comments stay inside');
    for (const internal of ['user_id', 'ip', 'recorded_by_user_id', 'viewed_at', 'paid_by_contact_person_id']) {
      for (const file of a.manifest.files.filter((f) => f.name.endsWith('.csv'))) {
        const header = a.files.get(file.name)?.toString('utf8').split('\r\n')[0] ?? '';
        assert.ok(!header.includes(`"${internal}"`), `${file.name} has no ${internal} column`);
      }
    }
    assert.deepEqual(
      b.csv('invoices.csv').map((row) => row.total),
      ['314.15'],
    );
    assert.ok(!everythingIn(b).includes('Kōbe Works'));
    assert.equal(b.csv('comments.csv').length, 0);
    assert.equal(b.csv('quote_requests.csv').length, 0);
  });

  test('an option the export does not have answers 400, and nothing is logged', async () => {
    const response = await clientA.request({ method: 'GET', url: '/export?customerId=cus_other' });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
    const audit = await listAll(owner, '/api/v1/audit-log?event=portal.data_exported');
    assert.equal(audit.length, 3, 'the three exports of the tests above only');
  });

  test('a business session opens no portal export, and a signed-out client gets 401', async () => {
    const business = await owner.request({ method: 'GET', url: `/api/portal/${clientA.slug}/export` });
    assert.equal(business.statusCode, 401);
    const anonymous = await harness.app.inject({ method: 'GET', url: `/api/portal/${clientA.slug}/export` });
    assert.equal(anonymous.statusCode, 401);
  });
});
