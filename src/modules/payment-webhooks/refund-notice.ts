import type { AppContext } from '../../context.js';
import { formatMoneyPlain } from '../../domain/money.js';
import { enqueueTemplate } from '../../notify/outbox.js';
import { formatDateTime } from '../../notify/templates.js';
import type { GatewayEvent, GatewayKind } from '../../payments/gateway.js';
import { recordAudit } from '../audit/index.js';
import { contactName } from '../customers/index.js';

const GATEWAY_NAMES: Record<GatewayKind, string> = { sandbox: 'the sandbox', stripe: 'Stripe', paypal: 'PayPal' };

/**
 * A refund made at the gateway (its dashboard) of a payment Portico recorded: Portico does not change its books
 * by itself (a refund is not yet something the books record), so the business is told — an audit entry and an
 * e-mail to the owners and admins — and decides how to change the payment. Once per event: the event id is
 * claimed in the same transaction, so a duplicate delivery, even at the same moment, tells nobody twice.
 * `'ignored'` when the event is not about a payment of this organization's; `'duplicate'` when told already.
 */
export async function noteGatewayRefund(
  ctx: AppContext,
  kind: GatewayKind,
  organizationId: string,
  event: GatewayEvent,
): Promise<'noted' | 'duplicate' | 'ignored'> {
  const attempt = await ctx.db.kysely
    .selectFrom('paymentAttempts as a')
    .innerJoin('customerPayments as p', 'p.id', 'a.paymentId')
    .select(['a.id', 'a.contactPersonId', 'a.currency', 'a.amount', 'a.testMode', 'p.id as paymentId', 'p.number'])
    .where('a.id', '=', event.reference ?? '')
    .where('a.organizationId', '=', organizationId)
    .where('a.status', '=', 'succeeded')
    .executeTakeFirst();
  const refunded = event.amountRefunded ?? null;
  if (!attempt || event.currency !== attempt.currency || refunded === null || refunded <= 0) return 'ignored';
  const now = ctx.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('processedWebhookEvents')
      .values({
        gateway: kind,
        eventId: event.id,
        organizationId,
        type: event.gatewayType,
        processedAt: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(['gateway', 'eventId']).doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) return 'duplicate';
    const amount = Math.min(refunded, attempt.amount);
    await recordAudit(trx, {
      organizationId,
      event: 'payment.refunded_at_gateway',
      actorType: 'system',
      contactPersonId: attempt.contactPersonId,
      details: {
        paymentId: attempt.paymentId,
        paymentAttemptId: attempt.id,
        gateway: kind,
        gatewayEventId: event.id,
        amountRefunded: amount,
        currency: attempt.currency,
      },
      at: now.toISOString(),
    });
    const organization = await trx
      .selectFrom('organizations')
      .select(['name', 'timeZone'])
      .where('id', '=', organizationId)
      .executeTakeFirstOrThrow();
    const payer = await trx
      .selectFrom('contactPersons as cp')
      .innerJoin('customers as c', 'c.id', 'cp.customerId')
      .select(['cp.firstName', 'cp.lastName', 'cp.email', 'c.displayName'])
      .where('cp.id', '=', attempt.contactPersonId)
      .executeTakeFirstOrThrow();
    const recipients = await trx
      .selectFrom('users')
      .select('email')
      .where('organizationId', '=', organizationId)
      .where('role', 'in', ['owner', 'admin'])
      .where('disabledAt', 'is', null)
      .orderBy('createdAt')
      .execute();
    for (const { email } of recipients) {
      await enqueueTemplate(trx, now, {
        organizationId,
        to: email,
        template: 'paymentRefunded',
        data: {
          organizationName: organization.name,
          gateway: GATEWAY_NAMES[kind],
          payer: `${contactName(payer)} of ${payer.displayName}`,
          paymentNumber: attempt.number,
          refunded: `${attempt.currency} ${formatMoneyPlain(amount, attempt.currency)}`,
          when: formatDateTime(now, organization.timeZone),
          paymentUrl: new URL(`/app/payments/${attempt.paymentId}`, ctx.config.publicUrl).toString(),
          testMode: attempt.testMode === 1,
        },
      });
    }
    return 'noted';
  });
}
