import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildStatement, type StatementEntry } from '../../src/domain/statement.js';
import { statementPdf } from '../../src/modules/statements/pdf.js';
import { formatAmount, formatMoney } from '../../src/pdf/format.js';
import { createSentRetainer } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { HAS_PDFTOTEXT, NO_PDFTOTEXT_REASON, pdfText, squeeze } from '../support/pdf.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

const XSS = '<script>alert(1)</script>';
/** What a line description might try (SECURITY.md regression 7): none of it may be fetched, opened or linked. */
const HOSTILE_DESCRIPTION =
  'See https://evil.example/track.png and file:///etc/passwd or ../../../etc/shadow <img src="http://evil.example/x.png"> <a href="javascript:alert(1)">click</a>';
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const skipWithoutPdftotext = { skip: !HAS_PDFTOTEXT && NO_PDFTOTEXT_REASON };

describe('PDFs: estimates, invoices, retainer invoices, receipts', () => {
  let harness: Harness;
  let owner: Actor;
  let otherOwner: Actor;
  let clientA: PortalClient;
  let clientB: PortalClient;
  let customerA: string;
  let customerB: string;
  const docs: Record<string, { id: string; number: string }> = {};

  const post = async (url: string, payload: object = {}) => {
    const response = await owner.request({ method: 'POST', url, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const document = async (segment: string, payload: object, send: boolean) => {
    const created = await post(`/api/v1/${segment}`, payload);
    if (send) await post(`/api/v1/${segment}/${created.id}/send`);
    return { id: created.id as string, number: created.number as string };
  };

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Kōbe Works' });
    otherOwner = await createOrgAndSignIn(harness);
    await harness.ctx.db.kysely
      .updateTable('organizations')
      .set({
        address: JSON.stringify({ street1: '1-2-3 Sannomiya', city: 'Kōbe', country: 'Japan' }),
        logoBase64: PNG_1X1,
        logoContentType: 'image/png',
      })
      .where('id', '=', owner.organizationId)
      .execute();
    const slug = await enablePortal(owner);
    const a = await customerWithContacts(owner, `Ann ${XSS} Ltd`, ['a@client.example']);
    const b = await customerWithContacts(owner, 'Neighbour Co', ['b@client.example']);
    customerA = a.id;
    customerB = b.id;
    clientA = await activatedClient(
      harness,
      owner,
      slug,
      a.id,
      a.contacts['a@client.example'] ?? '',
      'a@client.example',
    );
    clientB = await activatedClient(
      harness,
      owner,
      slug,
      b.id,
      b.contacts['b@client.example'] ?? '',
      'b@client.example',
    );

    const lines = [
      { name: 'Design work', description: HOSTILE_DESCRIPTION, quantity: '2', rate: 61728 },
      { name: `Hosting ${XSS}`, quantity: '1', rate: 1000 },
    ];
    docs.estimate = await document('estimates', { customerId: customerA, lines, expiryDate: '2026-04-30' }, true);
    docs.draftEstimate = await document('estimates', { customerId: customerA, lines }, false);
    docs.invoice = await document('invoices', { customerId: customerA, lines, reference: 'PO-77' }, true);
    docs.draftInvoice = await document('invoices', { customerId: customerA, lines }, false);
    docs.invoiceOfB = await document('invoices', { customerId: customerB, lines }, true);
    const retainer = await createSentRetainer(owner, customerA, 50000);
    docs.retainer = { id: retainer.id, number: retainer.number };
    docs.draftRetainer = await document(
      'retainer-invoices',
      { customerId: customerA, lines: [{ description: 'Advance', amount: 100 }] },
      false,
    );
    const payment = await post('/api/v1/payments', {
      customerId: customerA,
      date: '2026-03-14',
      amount: 50000,
      mode: 'bank_transfer',
      reference: 'WIRE-9',
      allocations: [{ invoiceId: docs.invoice.id, amount: 40000 }],
    });
    docs.payment = { id: payment.id, number: payment.number };
    const paymentOfB = await post('/api/v1/payments', {
      customerId: customerB,
      date: '2026-03-14',
      amount: 100,
      mode: 'cash',
    });
    docs.paymentOfB = { id: paymentOfB.id, number: paymentOfB.number };
  });
  after(() => harness.close());

  const portalUrls = () => ({
    estimate: `/estimates/${docs.estimate?.id}/pdf`,
    invoice: `/invoices/${docs.invoice?.id}/pdf`,
    retainer: `/retainer-invoices/${docs.retainer?.id}/pdf`,
    payment: `/payments/${docs.payment?.id}/receipt`,
  });

  test('the portal serves the client its documents as PDF attachments', async () => {
    const urls = portalUrls();
    for (const [key, url] of Object.entries(urls)) {
      const response = await clientA.request({ method: 'GET', url });
      assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
      assert.equal(response.headers['content-type'], 'application/pdf');
      const number = docs[key]?.number;
      assert.equal(response.headers['content-disposition'], `attachment; filename="${number}.pdf"`);
      assert.equal(response.rawPayload.subarray(0, 5).toString(), '%PDF-');
    }
  });

  test('drafts, other customers and other organizations: the same 404 as a missing id', async () => {
    const missing = await clientA.request({ method: 'GET', url: '/invoices/inv_00000000000000000000000000/pdf' });
    assert.equal(missing.statusCode, 404);
    for (const url of [
      `/estimates/${docs.draftEstimate?.id}/pdf`,
      `/invoices/${docs.draftInvoice?.id}/pdf`,
      `/retainer-invoices/${docs.draftRetainer?.id}/pdf`,
      `/invoices/${docs.invoiceOfB?.id}/pdf`,
      `/payments/${docs.paymentOfB?.id}/receipt`,
      `/estimates/${docs.invoice?.id}/pdf`,
    ]) {
      const response = await clientA.request({ method: 'GET', url });
      assert.equal(response.statusCode, 404, url);
      assert.deepEqual({ ...(response.json() as object), detail: '' }, { ...(missing.json() as object), detail: '' });
    }
    for (const url of Object.values(portalUrls())) {
      assert.equal((await clientB.request({ method: 'GET', url })).statusCode, 404, `neighbour ${url}`);
    }
  });

  test('the business API serves drafts too; another organization gets 404', async () => {
    for (const url of [
      `/api/v1/estimates/${docs.draftEstimate?.id}/pdf`,
      `/api/v1/invoices/${docs.draftInvoice?.id}/pdf`,
      `/api/v1/retainer-invoices/${docs.draftRetainer?.id}/pdf`,
      `/api/v1/invoices/${docs.invoice?.id}/pdf`,
      `/api/v1/payments/${docs.payment?.id}/receipt`,
    ]) {
      const own = await owner.request({ method: 'GET', url });
      assert.equal(own.statusCode, 200, url);
      assert.equal(own.headers['content-type'], 'application/pdf');
      const other = await otherOwner.request({ method: 'GET', url });
      assert.equal(other.statusCode, 404, url);
      assert.equal(other.json().code, 'not_found');
    }
  });

  test(
    'the invoice PDF shows the numbers, the customer, the lines, payments and balance due',
    skipWithoutPdftotext,
    async () => {
      const response = await clientA.request({ method: 'GET', url: portalUrls().invoice });
      const text = squeeze(pdfText(response.rawPayload));
      // 2 × 617.28 + 10.00 = 1,244.56; 400.00 paid, 844.56 due.
      for (const expected of [
        'Kōbe Works',
        '1-2-3 Sannomiya',
        'INVOICE',
        `# ${docs.invoice?.number}`,
        'PO-77',
        `Ann ${XSS} Ltd`,
        'Design work',
        `Hosting ${XSS}`,
        '617.28',
        '1,234.56',
        'Total USD 1,244.56',
        'Payments made USD -400.00',
        'Balance due USD 844.56',
        docs.payment?.number ?? '',
        'Page 1 of 1',
      ]) {
        assert.ok(text.includes(expected), `invoice PDF shows "${expected}":\n${text}`);
      }
    },
  );

  test('estimate, retainer invoice and receipt PDFs', skipWithoutPdftotext, async () => {
    const estimate = squeeze(
      pdfText((await clientA.request({ method: 'GET', url: portalUrls().estimate })).rawPayload),
    );
    for (const expected of ['ESTIMATE', docs.estimate?.number ?? '', '2026-04-30', 'Total USD 1,244.56']) {
      assert.ok(estimate.includes(expected), `estimate shows "${expected}":\n${estimate}`);
    }
    const retainer = squeeze(
      pdfText((await clientA.request({ method: 'GET', url: portalUrls().retainer })).rawPayload),
    );
    for (const expected of ['RETAINER INVOICE', docs.retainer?.number ?? '', 'Advance', 'Balance due USD 500.00']) {
      assert.ok(retainer.includes(expected), `retainer shows "${expected}":\n${retainer}`);
    }
    const receipt = squeeze(pdfText((await clientA.request({ method: 'GET', url: portalUrls().payment })).rawPayload));
    for (const expected of [
      'PAYMENT RECEIPT',
      docs.payment?.number ?? '',
      '2026-03-14',
      'Bank transfer',
      'WIRE-9',
      'Amount received USD 500.00',
      docs.invoice?.number ?? '',
      'Applied to invoices USD 400.00',
      'Unused credit USD 100.00',
    ]) {
      assert.ok(receipt.includes(expected), `receipt shows "${expected}":\n${receipt}`);
    }
  });

  test(
    '"Ship to" with the customer\'s shipping address, as the portal shows it; not on a receipt',
    skipWithoutPdftotext,
    async () => {
      const shipping = JSON.stringify({ street1: '400 Dock Road', city: 'Salem' });
      await harness.ctx.db.kysely
        .updateTable('customers')
        .set({ shippingAddress: shipping })
        .where('id', '=', customerA)
        .execute();
      try {
        const invoice = squeeze(
          pdfText((await clientA.request({ method: 'GET', url: portalUrls().invoice })).rawPayload),
        );
        assert.ok(invoice.includes('SHIP TO'), invoice);
        assert.ok(invoice.includes('400 Dock Road'), invoice);
        const onScreen = (await clientA.request({ method: 'GET', url: `/invoices/${docs.invoice?.id}` })).json();
        assert.deepEqual(onScreen.shipTo.lines, ['400 Dock Road', 'Salem']);
        const receipt = squeeze(
          pdfText((await clientA.request({ method: 'GET', url: portalUrls().payment })).rawPayload),
        );
        assert.ok(!receipt.includes('SHIP TO'), receipt);
      } finally {
        await harness.ctx.db.kysely
          .updateTable('customers')
          .set({ shippingAddress: '{}' })
          .where('id', '=', customerA)
          .execute();
      }
    },
  );

  test('regression 7: content is drawn as text — no links, no fetched or embedded content', async (t) => {
    const response = await clientA.request({ method: 'GET', url: portalUrls().invoice });
    const raw = response.rawPayload.toString('latin1');
    for (const marker of [
      '/Annots',
      '/URI',
      '/Link',
      '/Launch',
      '/JavaScript',
      '/EmbeddedFile',
      '/GoToR',
      '/SubmitForm',
    ]) {
      assert.ok(!raw.includes(marker), `the PDF has no ${marker}`);
    }
    // The only image is the organization's logo (with its alpha mask), from its stored bytes.
    assert.ok((raw.match(/\/Subtype \/Image/g)?.length ?? 0) > 0, 'the logo is drawn');
    if (!HAS_PDFTOTEXT) {
      t.diagnostic(NO_PDFTOTEXT_REASON);
      return;
    }
    // Long URLs wrap inside their cell: compare without the layout's whitespace.
    const text = pdfText(response.rawPayload).replace(/\s+/g, '');
    for (const literal of [
      'https://evil.example/track.png',
      'file:///etc/passwd',
      '../../../etc/shadow',
      '<img src="http://evil.example/x.png">',
      'javascript:alert(1)',
    ]) {
      assert.ok(text.includes(literal.replace(/\s+/g, '')), `"${literal}" shows literally:\n${text}`);
    }
  });

  test('an unreadable logo is left out, the PDF still renders', async () => {
    await harness.ctx.db.kysely
      .updateTable('organizations')
      .set({ logoBase64: Buffer.from('not an image at all').toString('base64') })
      .where('id', '=', owner.organizationId)
      .execute();
    const response = await clientA.request({ method: 'GET', url: portalUrls().estimate });
    assert.equal(response.statusCode, 200);
    assert.ok(!response.rawPayload.toString('latin1').includes('/Subtype /Image'));
  });

  test('0, 2 and 3 decimal currencies (JPY, USD, KWD)', skipWithoutPdftotext, async () => {
    assert.equal(formatMoney(120000, 'JPY'), 'JPY 120,000');
    assert.equal(formatMoney(123456, 'USD'), 'USD 1,234.56');
    assert.equal(formatMoney(1250, 'KWD'), 'KWD 1.250');
    assert.equal(formatMoney(-5, 'USD'), 'USD -0.05');
    assert.equal(formatAmount(1234567890, 'KWD'), '1,234,567.890');
    for (const [currency, rate, expected] of [
      ['JPY', 120000, 'Total JPY 120,000'],
      ['USD', 123456, 'Total USD 1,234.56'],
      ['KWD', 1250, 'Total KWD 1.250'],
    ] as const) {
      const customer = await post('/api/v1/customers', { displayName: `Customer in ${currency}`, currency });
      const invoice = await document(
        'invoices',
        { customerId: customer.id, lines: [{ name: 'Item', quantity: '1', rate }] },
        false,
      );
      const response = await owner.request({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/pdf` });
      const text = squeeze(pdfText(response.rawPayload));
      assert.ok(text.includes(expected), `${currency}: "${expected}" in:\n${text}`);
      assert.ok(text.includes(`Rate (${currency})`));
    }
  });

  test(
    'a 1,000-line statement paginates, repeating the header row, never splitting a row',
    skipWithoutPdftotext,
    async () => {
      const entries: StatementEntry[] = Array.from({ length: 1000 }, (_, i) => ({
        date: `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
        createdAt: `2025-01-01T00:00:00.${String(i).padStart(3, '0')}Z`,
        kind: i % 4 === 3 || i % 10 === 0 ? 'payment' : 'invoice',
        id: `e${String(i).padStart(4, '0')}`,
        number: `DOC-${String(i).padStart(5, '0')}`,
        // Every tenth line is a payment with a long reference: its details wrap onto several lines inside its row.
        facts:
          i % 10 === 0
            ? {
                paymentMode: 'bank_transfer',
                paymentReference: Array.from({ length: 24 }, (_, k) => `w${i}k${k}`).join(' '),
              }
            : i % 4 === 3
              ? { paymentMode: 'cash' }
              : { dueDate: '2026-01-31' },
        amount: 1000 + i,
      }));
      const statement = {
        ...buildStatement({ openingBalance: 0, from: '2025-01-01', to: '2025-12-31', entries }),
        currency: 'USD',
        customer: { id: 'cus_x', displayName: 'Kōbe Works', companyName: null, billingAddress: '{}' },
        balance: null,
      };
      const pdf = await statementPdf(
        {
          name: 'Org',
          address: '{}',
          email: null,
          phone: null,
          website: null,
          logoBase64: null,
          logoContentType: null,
        },
        statement,
      );
      const pages = pdfText(pdf)
        .split('\f')
        .filter((page) => page.trim() !== '');
      assert.ok(pages.length > 10, `${pages.length} pages`);
      pages.forEach((page, index) => {
        assert.match(
          page,
          /Date\s+Transaction\s+Number\s+Details\s+Amount\s+Payments\s+Balance/,
          `header on page ${index + 1}`,
        );
        assert.ok(page.includes(`Page ${index + 1} of ${pages.length}`), `page number on page ${index + 1}`);
      });
      // Each row's number and its running balance are on one text line: the row was drawn whole on one page.
      const allLines = pages.flatMap((page) => page.split('\n'));
      for (const line of statement.lines.slice(1)) {
        const found = allLines.filter((text) => text.includes(line.number ?? '?'));
        assert.equal(found.length, 1, `${line.number} appears once`);
        assert.ok(
          found[0]?.includes(formatAmount(line.balance, 'USD')),
          `${line.number} with its balance: ${found[0]}`,
        );
      }
      // A long description's words all stay on the page where its row starts.
      for (let i = 0; i < 1000; i += 10) {
        const home = pages.findIndex((p) => p.includes(`DOC-${String(i).padStart(5, '0')}`));
        for (let k = 0; k < 24; k += 1) {
          const where = pages.flatMap((p, index) => (new RegExp(`\\bw${i}k${k}\\b`).test(p) ? [index] : []));
          assert.deepEqual(where, [home], `word ${k} of row ${i} is on the row's page`);
        }
      }
    },
  );
});
