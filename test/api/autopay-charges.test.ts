import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateRecurringInvoices } from '../../src/jobs/recurring.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { chargeAutopayInvoices } from '../../src/modules/portal-autopay/charges.js';
import { invoiceMoney } from '../support/books.js';
import { type Actor, type Harness, startHarness } from '../support/harness.js';
import {
  assertStatus,
  card,
  GOOD_CARD,
  mailTo,
  newKey,
  type PayWorld,
  payWorld,
  sandboxCharges,
  sandboxRules,
} from '../support/pay.js';

describe('autopay: the scheduler charges the card on file', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness({ now: '2026-03-15T10:00:00.000Z' });
  });
  after(() => harness.close());

  const at = (date: string) => {
    harness.clock.now = new Date(`${date}T10:00:00.000Z`);
  };
  const quiet = { error: () => {}, info: () => {} };
  async function runScheduler() {
    const scheduler = startScheduler(harness.ctx, { intervalMs: 3_600_000, logger: quiet });
    await scheduler.runNow();
    await scheduler.stop();
  }

  /** A world whose owner uses an API key: the clock jumps past any session's lifetime. */
  async function world(): Promise<PayWorld & { api: Actor }> {
    at('2026-03-15');
    const made = await payWorld(harness);
    const key = assertStatus(
      await made.owner.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'Autopay test' } }),
      201,
    ).key;
    const api: Actor = {
      ...made.owner,
      request: (options) =>
        harness.app.inject({ ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${key}` } }),
    };
    return { ...made, api };
  }

  async function profileWithAutopay(w: PayWorld, number = GOOD_CARD.number, startDate = '2026-04-01') {
    const profile = assertStatus(
      await w.owner.request({
        method: 'POST',
        url: '/api/v1/recurring-profiles',
        payload: {
          customerId: w.customerId,
          name: 'Monthly care',
          frequency: 'monthly',
          startDate,
          paymentTermsDays: 10,
          template: { lines: [{ name: 'Care plan', quantity: '1', rate: 12000 }] },
        },
      }),
      201,
    );
    const setup = assertStatus(
      await w.client.request({
        method: 'POST',
        url: `/recurring-profiles/${profile.id}/autopay`,
        payload: { testCard: card(number) },
        headers: { 'idempotency-key': newKey() },
      }),
      201,
    );
    assert.equal(setup.status, 'on', JSON.stringify(setup));
    return profile.id as string;
  }

  const invoicesOf = (profileId: string) =>
    harness.ctx.db.kysely
      .selectFrom('invoices')
      .selectAll()
      .where('recurringProfileId', '=', profileId)
      .orderBy('issueDate')
      .execute();
  const attemptsOn = (invoiceId: string) =>
    harness.ctx.db.kysely
      .selectFrom('paymentAttempts as p')
      .innerJoin('paymentAttemptAllocations as a', 'a.attemptId', 'p.id')
      .selectAll('p')
      .where('a.invoiceId', '=', invoiceId)
      .execute();

  test('generates the invoice and charges it: paid, payment from the portal, receipt; never twice', async () => {
    const w = await world();
    const profileId = await profileWithAutopay(w);
    at('2026-04-01');
    await runScheduler();
    const [invoice] = await invoicesOf(profileId);
    assert.ok(invoice);
    const money = await invoiceMoney(harness, invoice.id);
    assert.equal(money.status, 'paid');
    assert.equal(money.balance, 0);
    const [attempt] = await attemptsOn(invoice.id);
    assert.equal(attempt?.status, 'succeeded');
    assert.equal(attempt?.amount, 12000);
    const payment = await harness.ctx.db.kysely
      .selectFrom('customerPayments')
      .selectAll()
      .where('id', '=', attempt?.paymentId ?? '')
      .executeTakeFirstOrThrow();
    assert.equal(payment.source, 'portal');
    assert.equal(payment.mode, 'card');
    assert.equal(payment.amount, 12000);
    assert.equal(payment.customerId, w.customerId);
    const [receipt] = await mailTo(harness, w.email, 'paymentReceipt');
    assert.ok(receipt, 'a receipt e-mail to the client');
    assert.equal((await sandboxCharges(harness, w.owner.organizationId)).length, 1);

    // Again, and twice at once: nothing more is charged.
    await runScheduler();
    await Promise.all([chargeAutopayInvoices(harness.ctx), chargeAutopayInvoices(harness.ctx)]);
    assert.equal((await sandboxCharges(harness, w.owner.organizationId)).length, 1);
    assert.equal((await attemptsOn(invoice.id)).length, 1);
    assert.equal((await mailTo(harness, w.email, 'paymentReceipt')).length, 1);

    // The next period: a second invoice, charged once as well.
    at('2026-05-01');
    await Promise.all([runScheduler(), chargeAutopayInvoices(harness.ctx)]);
    await chargeAutopayInvoices(harness.ctx);
    const invoices = await invoicesOf(profileId);
    assert.equal(invoices.length, 2);
    assert.equal((await invoiceMoney(harness, invoices[1]?.id ?? '')).status, 'paid');
    assert.equal((await sandboxCharges(harness, w.owner.organizationId)).length, 2);
    const business = assertStatus(
      await w.api.request({ method: 'GET', url: `/api/v1/recurring-profiles/${profileId}` }),
      200,
    );
    assert.equal(business.autopay.status, 'on');
    assert.deepEqual(
      business.invoices.map((i: { status: string }) => i.status),
      ['paid', 'paid'],
    );
  });

  test('a saved card that declines: failed with the code, both sides e-mailed, the invoice stays unpaid', async () => {
    const w = await world();
    const profileId = await profileWithAutopay(w, '4000000000000341');
    at('2026-04-01');
    await runScheduler();
    const [invoice] = await invoicesOf(profileId);
    assert.ok(invoice);
    const money = await invoiceMoney(harness, invoice.id);
    assert.equal(money.status, 'sent');
    assert.equal(money.balance, 12000);
    const attempts = await attemptsOn(invoice.id);
    assert.equal(attempts.length, 1);
    assert.equal(attempts[0]?.status, 'failed');
    assert.equal(attempts[0]?.failureCode, 'card_declined');

    const businessMail = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .selectAll()
      .where('organizationId', '=', w.owner.organizationId)
      .where('template', '=', 'paymentFailed')
      .execute();
    assert.equal(businessMail.length, 1);
    // Words in the subject; the code is a reference at the end of the body.
    assert.ok(!businessMail[0]?.subject.includes('card_declined'), businessMail[0]?.subject);
    assert.ok(businessMail[0]?.textBody.includes('Reference code: card_declined'));
    // The sandbox is a test gateway: both e-mails say no money would have moved.
    assert.ok(businessMail[0]?.subject.startsWith('Test payment — no money moved: '), businessMail[0]?.subject);
    assert.ok(businessMail[0]?.textBody.includes('Test payment — no money moved.'));
    const [clientMail] = await mailTo(harness, w.email, 'autopayFailed');
    assert.ok(clientMail, 'the client hears of it');
    assert.ok(clientMail.subject.startsWith('Test payment — no money moved: '), clientMail.subject);
    assert.ok(clientMail.textBody.includes('Test payment — no money moved.'));
    assert.ok(clientMail.htmlBody?.includes('Test payment — no money moved.'));
    assert.ok(clientMail.textBody.includes('card_declined'));
    assert.ok(clientMail.textBody.includes(`http://portico.test/portal/${w.slug}/invoices/${invoice.id}`));
    assert.ok(clientMail.subject.includes(invoice.number));

    const failures = assertStatus(await w.api.request({ method: 'GET', url: '/api/v1/payment-failures' }), 200);
    assert.equal(failures.data[0]?.code, 'card_declined');
    assert.equal(failures.data[0]?.documents[0]?.invoiceId, invoice.id);

    // Not retried automatically: the client pays in the portal.
    await runScheduler();
    assert.equal((await attemptsOn(invoice.id)).length, 1);
    assert.equal((await mailTo(harness, w.email, 'autopayFailed')).length, 1);
  });

  test('the client who chose German reads the declined automatic payment in German', async () => {
    const w = await world();
    assertStatus(await w.client.request({ method: 'PUT', url: '/account/language', payload: { language: 'de' } }), 200);
    const profileId = await profileWithAutopay(w, '4000000000000341');
    at('2026-04-01');
    await runScheduler();
    const [invoice] = await invoicesOf(profileId);
    assert.ok(invoice);
    const [clientMail] = await mailTo(harness, w.email, 'autopayFailed');
    assert.ok(clientMail, 'the client hears of it');
    assert.ok(
      clientMail.subject.startsWith(
        `Testzahlung — es wurde kein Geld bewegt: Die automatische Zahlung der Rechnung ${invoice.number} von `,
      ),
      clientMail.subject,
    );
    assert.match(clientMail.textBody, /Wir haben versucht, USD 120,00 für die Rechnung \S+ \(Monthly care\)/);
    assert.match(
      clientMail.textBody,
      /Die Karte wurde abgelehnt\. Bitte verwenden Sie eine andere Karte\. \(Code card_declined\)/,
    );
    assert.match(clientMail.textBody, /Die Rechnung ist noch offen\./);
    assert.match(clientMail.htmlBody ?? '', /\(Code <strong>card_declined<\/strong>\)/);
    assert.match(clientMail.htmlBody ?? '', /Rechnung im Portal bezahlen/);
    // The business's e-mail stays in English.
    const businessMail = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select('textBody')
      .where('organizationId', '=', w.owner.organizationId)
      .where('template', '=', 'paymentFailed')
      .executeTakeFirstOrThrow();
    assert.ok(businessMail.textBody.includes('Reference code: card_declined'));
  });

  test('the profile deleted after authorization: CP1004, no charge', async () => {
    const w = await world();
    const profileId = await profileWithAutopay(w);
    at('2026-04-01');
    // The invoice is generated, then the profile deleted before the charge runs.
    await generateRecurringInvoices(harness.ctx);
    const [invoice] = await invoicesOf(profileId);
    assert.ok(invoice);
    assert.equal(invoice.status, 'sent');
    const deleted = await w.api.request({ method: 'DELETE', url: `/api/v1/recurring-profiles/${profileId}` });
    assert.ok(deleted.statusCode < 300, deleted.body);
    await chargeAutopayInvoices(harness.ctx);
    const [attempt] = await attemptsOn(invoice.id);
    assert.equal(attempt?.status, 'failed');
    assert.equal(attempt?.failureCode, 'CP1004');
    assert.equal((await sandboxCharges(harness, w.owner.organizationId)).length, 0);
    assert.equal((await invoiceMoney(harness, invoice.id)).balance, 12000);
    const [clientMail] = await mailTo(harness, w.email, 'autopayFailed');
    assert.ok(clientMail?.textBody.includes('CP1004'));
    const businessMail = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select('textBody')
      .where('organizationId', '=', w.owner.organizationId)
      .where('template', '=', 'paymentFailed')
      .execute();
    assert.ok(businessMail.some((m) => m.textBody.includes('Reference code: CP1004')));
  });

  test('the merchant account stops recurring (CP4002) or reference transactions (CP3001) after authorization', async () => {
    for (const [rules, code] of [
      [{ recurring: false }, 'CP4002'],
      [{ referenceTransactions: false }, 'CP3001'],
    ] as const) {
      const w = await world();
      const profileId = await profileWithAutopay(w);
      await sandboxRules(harness, w.owner, rules);
      at('2026-04-01');
      await runScheduler();
      const [invoice] = await invoicesOf(profileId);
      assert.ok(invoice);
      const [attempt] = await attemptsOn(invoice.id);
      assert.equal(attempt?.status, 'failed');
      assert.equal(attempt?.failureCode, code);
      assert.equal((await invoiceMoney(harness, invoice.id)).status, 'sent');
      const [clientMail] = await mailTo(harness, w.email, 'autopayFailed');
      assert.ok(clientMail?.textBody.includes(code), code);
    }
  });

  test('the card is charged by the gateway that saved it, and by no other once that one is removed', async () => {
    const w = await world();
    const gateways = async () =>
      assertStatus(await w.api.request({ method: 'GET', url: '/api/v1/payment-gateways' }), 200).data as Array<{
        id: string;
      }>;
    const [first] = await gateways();
    assert.ok(first);
    // The first gateway charges no saved card automatically: the card is saved with the second.
    await sandboxRules(harness, w.owner, { recurring: false });
    const second = assertStatus(
      await w.api.request({ method: 'POST', url: '/api/v1/payment-gateways', payload: { kind: 'sandbox' } }),
      201,
    );
    const profileId = await profileWithAutopay(w);
    const cardRow = await harness.ctx.db.kysely
      .selectFrom('autopayCards')
      .select('gatewayId')
      .where('recurringProfileId', '=', profileId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    assert.equal(cardRow.gatewayId, second.id);
    // The first one now would, and comes first: the card is still charged by its own.
    await sandboxRules(harness, w.owner, {});
    at('2026-04-01');
    await runScheduler();
    const [april] = await invoicesOf(profileId);
    assert.ok(april);
    const [charged] = await attemptsOn(april.id);
    assert.equal(charged?.status, 'succeeded');
    assert.equal(charged?.gatewayId, second.id);

    // Removed: the next invoice is not charged by the first gateway instead; both sides are told.
    const removed = await w.api.request({ method: 'DELETE', url: `/api/v1/payment-gateways/${second.id}` });
    assert.equal(removed.statusCode, 204, removed.body);
    at('2026-05-01');
    await runScheduler();
    const may = (await invoicesOf(profileId)).find((i) => i.id !== april.id);
    assert.ok(may);
    const [refused] = await attemptsOn(may.id);
    assert.equal(refused?.status, 'failed');
    assert.equal(refused?.failureCode, 'card_declined');
    assert.equal(refused?.gatewayId, second.id);
    assert.equal((await invoiceMoney(harness, may.id)).status, 'sent');
    assert.equal(
      (await sandboxCharges(harness, w.owner.organizationId)).filter((c) => c.reference === refused?.id).length,
      0,
      'no gateway was asked to charge it',
    );
    const [clientMail] = await mailTo(harness, w.email, 'autopayFailed');
    assert.ok(clientMail, 'the client is told');
  });

  test('withdrawn before the invoice: not charged; invoices before authorization are not charged', async () => {
    const w = await world();
    const profileId = await profileWithAutopay(w);
    const off = await w.client.request({ method: 'DELETE', url: `/recurring-profiles/${profileId}/autopay` });
    assert.equal(off.statusCode, 200, off.body);
    at('2026-04-01');
    await runScheduler();
    const [invoice] = await invoicesOf(profileId);
    assert.ok(invoice);
    assert.equal((await attemptsOn(invoice.id)).length, 0);
    assert.equal((await invoiceMoney(harness, invoice.id)).status, 'sent');
  });
});
