import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exponentOf } from '../../src/domain/currencies.js';
import { computeDocument, type DocumentInput } from '../../src/domain/document-math.js';
import { generateRecurringInvoices } from '../../src/jobs/recurring.js';
import { recordPayment } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { pdfText, squeeze } from '../support/pdf.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

/**
 * E-invoices (issue 20, docs/e-invoices.md): UBL, CII and Factur-X of an invoice validate against the official
 * schemas (test/schemas, `xmllint --schema`), and their totals are §5.1's figures to the minor unit — checked by the
 * EN 16931 business rules on totals (BR-CO-10…17) for JPY, USD and KWD invoices with line and document discounts,
 * several rates, a zero-rated and an untaxed line, shipping and an adjustment.
 */

const SCHEMAS = join(import.meta.dirname, '..', '..', 'test', 'schemas');
const UBL_XSD = join(SCHEMAS, 'ubl-2.1', 'maindoc', 'UBL-Invoice-2.1.xsd');
const CII_XSD = join(SCHEMAS, 'cii-d16b', 'CrossIndustryInvoice_100pD16B.xsd');

/** Runs `fn` with a scratch directory that is removed after. */
function inScratch<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'portico-einvoice-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `xmllint --schema`: the validator's verdict and what it said. */
function validate(xml: Buffer, xsd: string) {
  return inScratch((dir) => {
    const file = join(dir, 'e-invoice.xml');
    writeFileSync(file, xml);
    const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, file], { encoding: 'utf8' });
    return { valid: run.status === 0, output: `${run.stdout}${run.stderr}` };
  });
}

