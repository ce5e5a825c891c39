/**
 * Bank-transfer instructions (issue 19, point 2): the business sets them per currency; the client sees them on an
 * invoice they owe, with its reference and amount, and an EPC QR code in euros that decodes (zbarimg) to the right
 * IBAN, amount and reference; a change of account details warns every client who owes in that currency for 30 days,
 * e-mails every owner and is audited; PDFs print them only when allowed.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createCustomer, createInvoice } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, signIn, startHarness } from '../support/harness.js';
import { HAS_PDFTOTEXT, NO_PDFTOTEXT_REASON, pdfText, squeeze } from '../support/pdf.js';
import { activatedClient, CLIENT_PASSWORD, enablePortal, type PortalClient, portalClient } from '../support/portal.js';

const IBAN = 'DE89370400440532013000';
const OTHER_IBAN = 'GB82WEST12345698765432';
const HAS_ZBARIMG = spawnSync('zbarimg', ['--version']).error === undefined;

/** What a banking app reads from the QR code (zbarimg, from Debian's zbar-tools). */
function decodeQr(png: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-qr-'));
  try {
    const file = path.join(dir, 'qr.png');
    writeFileSync(file, png);
    return execFileSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' }).replace(/\n$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('bank-transfer instructions', () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let client: PortalClient;
  let euroInvoice: { id: string; number: string };
  let dollarInvoice: { id: string; number: string };

  before(async () => {
    harness = await startHarness({ now: '2026-03-15T10:00:00.000Z' });
    owner = await createOrgAndSignIn(harness, { name: 'Northwind Traders', baseCurrency: 'EUR' });
    slug = await enablePortal(owner);
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/customers',
      payload: {
        displayName: 'Bluebird Bakery',
        currency: 'EUR',
        contactPersons: [{ firstName: 'Alice', email: 'alice@bluebird.test' }],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const customer = created.json() as { id: string; contactPersons: Array<{ id: string }> };
    euroInvoice = await createInvoice(harness, owner, { customerId: customer.id, total: 123_405 });
    client = await activatedClient(
      harness,
      owner,
      slug,
      customer.id,
      customer.contactPersons[0]?.id as string,
      'alice@bluebird.test',
    );
    const dollars = await createCustomer(owner, { currency: 'USD' });
    dollarInvoice = await createInvoice(harness, owner, { customerId: dollars, total: 5_000 });
  });
  after(() => harness.close());

  const put = (currency: string, payload: Record<string, unknown>, actor: Actor = owner) =>
    actor.request({ method: 'PUT', url: `/api/v1/bank-transfer-instructions/${currency}`, payload });

  test('wrong details are refused with the field named, and nothing is saved', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['EUR', { accountHolder: 'Northwind', accountNumber: 'DE89370400440532013001' }, '/accountNumber'],
      ['EUR', { accountHolder: 'Northwind', accountNumber: '12345678' }, '/accountNumber'],
      ['EUR', { accountHolder: '  ', accountNumber: IBAN }, '/accountHolder'],
      ['EUR', { accountHolder: 'Northwind', accountNumber: IBAN, bankCode: 'COBADEF' }, '/bankCode'],
      ['EUR', { accountHolder: 'Northwind', accountNumber: IBAN, reference: 'INV {id}' }, '/reference'],
      ['QQQ', { accountHolder: 'Northwind', accountNumber: '12345678' }, '/currency'],
    ];
    for (const [currency, payload, pathOf] of cases) {
      const response = await put(currency, payload);
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().errors[0].path, pathOf, response.body);
    }
    const list = await owner.request({ method: 'GET', url: '/api/v1/bank-transfer-instructions' });
    assert.deepEqual(list.json().data, []);
  });

  test('before any instructions the invoice has none, and no QR code', async () => {
    const shown = await client.request({ method: 'GET', url: `/invoices/${euroInvoice.id}/bank-transfer` });
    assert.equal(shown.statusCode, 200, shown.body);
    assert.equal(shown.json().bankTransfer, null);
    const qr = await client.request({ method: 'GET', url: `/invoices/${euroInvoice.id}/bank-transfer/qr-code` });
    assert.equal(qr.statusCode, 404);
  });

  test('set once: the client sees them on the invoice with its reference and balance, without a warning', async () => {
    const saved = await put('EUR', {
      accountHolder: 'Northwind Traders GmbH',
      accountNumber: 'de89 3704 0044 0532 0130 00',
      bankCode: 'cobadeffxxx',
      bankName: 'Commerzbank',
      reference: 'NW {number}',
    });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json().accountNumber, IBAN);
    assert.equal(saved.json().bankCode, 'COBADEFFXXX');
    assert.equal(saved.json().detailsChangedAt, null);

    const shown = (await client.request({ method: 'GET', url: `/invoices/${euroInvoice.id}/bank-transfer` })).json()
      .bankTransfer;
    assert.equal(shown.accountNumber, 'DE89 3704 0044 0532 0130 00');
    assert.equal(shown.reference, `NW ${euroInvoice.number}`);
    assert.equal(shown.amount, 123_405);
    assert.equal(shown.recentlyChanged, false);
    assert.equal(shown.lastChangedAt, '2026-03-15T10:00:00.000Z');
    assert.equal(shown.hasQrCode, true);
    const notices = await client.request({ method: 'GET', url: '/bank-transfer-notices' });
    assert.deepEqual(notices.json().data, []);

    const mails = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select(['toAddress', 'subject'])
      .where('template', '=', 'bankDetailsChanged')
      .execute();
    assert.equal(mails.length, 1);
    assert.match(mails[0]?.subject ?? '', /EUR bank-transfer details were added/);
  });

  test('the EPC QR code decodes to the IBAN, the amount due and the reference', {
    skip: HAS_ZBARIMG ? false : 'zbarimg not found (apt-get install zbar-tools)',
  }, async () => {
    const qr = await client.request({ method: 'GET', url: `/invoices/${euroInvoice.id}/bank-transfer/qr-code` });
    assert.equal(qr.statusCode, 200);
    assert.equal(qr.headers['content-type'], 'image/png');
    const lines = decodeQr(qr.rawPayload).split('\n');
    assert.deepEqual(lines.slice(0, 8), [
      'BCD',
      '002',
      '1',
      'SCT',
      'COBADEFFXXX',
      'Northwind Traders GmbH',
      IBAN,
      'EUR1234.05',
    ]);
    assert.equal(lines[10], `NW ${euroInvoice.number}`);
  });

  test("another customer cannot read this invoice's instructions or QR code; a dollar invoice has no QR code", async () => {
    const other = await client.request({ method: 'GET', url: `/invoices/${dollarInvoice.id}/bank-transfer` });
    assert.equal(other.statusCode, 404);
    const usd = await put('USD', {
      accountHolder: 'Northwind Traders Inc',
      accountNumber: '000123456789',
      bankCode: '021000021',
    });
    assert.equal(usd.statusCode, 200, usd.body);
    const qr = await client.request({ method: 'GET', url: `/invoices/${dollarInvoice.id}/bank-transfer/qr-code` });
    assert.equal(qr.statusCode, 404);
  });

  test('a change of account details: a warning for 30 days on the portal, the owner e-mailed, the audit log', async () => {
    harness.clock.now = new Date('2026-03-15T10:10:00.000Z');
    const admin = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        name: 'Ada Admin',
        email: 'admin@northwind.test',
        role: 'admin',
        password: 'another long passphrase here',
      },
    });
    assert.equal(admin.statusCode, 201, admin.body);

    // Only the reference or the PDF flag: no warning, no e-mail.
    const before = await owner.request({ method: 'GET', url: '/api/v1/bank-transfer-instructions' });
    const unchanged = await put('EUR', {
      accountHolder: 'Northwind Traders GmbH',
      accountNumber: IBAN,
      bankCode: 'COBADEFFXXX',
      bankName: 'Commerzbank',
      reference: '{number}',
      showOnPdf: true,
    });
    assert.equal(unchanged.json().detailsChangedAt, null, JSON.stringify(before.json()));

    const changed = await put('EUR', {
      accountHolder: 'Northwind Traders GmbH',
      accountNumber: OTHER_IBAN,
      bankCode: 'WESTGB22',
      showOnPdf: true,
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().detailsChangedAt, '2026-03-15T10:10:00.000Z');

    const shown = (await client.request({ method: 'GET', url: `/invoices/${euroInvoice.id}/bank-transfer` })).json()
      .bankTransfer;
    assert.equal(shown.recentlyChanged, true);
    assert.equal(shown.accountNumber, 'GB82 WEST 1234 5698 7654 32');
    const notices = await client.request({ method: 'GET', url: '/bank-transfer-notices' });
    assert.deepEqual(notices.json().data, [{ currency: 'EUR', changedAt: '2026-03-15T10:10:00.000Z' }]);

    const mails = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select(['toAddress', 'subject', 'textBody'])
      .where('template', '=', 'bankDetailsChanged')
      .where('subject', 'like', '%were changed%')
      .orderBy('toAddress')
      .execute();
    // The owner hears of it; an admin (who could have made the change) is not who must check it.
    const ownerRow = await harness.ctx.db.kysely
      .selectFrom('users')
      .select('email')
      .where('role', '=', 'owner')
      .where('organizationId', '=', owner.organizationId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      mails.map((m) => m.toAddress),
      [ownerRow.email],
    );
    assert.match(mails[0]?.textBody ?? '', /account ending 5432/);

    const audit = await owner.request({ method: 'GET', url: '/api/v1/audit-log?event=business.bank_details_changed' });
    assert.equal(audit.statusCode, 200, audit.body);
    const changes = (audit.json().data as Array<{ details: Record<string, unknown> }>).map((e) => e.details.change);
    assert.deepEqual(changes, ['changed', 'added', 'added']);

    // 30 days later the warning is gone; the date stays. (A new sign-in: the first session would have lapsed.)
    harness.clock.now = new Date('2026-04-14T10:10:01.000Z');
    const returning = portalClient(harness, slug);
    const signedIn = await returning.request({
      method: 'POST',
      url: '/session',
      payload: { email: 'alice@bluebird.test', password: CLIENT_PASSWORD },
    });
    assert.equal(signedIn.statusCode, 200, signedIn.body);
    returning.keepSessionFrom(signedIn);
    const later = (await returning.request({ method: 'GET', url: `/invoices/${euroInvoice.id}/bank-transfer` })).json()
      .bankTransfer;
    assert.equal(later.recentlyChanged, false);
    assert.equal(later.lastChangedAt, '2026-03-15T10:10:00.000Z');
    assert.deepEqual((await returning.request({ method: 'GET', url: '/bank-transfer-notices' })).json().data, []);
    harness.clock.now = new Date('2026-03-15T10:15:00.000Z');
  });

  test('the invoice PDF prints them (with the QR code) only when allowed', {
    skip: HAS_PDFTOTEXT ? false : NO_PDFTOTEXT_REASON,
  }, async () => {
    const pdf = async () =>
      squeeze(pdfText((await client.request({ method: 'GET', url: `/invoices/${euroInvoice.id}/pdf` })).rawPayload));
    assert.match(await pdf(), /Pay by bank transfer.*IBAN: GB82 WEST 1234 5698 7654 32.*Reference: INV-/);
    const off = await put('EUR', {
      accountHolder: 'Northwind Traders GmbH',
      accountNumber: OTHER_IBAN,
      bankCode: 'WESTGB22',
      showOnPdf: false,
    });
    assert.equal(off.statusCode, 200);
    assert.doesNotMatch(await pdf(), /Pay by bank transfer/);
  });

  test('staff may read but not change them; three saves at once: each change audited once', async () => {
    const staffCreated = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        name: 'Staff',
        email: 'staff@northwind.test',
        role: 'staff',
        password: 'quiet river pebble lantern',
      },
    });
    assert.equal(staffCreated.statusCode, 201, staffCreated.body);
    const staff = await signIn(harness, 'staff@northwind.test', 'quiet river pebble lantern', {
      organizationId: owner.organizationId,
      userId: staffCreated.json().id,
    });
    assert.equal((await staff.request({ method: 'GET', url: '/api/v1/bank-transfer-instructions' })).statusCode, 200);
    assert.equal((await put('EUR', { accountHolder: 'Mallory', accountNumber: IBAN }, staff)).statusCode, 403);
    assert.equal(
      (await staff.request({ method: 'DELETE', url: '/api/v1/bank-transfer-instructions/EUR' })).statusCode,
      403,
    );

    const auditCount = async () =>
      (
        await harness.ctx.db.kysely
          .selectFrom('auditLog')
          .select('id')
          .where('event', '=', 'business.bank_details_changed')
          .execute()
      ).length;
    const beforeCount = await auditCount();
    const results = await Promise.all([
      put('GBP', { accountHolder: 'Northwind UK', accountNumber: OTHER_IBAN }),
      put('GBP', { accountHolder: 'Northwind UK', accountNumber: IBAN }),
      put('GBP', { accountHolder: 'Northwind UK', accountNumber: OTHER_IBAN }),
    ]);
    assert.deepEqual(
      results.map((r) => r.statusCode),
      [200, 200, 200],
    );
    // Saved one after the other: one "added", then a "changed" for each save that differs from the one before it —
    // two or three entries whatever the order, each with its one e-mail.
    const added = (await auditCount()) - beforeCount;
    assert.ok(added === 2 || added === 3, String(added));
    const gbpMails = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select('id')
      .where('template', '=', 'bankDetailsChanged')
      .where('subject', 'like', '%GBP%')
      .execute();
    assert.equal(gbpMails.length, added);
    const list = (await owner.request({ method: 'GET', url: '/api/v1/bank-transfer-instructions' })).json().data;
    assert.equal(list.filter((row: { currency: string }) => row.currency === 'GBP').length, 1);

    const removed = await owner.request({ method: 'DELETE', url: '/api/v1/bank-transfer-instructions/GBP' });
    assert.equal(removed.statusCode, 204);
    const again = await owner.request({ method: 'DELETE', url: '/api/v1/bank-transfer-instructions/GBP' });
    assert.equal(again.statusCode, 404);
  });
});
