import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { csvCell } from '../../src/modules/statements/exports.js';
import { formatMoney } from '../../src/pdf/format.js';
import { createInvoice, createSentRetainer } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { HAS_PDFTOTEXT, NO_PDFTOTEXT_REASON, pdfText, squeeze } from '../support/pdf.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

const XSS_NAME = `=HYPERLINK("http://evil.example","x") <script>alert(1)</script>`;

interface StatementBody {
  period: { from: string; to: string };
  customer: { name: string };
  summary: {
    currency: string;
    openingBalance: number;
    invoiced: number;
    received: number;
    writtenOff: number;
    balanceDue: number;
  };
  lines: Array<{
    date: string;
    kind: string;
    number: string | null;
    details: string;
    amount: number;
    payment: number;
    balance: number;
  }>;
}

describe('portal: statement of accounts', () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let clientA: PortalClient;
  let clientB: PortalClient;
  let customerA: string;
  let customerB: string;
  const numbers: Record<string, string> = {};

  const post = async (url: string, payload: object = {}) => {
    const response = await owner.request({ method: 'POST', url, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };

  before(async () => {
    harness = await startHarness({ now: '2026-03-15T10:00:00.000Z' });
    owner = await createOrgAndSignIn(harness, { name: 'Harbour Studio' });
    slug = await enablePortal(owner);
    const a = await customerWithContacts(owner, 'Kōbe Works', ['a@kobe.example']);
    const b = await customerWithContacts(owner, XSS_NAME, ['b@client.example']);
    customerA = a.id;
    customerB = b.id;
    await owner.request({ method: 'PATCH', url: `/api/v1/customers/${customerA}`, payload: { openingBalance: 5000 } });
    clientA = await activatedClient(harness, owner, slug, a.id, a.contacts['a@kobe.example'] ?? '', 'a@kobe.example');
    clientB = await activatedClient(
      harness,
      owner,
      slug,
      b.id,
      b.contacts['b@client.example'] ?? '',
      'b@client.example',
    );

    // February: an invoice of 100.00, 30.00 paid on it.
    const i1 = await createInvoice(harness, owner, {
      customerId: customerA,
      total: 10000,
      issueDate: '2026-02-10',
      dueDate: '2026-02-28',
    });
    numbers.i1 = i1.number;
    await post('/api/v1/payments', {
      customerId: customerA,
      date: '2026-02-20',
      amount: 3000,
      mode: 'cash',
      allocations: [{ invoiceId: i1.id, amount: 3000 }],
    });
    // March: an invoice of 200.00; a draft and a void one, which are not receivables.
    const i2 = await createInvoice(harness, owner, {
      customerId: customerA,
      total: 20000,
      issueDate: '2026-03-05',
      dueDate: '2026-04-05',
    });
    numbers.i2 = i2.number;
    numbers.draft = (
      await createInvoice(harness, owner, {
        customerId: customerA,
        total: 999,
        status: 'draft',
        issueDate: '2026-03-06',
      })
    ).number;
    numbers.void = (
      await createInvoice(harness, owner, {
        customerId: customerA,
        total: 7000,
        status: 'void',
        issueDate: '2026-03-07',
      })
    ).number;
    // An unapplied payment (credit), later applied: the application adds no line.
    const credit = await post('/api/v1/payments', {
      customerId: customerA,
      date: '2026-03-10',
      amount: 4000,
      mode: 'bank_transfer',
      reference: '<img src=x onerror=alert(1)>',
    });
    numbers.credit = credit.number;
    await post(`/api/v1/customers/${customerA}/apply-credit`, {
      allocations: [{ invoiceId: i2.id, amount: 1000 }],
    });
    // A retainer payment counts as received, applied or not.
    const retainer = await createSentRetainer(owner, customerA, 5000);
    numbers.retainerPayment = (
      await post('/api/v1/payments', {
        customerId: customerA,
        date: '2026-03-12',
        amount: 2500,
        mode: 'card',
        retainerInvoiceId: retainer.id,
      })
    ).number;
    // The rest of the February invoice (70.00) is written off today, 2026-03-15.
    await post(`/api/v1/invoices/${i1.id}/write-off`);
    // April: after the default period.
    numbers.i5 = (
      await createInvoice(harness, owner, {
        customerId: customerA,
        total: 1000,
        issueDate: '2026-04-02',
        dueDate: '2026-04-30',
      })
    ).number;
    // Customer B's own invoice, to tell the two statements apart.
    numbers.ofB = (
      await createInvoice(harness, owner, { customerId: customerB, total: 4242, issueDate: '2026-03-03' })
    ).number;
  });
  after(() => harness.close());

  const statementOf = async (client: PortalClient, query = '') => {
    const response = await client.request({ method: 'GET', url: `/statement${query}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as StatementBody;
  };

  test('default period: this month in the organization time zone, entries exactly per PRODUCT.md §3', async () => {
    const statement = await statementOf(clientA);
    assert.deepEqual(statement.period, { from: '2026-03-01', to: '2026-03-31' });
    assert.equal(statement.customer.name, 'Kōbe Works');
    // Opening: 50.00 of the customer's own + 100.00 invoiced − 30.00 received before March.
    assert.deepEqual(statement.summary, {
      currency: 'USD',
      openingBalance: 12000,
      invoiced: 20000,
      received: 6500,
      receivedInTestMode: 0,
      writtenOff: 7000,
      balanceDue: 18500,
    });
    assert.deepEqual(
      statement.lines.map((line) => [line.date, line.kind, line.number, line.amount, line.payment, line.balance]),
      [
        ['2026-03-01', 'opening_balance', null, 12000, 0, 12000],
        ['2026-03-05', 'invoice', numbers.i2, 20000, 0, 32000],
        ['2026-03-10', 'payment', numbers.credit, 0, 4000, 28000],
        ['2026-03-12', 'payment', numbers.retainerPayment, 0, 2500, 25500],
        ['2026-03-15', 'write_off', numbers.i1, 0, 7000, 18500],
      ],
    );
    const body = JSON.stringify(statement);
    for (const hidden of [numbers.draft, numbers.void, numbers.i5, numbers.ofB]) {
      assert.ok(!body.includes(`"${hidden}"`), `${hidden} is not on the statement`);
    }
  });

  test('presets and custom periods', async () => {
    const february = await statementOf(clientA, '?period=last_month');
    assert.deepEqual(february.period, { from: '2026-02-01', to: '2026-02-28' });
    assert.equal(february.summary.openingBalance, 5000);
    assert.equal(february.summary.balanceDue, 12000);
    assert.deepEqual((await statementOf(clientA, '?period=this_quarter')).period, {
      from: '2026-01-01',
      to: '2026-03-31',
    });
    const year = await statementOf(clientA, '?period=this_year');
    assert.deepEqual(year.summary, {
      currency: 'USD',
      openingBalance: 5000,
      invoiced: 31000,
      received: 9500,
      receivedInTestMode: 0,
      writtenOff: 7000,
      balanceDue: 19500,
    });
    const oneDay = await statementOf(clientA, '?from=2026-03-05&to=2026-03-05');
    assert.deepEqual(
      oneDay.lines.map((line) => line.kind),
      ['opening_balance', 'invoice'],
    );
    assert.equal(oneDay.summary.openingBalance, 12000);
  });

  test('bad periods answer 400 problem+json', async () => {
    for (const query of [
      '?from=2026-03-31&to=2026-03-01',
      '?from=2026-02-30&to=2026-03-01',
      '?from=2026-03-01',
      '?to=2026-03-01',
      '?from=yesterday&to=2026-03-01',
      '?period=forever',
      '?period=this_month&from=2026-03-01&to=2026-03-02',
      '?customerId=someone-else',
    ]) {
      for (const suffix of ['', '/pdf', '/csv', '/html']) {
        const response = await clientA.request({ method: 'GET', url: `/statement${suffix}${query}` });
        assert.equal(response.statusCode, 400, `${suffix}${query}: ${response.body}`);
        assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      }
    }
  });

  test("a client sees only its own customer's statement", async () => {
    const statement = await statementOf(clientB);
    assert.equal(statement.customer.name, XSS_NAME);
    assert.deepEqual(
      statement.lines.map((line) => line.number),
      [null, numbers.ofB],
    );
    assert.equal(statement.summary.balanceDue, 4242);
  });

  test('the PDF shows the same figures, the customer and the lines', {
    skip: !HAS_PDFTOTEXT && NO_PDFTOTEXT_REASON,
  }, async () => {
    const response = await clientA.request({ method: 'GET', url: '/statement/pdf' });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'application/pdf');
    assert.equal(response.headers['content-disposition'], 'attachment; filename="statement-2026-03-01-2026-03-31.pdf"');
    const text = squeeze(pdfText(response.rawPayload));
    for (const expected of [
      'Harbour Studio',
      'Statement of accounts',
      'Kōbe Works',
      'Opening balance USD 120.00',
      'Invoiced amount USD 200.00',
      'Amount received USD 65.00',
      'Written off USD 70.00',
      'Net balance USD 185.00 due',
      numbers.i2 ?? '',
      numbers.credit ?? '',
      `Retainer payment for`,
      '<img src=x onerror=alert(1)>',
      'Page 1 of 1',
    ]) {
      assert.ok(text.includes(expected), `PDF shows "${expected}":\n${text}`);
    }
  });

  test('XSS payloads show literally in the PDF and escaped in the print page', async (t) => {
    const html = await clientB.request({ method: 'GET', url: '/statement/html' });
    assert.equal(html.statusCode, 200);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.ok(!html.body.includes('<script>alert(1)</script>'));
    assert.ok(html.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!/<script/i.test(html.body), 'the page has no script at all');
    assert.equal(typeof html.headers['content-security-policy'], 'string', 'one policy, not two');
    const csp = String(html.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
    assert.ok(!csp.includes('unsafe-inline'));
    const pageA = await clientA.request({ method: 'GET', url: '/statement/html' });
    assert.ok(pageA.body.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(pageA.body.includes('Net balance</td><td class="amount">USD 185.00 due'));
    if (!HAS_PDFTOTEXT) {
      t.diagnostic(NO_PDFTOTEXT_REASON);
      return;
    }
    const pdf = await clientB.request({ method: 'GET', url: '/statement/pdf' });
    assert.ok(squeeze(pdfText(pdf.rawPayload)).includes('<script>alert(1)</script>'));
  });

  test('CSV: one row per line, formula prefixes defused (SECURITY regression 9)', async () => {
    const response = await clientB.request({ method: 'GET', url: '/statement/csv?period=this_month' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/csv/);
    assert.match(
      String(response.headers['content-disposition']),
      /^attachment; filename="statement-2026-03-01-2026-03-31\.csv"$/,
    );
    const rows = response.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.equal(rows.length, 3);
    assert.equal(
      rows[0],
      '"Customer","Date","Transaction","Number","Details","Amount","Payments","Balance","Currency"',
    );
    assert.ok(
      rows[2]?.startsWith(`"'=HYPERLINK(""http://evil.example"",""x"") <script>alert(1)</script>","2026-03-03"`),
    );
    assert.ok(rows[2]?.endsWith('"42.42","","42.42","USD"'));

    for (const prefix of ['=', '+', '-', '@', '\t', '\r', '\0']) {
      assert.equal(csvCell(`${prefix}1+1`), `"'${prefix}1+1"`);
    }
    assert.equal(csvCell('Plain "quoted", text'), '"Plain ""quoted"", text"');
    assert.equal(csvCell('-12.50', { number: true }), '"-12.50"', 'our own negative amounts stay numbers');
    assert.equal(csvCell('-1+2', { number: true }), `"'-1+2"`);
  });

  test('the business API: the same statement for its customer, 404 for another organization', async () => {
    const business = await owner.request({ method: 'GET', url: `/api/v1/customers/${customerA}/statement` });
    assert.equal(business.statusCode, 200);
    assert.deepEqual(business.json(), await statementOf(clientA));
    const pdf = await owner.request({
      method: 'GET',
      url: `/api/v1/customers/${customerA}/statement/pdf?period=last_month`,
    });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const other = await createOrgAndSignIn(harness);
    for (const url of [`/api/v1/customers/${customerA}/statement`, `/api/v1/customers/${customerA}/statement/pdf`]) {
      const response = await other.request({ method: 'GET', url });
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().code, 'not_found');
    }
  });

  test('property: closing = opening + invoiced − received − written off = last running balance, and the PDF agrees', async () => {
    const runs = 15;
    let run = 0;
    const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-02-${String(d).padStart(2, '0')}`);
    const history = fc.record({
      openingBalance: fc.integer({ min: -50_000, max: 50_000 }),
      invoices: fc.array(
        fc.record({ total: fc.integer({ min: 1, max: 100_000 }), date: day, pay: fc.nat(100), writeOff: fc.boolean() }),
        { maxLength: 4 },
      ),
      credits: fc.array(fc.record({ amount: fc.integer({ min: 1, max: 50_000 }), date: day }), { maxLength: 2 }),
      from: day,
      length: fc.integer({ min: 0, max: 20 }),
    });
    await fc.assert(
      fc.asyncProperty(history, async (h) => {
        run += 1;
        const customerId = (
          await post('/api/v1/customers', { displayName: `Property ${run}`, openingBalance: h.openingBalance })
        ).id as string;
        let expectedInvoiced = 0;
        for (const invoice of h.invoices) {
          const created = await createInvoice(harness, owner, {
            customerId,
            total: invoice.total,
            issueDate: invoice.date,
            dueDate: '2026-02-28',
          });
          expectedInvoiced += invoice.total;
          const paid = Math.floor((invoice.total * invoice.pay) / 100);
          if (paid > 0) {
            await post('/api/v1/payments', {
              customerId,
              date: invoice.date,
              amount: paid,
              mode: 'cash',
              allocations: [{ invoiceId: created.id, amount: paid }],
            });
          }
          if (invoice.writeOff && paid < invoice.total) {
            harness.clock.now = new Date(`${invoice.date}T12:00:00.000Z`);
            await post(`/api/v1/invoices/${created.id}/write-off`);
          }
        }
        harness.clock.now = new Date('2026-03-15T10:00:00.000Z');
        for (const credit of h.credits) {
          await post('/api/v1/payments', { customerId, date: credit.date, amount: credit.amount, mode: 'other' });
        }
        const to = new Date(Date.parse(`${h.from}T00:00:00Z`) + h.length * 86_400_000).toISOString().slice(0, 10);
        const query = `?from=${h.from}&to=${to}`;
        const whole = await owner.request({
          method: 'GET',
          url: `/api/v1/customers/${customerId}/statement?from=2026-01-01&to=2026-12-31`,
        });
        assert.equal(whole.json().summary.invoiced, expectedInvoiced);
        const response = await owner.request({
          method: 'GET',
          url: `/api/v1/customers/${customerId}/statement${query}`,
        });
        assert.equal(response.statusCode, 200, response.body);
        const s = response.json() as StatementBody;
        const { openingBalance, invoiced, received, writtenOff, balanceDue } = s.summary;
        assert.equal(balanceDue, openingBalance + invoiced - received - writtenOff);
        assert.equal(s.lines.at(-1)?.balance, balanceDue);
        let running = openingBalance;
        for (const line of s.lines.slice(1)) {
          running += line.amount - line.payment;
          assert.equal(line.balance, running);
        }
        // The whole history: opening balance of the year = the customer's own.
        assert.equal(whole.json().summary.openingBalance, h.openingBalance);
        if (!HAS_PDFTOTEXT) return;
        const pdf = await owner.request({
          method: 'GET',
          url: `/api/v1/customers/${customerId}/statement/pdf${query}`,
        });
        const text = squeeze(pdfText(pdf.rawPayload));
        for (const [label, value] of [
          ['Opening balance', openingBalance],
          ['Invoiced amount', invoiced],
          ['Amount received', received],
          ['Written off', writtenOff],
        ] as const) {
          assert.ok(text.includes(`${label} ${formatMoney(value, 'USD')}`), `${label} ${value} in:\n${text}`);
        }
        // The closing balance is the net balance: an amount due, or credit in the customer's favour.
        const net =
          balanceDue > 0
            ? `${formatMoney(balanceDue, 'USD')} due`
            : balanceDue < 0
              ? `Credit ${formatMoney(-balanceDue, 'USD')} in your favour`
              : formatMoney(0, 'USD');
        assert.ok(text.includes(`Net balance ${net}`), `Net balance ${net} in:\n${text}`);
        assert.ok(!text.includes('Balance due'), text);
      }),
      { numRuns: runs },
    );
  });
});
