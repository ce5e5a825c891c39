import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { autopayFailed } from '../../src/notify/templates/autopay-failed.js';
import { paymentFailed } from '../../src/notify/templates/payment-failed.js';
import { createInvoice, invoiceMoney } from '../support/books.js';
import { type Harness, startHarness } from '../support/harness.js';
import { assertStatus, GOOD_CARD, mailTo, pay, payWorld, sandboxCharges } from '../support/pay.js';
import { HAS_PDFTOTEXT, NO_PDFTOTEXT_REASON, pdfText, squeeze } from '../support/pdf.js';

const LABEL = 'Test payment — no money moved';

/**
 * Test mode (issue 16): the sandbox is never a silent default, and a payment that moved no money says so
 * wherever it appears.
 */
describe('online payments: no silent sandbox, and test mode', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  test('no gateway chosen: the portal is told payments are off, and Pay Now answers 409 CP4003 with nothing written', async () => {
    const world = await payWorld(harness, {}, { gateway: 'none' });
    const session = assertStatus(await world.client.request({ method: 'GET', url: '/session' }), 200);
    assert.equal(session.settings.onlinePayments, 'off');
    const brand = assertStatus(await world.client.request({ method: 'GET', url: '/brand' }), 200);
    assert.equal(brand.testMode, false);

    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 250000 });
    const refused = await pay(world.client, {
      allocations: [{ invoiceId: invoice.id, amount: 250000 }],
      testCard: GOOD_CARD,
    });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    const problem = refused.json();
    assert.equal(problem.code, 'CP4003');
    assert.match(problem.detail, /does not take online payments/);

    const money = await invoiceMoney(harness, invoice.id);
    assert.equal(money.status, 'sent');
    assert.equal(money.balance, 250000);
    const attempts = await harness.ctx.db.kysely
      .selectFrom('paymentAttempts')
      .select('id')
      .where('organizationId', '=', world.owner.organizationId)
      .execute();
    assert.deepEqual(attempts, [], 'no attempt, no reservation');
    assert.deepEqual(await sandboxCharges(harness, world.owner.organizationId), [], 'the sandbox was not called');
    const payments = assertStatus(await world.client.request({ method: 'GET', url: '/payments' }), 200);
    assert.deepEqual(payments.data, []);
  });

  test('the sandbox chosen: the portal is in test mode', async () => {
    const world = await payWorld(harness);
    const session = assertStatus(await world.client.request({ method: 'GET', url: '/session' }), 200);
    assert.equal(session.settings.onlinePayments, 'test');
    // Said before sign-in too: the public brand the sign-in page reads carries it.
    const brand = await harness.app.inject({ method: 'GET', url: `/api/portal/${world.client.slug}/brand` });
    assert.equal(brand.json().testMode, true);
  });

  test('a sandbox payment is a test payment: flagged in both APIs, labelled in the receipt e-mail, the statement and its exports; a recorded one is not', async () => {
    const world = await payWorld(harness);
    const paid = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 250000 });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: paid.id, amount: 250000 }], testCard: GOOD_CARD }),
      201,
    );
    assert.equal(attempt.status, 'succeeded');
    // It pays the invoice, as a test should — and is marked as moving no money.
    assert.equal((await invoiceMoney(harness, paid.id)).status, 'paid');

    const other = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 1000 });
    const recorded = assertStatus(
      await world.owner.request({
        method: 'POST',
        url: '/api/v1/payments',
        payload: {
          customerId: world.customerId,
          date: '2026-03-15',
          amount: 1000,
          mode: 'bank_transfer',
          allocations: [{ invoiceId: other.id, amount: 1000 }],
        },
      }),
      201,
    );
    assert.equal(recorded.testMode, false, 'a payment the business records is real');

    // The portal: list and detail.
    const portalList = assertStatus(await world.client.request({ method: 'GET', url: '/payments' }), 200);
    const flags = Object.fromEntries(portalList.data.map((p: { id: string; testMode: boolean }) => [p.id, p.testMode]));
    assert.deepEqual(flags, { [attempt.paymentId]: true, [recorded.id]: false });
    const portalDetail = assertStatus(
      await world.client.request({ method: 'GET', url: `/payments/${attempt.paymentId}` }),
      200,
    );
    assert.equal(portalDetail.testMode, true);

    // The business: list, detail, and the list of real money only.
    const business = assertStatus(
      await world.owner.request({ method: 'GET', url: `/api/v1/payments?customerId=${world.customerId}` }),
      200,
    );
    assert.deepEqual(
      Object.fromEntries(business.data.map((p: { id: string; testMode: boolean }) => [p.id, p.testMode])),
      { [attempt.paymentId]: true, [recorded.id]: false },
    );
    const real = assertStatus(
      await world.owner.request({
        method: 'GET',
        url: `/api/v1/payments?customerId=${world.customerId}&testMode=false`,
      }),
      200,
    );
    assert.deepEqual(
      real.data.map((p: { id: string }) => p.id),
      [recorded.id],
    );
    const tests = assertStatus(
      await world.owner.request({
        method: 'GET',
        url: `/api/v1/payments?customerId=${world.customerId}&testMode=true`,
      }),
      200,
    );
    assert.deepEqual(
      tests.data.map((p: { id: string }) => p.id),
      [attempt.paymentId],
    );
    const detail = assertStatus(
      await world.owner.request({ method: 'GET', url: `/api/v1/payments/${attempt.paymentId}` }),
      200,
    );
    assert.equal(detail.testMode, true);

    // The receipt e-mail says so first, in its subject, text and HTML.
    const [receipt] = await mailTo(harness, world.email, 'paymentReceipt');
    assert.ok(receipt, 'a receipt was sent');
    assert.match(receipt.subject, new RegExp(`^${LABEL}: Payment receipt`));
    assert.ok(receipt.textBody.includes(LABEL), receipt.textBody);
    assert.ok(receipt.htmlBody.includes(LABEL));

    // The statement: the test payment is labelled and counted apart in the summary; the balance still holds.
    const statement = assertStatus(
      await world.client.request({ method: 'GET', url: '/statement?from=2026-03-01&to=2026-03-31' }),
      200,
    );
    const line = statement.lines.find((l: { number: string | null }) => l.number === portalDetail.number);
    assert.equal(line.testMode, true);
    assert.ok(line.details.startsWith(`${LABEL}: `), line.details);
    const realLine = statement.lines.find((l: { number: string | null }) => l.number === recorded.number);
    assert.equal(realLine.testMode, false);
    assert.ok(!realLine.details.includes(LABEL));
    assert.equal(statement.summary.received, 251000);
    assert.equal(statement.summary.receivedInTestMode, 250000);
    const csv = await world.client.request({ method: 'GET', url: '/statement/csv?from=2026-03-01&to=2026-03-31' });
    assert.equal(csv.statusCode, 200);
    assert.ok(csv.body.includes(LABEL), 'the CSV export carries the label');
  });

  test('the receipt PDF of a test payment says so; a real one does not', {
    skip: !HAS_PDFTOTEXT && NO_PDFTOTEXT_REASON,
  }, async () => {
    const world = await payWorld(harness);
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 5000 });
    const attempt = assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 5000 }], testCard: GOOD_CARD }),
      201,
    );
    const pdf = await world.client.request({ method: 'GET', url: `/payments/${attempt.paymentId}/receipt` });
    assert.equal(pdf.statusCode, 200);
    const text = squeeze(pdfText(pdf.rawPayload));
    assert.ok(text.includes('TEST PAYMENT RECEIPT'), text);
    assert.ok(text.includes(LABEL), text);
    assert.ok(text.includes('Card (test mode)'), text);

    const other = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 700 });
    const recorded = assertStatus(
      await world.owner.request({
        method: 'POST',
        url: '/api/v1/payments',
        payload: {
          customerId: world.customerId,
          date: '2026-03-15',
          amount: 700,
          mode: 'cash',
          allocations: [{ invoiceId: other.id, amount: 700 }],
        },
      }),
      201,
    );
    const realPdf = await world.owner.request({ method: 'GET', url: `/api/v1/payments/${recorded.id}/receipt` });
    assert.equal(realPdf.statusCode, 200, realPdf.body.slice(0, 200));
    const realText = squeeze(pdfText(realPdf.rawPayload));
    assert.ok(realText.includes('PAYMENT RECEIPT'));
    assert.ok(!realText.includes('TEST') && !realText.includes(LABEL), realText);
  });

  test("a failed payment's e-mails carry the label only in test mode", () => {
    const failed = {
      organizationName: 'Northwind',
      payer: 'Alice Martin of Bluebird Bakery',
      amount: 'USD 25.00',
      code: 'card_declined',
      whatWentWrong: 'The card was declined.',
      whatToDo: 'Nothing; the client can try another card.',
      clientMessage: 'Your card was declined.',
      when: '6 Dec 2026, 10:00',
      backOfficeUrl: 'https://portal.example.com/app/payment-failures',
    };
    const autopay = {
      organizationName: 'Northwind',
      contactName: 'Alice Martin',
      invoiceNumber: 'INV-00042',
      profileName: 'Monthly bread',
      amount: 'USD 25.00',
      code: 'card_declined',
      clientMessage: 'Your card was declined.',
      payUrl: 'https://portal.example.com/portal/northwind/invoices/inv_1',
    };
    for (const mail of [paymentFailed({ ...failed, testMode: true }), autopayFailed({ ...autopay, testMode: true })]) {
      assert.ok(mail.subject.startsWith(`${LABEL}: `), mail.subject);
      assert.ok(mail.text.includes(`${LABEL}.`) && mail.html.includes(`${LABEL}.`));
    }
    for (const mail of [paymentFailed(failed), autopayFailed(autopay)]) {
      assert.ok(!mail.subject.includes(LABEL) && !mail.text.includes(LABEL) && !mail.html.includes(LABEL));
    }
  });
});