/** Every text of the elements with this local name, in document order (xmllint's XPath, no namespaces needed). */
function texts(xml: Buffer, xpath: string): string[] {
  return inScratch((dir) => {
    const file = join(dir, 'e-invoice.xml');
    writeFileSync(file, xml);
    const run = spawnSync('xmllint', ['--xpath', xpath, file], { encoding: 'utf8' });
    if (run.status !== 0) return [];
    return [...run.stdout.matchAll(/<[^/!?][^>]*>([^<]*)<\//g)].map((m) => m[1] ?? '');
  });
}
const el = (path: string) =>
  path
    .split('/')
    .map((name) => (name === '' ? '' : `*[local-name()='${name}']`))
    .join('/');

/** The files attached inside a PDF (pdfdetach, poppler-utils): name → bytes. */
function attachedFiles(pdf: Buffer): Map<string, Buffer> {
  return inScratch((dir) => {
    const file = join(dir, 'invoice.pdf');
    writeFileSync(file, pdf);
    const list = execFileSync('pdfdetach', ['-list', file], { encoding: 'utf8' });
    const names = [...list.matchAll(/^\s*\d+: (.+)$/gm)].map((m) => (m[1] ?? '').trim());
    const files = new Map<string, Buffer>();
    names.forEach((name, index) => {
      const out = join(dir, `attached-${index}`);
      execFileSync('pdfdetach', ['-save', String(index + 1), '-o', out, file]);
      files.set(name, readFileSync(out));
    });
    return files;
  });
}

/** The PDF's XMP metadata (pdfinfo -meta). */
const pdfMetadata = (pdf: Buffer) =>
  inScratch((dir) => {
    const file = join(dir, 'invoice.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdfinfo', ['-meta', file], { encoding: 'utf8' });
  });

/** An EN 16931 amount ("12.30", "1234") back to minor units of the currency. */
function minor(text: string | undefined, currency: string): number {
  assert.ok(text !== undefined && /^-?\d+(\.\d{1,2})?$/.test(text), `an amount with at most 2 decimals: ${text}`);
  const exponent = exponentOf(currency) ?? 2;
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  assert.ok(fraction.length <= exponent, `${text} has more decimals than ${currency}`);
  const value = Number(whole + fraction.padEnd(exponent, '0'));
  return text.startsWith('-') ? -value : value;
}

interface Case {
  currency: 'JPY' | 'USD' | 'KWD';
  lines: Array<{ name: string; quantity: string; rate: number; unit?: string; tax: string | null; discount?: object }>;
  discount: { type: 'percent'; value: string } | { type: 'amount'; value: number };
  shipping: number;
  adjustment: number;
  payment: number;
}

/** Each with line and document discounts, 20 %, 5.5 % and 0 % rates, an untaxed line, shipping and an adjustment. */
const CASES: Case[] = [
  {
    currency: 'JPY',
    lines: [
      {
        name: 'Design',
        quantity: '3',
        unit: 'hours',
        rate: 12_345,
        tax: '20',
        discount: { type: 'percent', value: '10' },
      },
      { name: 'Printing', quantity: '2.5', rate: 999, tax: '5.5' },
      { name: 'Books', quantity: '1', rate: 2_000, tax: '0' },
      { name: 'Stamp duty', quantity: '1', rate: 400, tax: null },
    ],
    discount: { type: 'percent', value: '7.5' },
    shipping: 800,
    adjustment: -3,
    payment: 10_000,
  },
  {
    currency: 'USD',
    lines: [
      {
        name: 'Design',
        quantity: '3',
        unit: 'hours',
        rate: 12_050,
        tax: '20',
        discount: { type: 'amount', value: 1_001 },
      },
      { name: 'Printing', quantity: '2.5', rate: 999, tax: '5.5' },
      { name: 'Printing, again', quantity: '1.25', rate: 1_333, tax: '5.5' },
      { name: 'Books', quantity: '1', rate: 1_000, tax: '0' },
      { name: 'Stamp duty', quantity: '1', rate: 500, tax: null },
    ],
    discount: { type: 'percent', value: '5' },
    shipping: 700,
    adjustment: 17,
    payment: 12_345,
  },
  {
    // KWD has three decimals, EN 16931 amounts two: amounts in whole tens of fils are written exactly.
    currency: 'KWD',
    lines: [
      {
        name: 'Design',
        quantity: '2',
        unit: 'days',
        rate: 100_000,
        tax: '20',
        discount: { type: 'percent', value: '10' },
      },
      { name: 'Printing', quantity: '4', rate: 2_500, tax: '5' },
      { name: 'Books', quantity: '1', rate: 10_000, tax: '0' },
      { name: 'Stamp duty', quantity: '1', rate: 10_000, tax: null },
    ],
    discount: { type: 'percent', value: '10' },
    shipping: 1_500,
    adjustment: -200,
    payment: 50_000,
  },
];

describe('e-invoices: UBL, CII and Factur-X', () => {
  let harness: Harness;
  let owner: Actor;
  let other: Actor;
  let client: PortalClient;
  let portalCustomer: string;
  const taxIds: Record<string, string> = {};

  const call = (actor: Actor, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    actor.request({ method, url, ...(payload ? { payload } : {}) });
  const json = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const response = await call(owner, method, url, payload);
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const eInvoice = (id: string, format: string, actor = owner) =>
    call(actor, 'GET', `/api/v1/invoices/${id}/e-invoice?format=${format}`);
  const invoiceFor = async (customerId: string, fields: object = {}) =>
    (await json('POST', '/api/v1/invoices', {
      customerId,
      lines: [{ name: 'Work', quantity: '2', rate: 5_000, taxId: taxIds['20'] }],
      ...fields,
    })) as { id: string; number: string };
  const customer = async (displayName: string, fields: object = {}) =>
    (await json('POST', '/api/v1/customers', { displayName, ...fields })).id as string;
  const PARTY = { countryCode: 'BE', taxId: 'BE0123456749', peppolId: '0208:0123456749' };

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Atelier Kōbe', baseCurrency: 'USD' });
    other = await createOrgAndSignIn(harness);
    for (const [name, rate] of [
      ['VAT', '20'],
      ['Reduced VAT', '5.5'],
      ['Low VAT', '5'],
      ['Zero rate', '0'],
    ]) {
      taxIds[rate as string] = (await json('POST', '/api/v1/taxes', { name, rate })).id;
    }
    await json('PATCH', '/api/v1/organization', {
      countryCode: 'FR',
      taxId: 'FR40303265045',
      companyId: '303265045',
      peppolId: '0009:30326504500017',
      address: { street1: '12 rue des Lilas', city: 'Lyon', postalCode: '69001', country: 'France' },
    });
    const slug = await enablePortal(owner);
    const a = await customerWithContacts(owner, 'Portal Client BV', ['client@einvoice.example']);
    portalCustomer = a.id;
    await json('PATCH', `/api/v1/customers/${a.id}`, PARTY);
    client = await activatedClient(
      harness,
      owner,
      slug,
      a.id,
      a.contacts['client@einvoice.example'] ?? '',
      'client@einvoice.example',
    );
  });
  after(async () => {
    await harness.close();
  });

  test('missing details answer 422 naming each one; bad details are refused; nothing is stored', async () => {
    const fresh = await createOrgAndSignIn(harness);
    const freshJson = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
      const response = await call(fresh, method, url, payload);
      assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    const vat = (await freshJson('POST', '/api/v1/taxes', { name: 'VAT', rate: '19' })).id;
    const bare = (await freshJson('POST', '/api/v1/customers', { displayName: 'Bare Customer Ltd' })).id;
    const invoice = await freshJson('POST', '/api/v1/invoices', {
      customerId: bare,
      lines: [{ name: 'Work', quantity: '1', rate: 10_000, taxId: vat }],
    });
    for (const format of ['ubl', 'cii', 'facturx']) {
      const response = await eInvoice(invoice.id, format, fresh);
      assert.equal(response.statusCode, 422, response.body);
      assert.match(response.headers['content-type'] as string, /application\/problem\+json/);
      const problem = response.json();
      assert.equal(problem.code, 'e_invoice_incomplete');
      assert.deepEqual(
        problem.errors.map((e: { path: string }) => e.path),
        ['/organization/countryCode', '/organization/taxId', '/customer/countryCode', '/customer/peppolId'],
      );
      assert.match(problem.detail, /country of Bare Customer Ltd/);
      assert.match(problem.detail, /VAT number/);
    }
    const before = await freshJson('GET', '/api/v1/organization');
    const customerBefore = await freshJson('GET', `/api/v1/customers/${bare}`);
    for (const payload of [
      { countryCode: 'XX' },
      { countryCode: 'fr' },
      { taxId: ' ' },
      { peppolId: 'not a participant id' },
      { eInvoiceAttachment: 'pdf' },
    ]) {
      const response = await call(fresh, 'PATCH', '/api/v1/organization', payload);
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
      const onCustomer = await call(fresh, 'PATCH', `/api/v1/customers/${bare}`, payload);
      assert.equal(onCustomer.statusCode, 400, `${JSON.stringify(payload)}: ${onCustomer.body}`);
    }
    assert.deepEqual(await freshJson('GET', '/api/v1/organization'), before);
    assert.deepEqual(await freshJson('GET', `/api/v1/customers/${bare}`), customerBefore);

    const org = await freshJson('PATCH', '/api/v1/organization', { countryCode: 'DE', taxId: 'DE136695976' });
    assert.equal(org.countryCode, 'DE');
    assert.equal(org.taxId, 'DE136695976');
    assert.equal(org.eInvoiceAttachment, 'none');
    const stillMissing = (await eInvoice(invoice.id, 'ubl', fresh)).json();
    assert.deepEqual(
      stillMissing.errors.map((e: { path: string }) => e.path),
      ['/customer/countryCode', '/customer/peppolId'],
    );
    const updated = await freshJson('PATCH', `/api/v1/customers/${bare}`, { countryCode: 'AT' });
    assert.equal(updated.countryCode, 'AT');
    assert.equal(updated.taxId, null);
    assert.equal((await eInvoice(invoice.id, 'ubl', fresh)).statusCode, 422);
    await freshJson('PATCH', `/api/v1/customers/${bare}`, { email: 'accounts@bare.example' });
    const ubl = await eInvoice(invoice.id, 'ubl', fresh);
    assert.equal(ubl.statusCode, 200, ubl.body);
    // Without the buyer's Peppol id its e-mail address is the electronic address, and the UBL is plain EN 16931.
    assert.deepEqual(texts(ubl.rawPayload, `/${el('Invoice/CustomizationID')}`), ['urn:cen.eu:en16931:2017']);
    assert.deepEqual(texts(ubl.rawPayload, `/${el('Invoice/AccountingCustomerParty/Party/EndpointID')}`), [
      'accounts@bare.example',
    ]);
    assert.ok(validate(ubl.rawPayload, UBL_XSD).valid);
  });

  for (const c of CASES) {
    test(`${c.currency}: UBL and CII validate against their schemas and carry the §5.1 figures exactly`, async () => {
      const customerId = await customer(`${c.currency} Customer SA`, {
        currency: c.currency,
        companyName: `${c.currency} Customer Legal SA`,
        billingAddress: { street1: 'Rue Haute 1', city: 'Brussels', postalCode: '1000' },
        ...PARTY,
      });
      const created = await json('POST', '/api/v1/invoices', {
        customerId,
        lines: c.lines.map(({ tax, ...line }) => ({ ...line, taxId: tax === null ? null : taxIds[tax] })),
        discount: c.discount,
        shipping: c.shipping,
        adjustment: c.adjustment,
        adjustmentLabel: 'Rounding',
        notes: 'Thank you.',
      });
      await json('POST', `/api/v1/invoices/${created.id}/send`);
      const paid = await recordPayment(owner, {
        customerId,
        amount: c.payment,
        allocations: [{ invoiceId: created.id, amount: c.payment }],
      });
      assert.equal(paid.statusCode, 201, paid.body);
      const invoice = await json('GET', `/api/v1/invoices/${created.id}`);

      const input: DocumentInput = {
        lines: c.lines.map((line) => ({
          quantity: line.quantity,
          rate: line.rate,
          taxRate: line.tax,
          discount: (line.discount ?? null) as DocumentInput['lines'][number]['discount'],
        })),
        discount: c.discount as DocumentInput['discount'],
        discountBeforeTax: true,
        shipping: c.shipping,
        adjustment: c.adjustment,
        taxRounding: 'line',
      };
      const expected = computeDocument(input);
      assert.equal(invoice.total, expected.total);
      assert.equal(invoice.balance, expected.total - c.payment);
      const rate = (line: Case['lines'][number]) => line.tax;

      for (const format of ['ubl', 'cii'] as const) {
        const response = await eInvoice(created.id, format);
        assert.equal(response.statusCode, 200, response.body);
        assert.match(response.headers['content-type'] as string, /^application\/xml/);
        assert.match(
          response.headers['content-disposition'] as string,
          new RegExp(`${invoice.number}-${format}\\.xml`),
        );
        assert.equal(response.headers['cache-control'], 'private, no-store');
        const xml = response.rawPayload;
        const verdict = validate(xml, format === 'ubl' ? UBL_XSD : CII_XSD);
        assert.ok(verdict.valid, `${c.currency} ${format} does not validate:\n${verdict.output}`);

        const amount = (path: string) => minor(texts(xml, path)[0], c.currency);
        const amounts = (path: string) => texts(xml, path).map((text) => minor(text, c.currency));
        const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
        let totals: Record<string, number>;
        let lineNets: number[];
        let categories: Array<{ code: string; percent: string; taxable: number; tax: number }>;
        let allowances: number[];
        let charges: number[];
        if (format === 'ubl') {
          const total = (name: string) => amount(`/${el(`Invoice/LegalMonetaryTotal/${name}`)}`);
          totals = {
            lineNets: total('LineExtensionAmount'),
            allowances: total('AllowanceTotalAmount'),
            charges: total('ChargeTotalAmount'),
            taxExclusive: total('TaxExclusiveAmount'),
            tax: amount(`/${el('Invoice/TaxTotal/TaxAmount')}`),
            taxInclusive: total('TaxInclusiveAmount'),
            prepaid: total('PrepaidAmount'),
            payable: total('PayableAmount'),
          };
          lineNets = amounts(`/${el('Invoice/InvoiceLine/LineExtensionAmount')}`);
          const subtotal = (name: string) => texts(xml, `/${el(`Invoice/TaxTotal/TaxSubtotal/${name}`)}`);
          const codes = subtotal('TaxCategory/ID');
          const percents = subtotal('TaxCategory/Percent');
          categories = codes.map((code, i) => ({
            code,
            percent: percents[i] ?? '',
            taxable: minor(subtotal('TaxableAmount')[i], c.currency),
            tax: minor(subtotal('TaxAmount')[i], c.currency),
          }));
          const ac = (indicator: string) =>
            amounts(
              `/${el('Invoice/AllowanceCharge')}[*[local-name()='ChargeIndicator']='${indicator}']/${el('Amount')}`,
            );
          allowances = ac('false');
          charges = ac('true');
          assert.equal(texts(xml, `/${el('Invoice/DocumentCurrencyCode')}`)[0], c.currency);
          assert.equal(
            texts(xml, `/${el('Invoice/CustomizationID')}`)[0],
            'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
          );
        } else {
          const settlement = 'CrossIndustryInvoice/SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement';
          const total = (name: string) =>
            amount(`/${el(`${settlement}/SpecifiedTradeSettlementHeaderMonetarySummation/${name}`)}`);
          totals = {
            lineNets: total('LineTotalAmount'),
            allowances: total('AllowanceTotalAmount'),
            charges: total('ChargeTotalAmount'),
            taxExclusive: total('TaxBasisTotalAmount'),
            tax: total('TaxTotalAmount'),
            taxInclusive: total('GrandTotalAmount'),
            prepaid: total('TotalPrepaidAmount'),
            payable: total('DuePayableAmount'),
          };
          lineNets = amounts(
            `/${el('CrossIndustryInvoice/SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem/SpecifiedLineTradeSettlement/SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount')}`,
          );
          const tax = (name: string) => texts(xml, `/${el(`${settlement}/ApplicableTradeTax/${name}`)}`);
          categories = tax('CategoryCode').map((code, i) => ({
            code,
            percent: tax('RateApplicablePercent')[i] ?? '',
            taxable: minor(tax('BasisAmount')[i], c.currency),
            tax: minor(tax('CalculatedAmount')[i], c.currency),
          }));
          const ac = (indicator: string) =>
            amounts(
              `/${el(`${settlement}/SpecifiedTradeAllowanceCharge`)}[${el('ChargeIndicator/Indicator')}='${indicator}']/${el('ActualAmount')}`,
            );
          allowances = ac('false');
          charges = ac('true');
          assert.equal(texts(xml, `/${el(`${settlement}/InvoiceCurrencyCode`)}`)[0], c.currency);
        }

        // The §5.1 figures, to the minor unit.
        const documentAllowances = expected.discountTotal + Math.max(0, -c.adjustment);
        const documentCharges = c.shipping + Math.max(0, c.adjustment);
        assert.deepEqual(totals, {
          lineNets: expected.subtotal,
          allowances: documentAllowances,
          charges: documentCharges,
          taxExclusive: expected.subtotal - expected.discountTotal + c.shipping + c.adjustment,
          tax: expected.taxTotal,
          taxInclusive: expected.total,
          prepaid: c.payment,
          payable: invoice.balance,
        });
        assert.deepEqual(lineNets, expected.lineAmounts);
        // EN 16931's rules on totals.
        assert.equal(sum(lineNets), totals.lineNets, 'BR-CO-10');
        assert.equal(sum(allowances), totals.allowances, 'BR-CO-11');
        assert.equal(sum(charges), totals.charges, 'BR-CO-12');
        assert.equal(totals.taxExclusive, totals.lineNets - totals.allowances + totals.charges, 'BR-CO-13');
        assert.equal(sum(categories.map((cat) => cat.tax)), totals.tax, 'BR-CO-14');
        assert.equal(totals.taxInclusive, totals.taxExclusive + totals.tax, 'BR-CO-15');
        assert.equal(totals.payable, totals.taxInclusive - totals.prepaid, 'BR-CO-16');
        // One category per rate: S for each rate above 0, Z for 0 %, E for the untaxed line, shipping and adjustment.
        const byRate = new Map(expected.taxes.map((t) => [t.rate, t.amount]));
        const codes = categories.map((cat) => `${cat.code}:${Number(cat.percent)}`).sort();
        const rates = [...new Set(c.lines.map(rate))];
        assert.deepEqual(
          codes,
          rates.map((r) => (r === null ? 'E:0' : Number(r) === 0 ? 'Z:0' : `S:${Number(r)}`)).sort(),
        );
        for (const cat of categories) {
          if (cat.code === 'S' || cat.code === 'Z') {
            const r = String(Number(cat.percent));
            const linesAtRate = expected.lines.filter(
              (line) => line.taxRate !== null && Number(line.taxRate) === Number(r),
            );
            assert.equal(cat.taxable, sum(linesAtRate.map((line) => line.taxableBase)), `taxable at ${r} %`);
            assert.equal(cat.tax, byRate.get(linesAtRate[0]?.taxRate ?? '') ?? 0, `tax at ${r} %`);
            // BR-CO-17: the category's tax is its taxable amount × rate, rounded; rounding per line moves it by at
            // most half a minor unit per line.
            const exact = Math.round((cat.taxable * Number(r)) / 100);
            assert.ok(Math.abs(cat.tax - exact) <= linesAtRate.length / 2, `BR-CO-17 at ${r} %`);
          } else {
            assert.equal(cat.code, 'E');
            assert.equal(cat.tax, 0);
            const untaxed = expected.lines.filter((line) => line.taxRate === null);
            assert.equal(cat.taxable, sum(untaxed.map((line) => line.taxableBase)) + c.shipping + c.adjustment);
          }
        }
      }
    });
  }

  test('the Factur-X PDF is PDF/A-3 with the CII XML attached and reads back as the invoice', async () => {
    const invoice = await invoiceFor(portalCustomer, {
      lines: [
        { name: 'Consulting', quantity: '4', rate: 15_000, taxId: taxIds['20'] },
        { name: 'Guide book', quantity: '1', rate: 2_500, taxId: taxIds['5.5'] },
      ],
    });
    await json('POST', `/api/v1/invoices/${invoice.id}/send`);
    const detail = await json('GET', `/api/v1/invoices/${invoice.id}`);
    const response = await eInvoice(invoice.id, 'facturx');
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'application/pdf');
    assert.match(response.headers['content-disposition'] as string, new RegExp(`${invoice.number}-factur-x\\.pdf`));
    const pdf = response.rawPayload;
    const files = attachedFiles(pdf);
    const xml = files.get('factur-x.xml');
    assert.ok(xml, `factur-x.xml attached; found ${[...files.keys()].join(', ')}`);
    const verdict = validate(xml, CII_XSD);
    assert.ok(verdict.valid, verdict.output);
    assert.deepEqual(
      texts(
        xml,
        `/${el('CrossIndustryInvoice/ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID')}`,
      ),
      ['urn:cen.eu:en16931:2017'],
    );
    assert.equal(
      minor(
        texts(
          xml,
          `/${el('CrossIndustryInvoice/SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/SpecifiedTradeSettlementHeaderMonetarySummation/GrandTotalAmount')}`,
        )[0],
        'USD',
      ),
      detail.total,
    );
    const metadata = pdfMetadata(pdf);
    assert.match(metadata, /pdfaid:part>3<|pdfaid:part="3"/);
    assert.match(metadata, /DocumentFileName>factur-x\.xml<|DocumentFileName="factur-x\.xml"/);
    const text = squeeze(pdfText(pdf));
    assert.match(text, new RegExp(`INVOICE .*# ${invoice.number}`));
    assert.match(text, /Consulting/);
    assert.match(text, new RegExp(`Total USD ${(detail.total / 100).toFixed(2)}`));
  });

  test('what EN 16931 cannot carry is refused with 422, never rounded or guessed', async () => {
    const kwd = await customer('Fils Trading WLL', { currency: 'KWD', ...PARTY });
    const fils = await invoiceFor(kwd, { lines: [{ name: 'Tea', quantity: '1', rate: 1_235, taxId: taxIds['20'] }] });
    const refused = await eInvoice(fils.id, 'ubl');
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json().code, 'e_invoice_unsupported');
    assert.match(refused.json().detail, /KWD.*1\.235/);

    const afterTax = await invoiceFor(portalCustomer, {
      discount: { type: 'percent', value: '10' },
      discountBeforeTax: false,
    });
    const discount = await eInvoice(afterTax.id, 'cii');
    assert.equal(discount.statusCode, 422, discount.body);
    assert.match(discount.json().detail, /discounts before tax/);

    const voided = await invoiceFor(portalCustomer);
    await json('POST', `/api/v1/invoices/${voided.id}/send`);
    await json('POST', `/api/v1/invoices/${voided.id}/void`);
    const voidAnswer = await eInvoice(voided.id, 'ubl');
    assert.equal(voidAnswer.statusCode, 422, voidAnswer.body);

    const badFormat = await eInvoice(voided.id, 'pdf');
    assert.equal(badFormat.statusCode, 400, badFormat.body);
  });

  test('an invoice without any tax is outside the scope of VAT and carries no VAT ids', async () => {
    const invoice = await invoiceFor(portalCustomer, { lines: [{ name: 'Advice', quantity: '1', rate: 30_000 }] });
    for (const format of ['ubl', 'cii'] as const) {
      const xml = (await eInvoice(invoice.id, format)).rawPayload;
      assert.ok(validate(xml, format === 'ubl' ? UBL_XSD : CII_XSD).valid);
      const text = xml.toString('utf8');
      assert.match(text, format === 'ubl' ? /<cbc:ID>O<\/cbc:ID>/ : /<ram:CategoryCode>O<\/ram:CategoryCode>/);
      assert.doesNotMatch(text, /FR40303265045|BE0123456749/);
      assert.match(text, /Not subject to VAT/);
    }
  });

  test("the portal serves the client's own invoices only; another organization's id is 404", async () => {
    const sent = await invoiceFor(portalCustomer);
    await json('POST', `/api/v1/invoices/${sent.id}/send`);
    const draft = await invoiceFor(portalCustomer);
    const stranger = await customer('Stranger GmbH', PARTY);
    const notMine = await invoiceFor(stranger);
    await json('POST', `/api/v1/invoices/${notMine.id}/send`);

    const mine = await client.request({ method: 'GET', url: `/invoices/${sent.id}/e-invoice?format=ubl` });
    assert.equal(mine.statusCode, 200, mine.body);
    assert.ok(validate(mine.rawPayload, UBL_XSD).valid);
    const facturx = await client.request({ method: 'GET', url: `/invoices/${sent.id}/e-invoice?format=facturx` });
    assert.equal(facturx.statusCode, 200, facturx.body);
    assert.ok(attachedFiles(facturx.rawPayload).has('factur-x.xml'));
    for (const id of [draft.id, notMine.id, 'inv_00000000000000000000000000']) {
      const hidden = await client.request({ method: 'GET', url: `/invoices/${id}/e-invoice?format=cii` });
      assert.equal(hidden.statusCode, 404, hidden.body);
    }
    const foreign = await eInvoice(sent.id, 'ubl', other);
    assert.equal(foreign.statusCode, 404, foreign.body);
    // The business sees its drafts' e-invoices, as it sees their PDFs.
    assert.equal((await eInvoice(draft.id, 'ubl')).statusCode, 200);
  });

  test('invoice e-mails carry the e-invoice the organization chose; a missing detail refuses the sending', async () => {
    const outbox = (id: string) =>
      harness.ctx.db.kysely
        .selectFrom('outboxMessages')
        .select(['attachments', 'textBody'])
        .where('organizationId', '=', owner.organizationId)
        .where('template', '=', 'documentSent')
        .execute()
        .then((rows) => rows.filter((row) => row.textBody.includes(`/invoices/${id}`)));
    type Attachment = { filename: string; contentType: string; contentBase64: string };

    await json('PATCH', '/api/v1/organization', { eInvoiceAttachment: 'ubl' });
    const withUbl = await invoiceFor(portalCustomer);
    await json('POST', `/api/v1/invoices/${withUbl.id}/send`);
    const [ublMail] = await outbox(withUbl.id);
    const ublFiles = JSON.parse(ublMail?.attachments ?? '[]') as Attachment[];
    assert.deepEqual(
      ublFiles.map((a) => a.contentType),
      ['application/pdf', 'application/xml'],
    );
    assert.ok(validate(Buffer.from(ublFiles[1]?.contentBase64 ?? '', 'base64'), UBL_XSD).valid);

    await json('PATCH', '/api/v1/organization', { eInvoiceAttachment: 'facturx' });
    const withFacturX = await invoiceFor(portalCustomer);
    await json('POST', `/api/v1/invoices/${withFacturX.id}/send`);
    const [facturXMail] = await outbox(withFacturX.id);
    const facturXFiles = JSON.parse(facturXMail?.attachments ?? '[]') as Attachment[];
    assert.equal(facturXFiles.length, 1);
    assert.match(facturXFiles[0]?.filename ?? '', /-factur-x\.pdf$/);
    assert.ok(attachedFiles(Buffer.from(facturXFiles[0]?.contentBase64 ?? '', 'base64')).has('factur-x.xml'));

    const incomplete = await customerWithContacts(owner, 'No Country Ltd', ['nocountry@einvoice.example']);
    const refused = await invoiceFor(incomplete.id);
    const answer = await call(owner, 'POST', `/api/v1/invoices/${refused.id}/send`);
    assert.equal(answer.statusCode, 422, answer.body);
    assert.equal(answer.json().code, 'e_invoice_incomplete');
    assert.equal((await json('GET', `/api/v1/invoices/${refused.id}`)).status, 'draft');
    assert.deepEqual(await outbox(refused.id), []);

    await json('PATCH', '/api/v1/organization', { eInvoiceAttachment: 'none' });
    await json('POST', `/api/v1/invoices/${refused.id}/send`);
    const [plain] = await outbox(refused.id);
    assert.deepEqual(
      (JSON.parse(plain?.attachments ?? '[]') as Attachment[]).map((a) => a.contentType),
      ['application/pdf'],
    );
  });

  test('a recurring invoice that cannot carry its e-invoice is left a draft, the failure recorded', async () => {
    await json('PATCH', '/api/v1/organization', { eInvoiceAttachment: 'cii' });
    const noCountry = await customerWithContacts(owner, 'Recurring Without Country', ['recurring@einvoice.example']);
    const today = harness.clock.now.toISOString().slice(0, 10);
    const profile = await json('POST', '/api/v1/recurring-profiles', {
      customerId: noCountry.id,
      name: 'Monthly care',
      frequency: 'monthly',
      startDate: today,
      sendAutomatically: true,
      template: { lines: [{ name: 'Care', quantity: '1', rate: 4_000, taxId: taxIds['20'] }] },
    });
    const result = await generateRecurringInvoices(harness.ctx);
    assert.equal(result.invoiceIds.length, 1);
    assert.deepEqual(
      result.failures.map((failure) => [failure.profileId, (failure.error as { code?: string }).code]),
      [[profile.id, 'e_invoice_incomplete']],
    );
    const [invoiceId = ''] = result.invoiceIds;
    assert.equal((await json('GET', `/api/v1/invoices/${invoiceId}`)).status, 'draft');
    await json('PATCH', '/api/v1/organization', { eInvoiceAttachment: 'none' });
  });
});
