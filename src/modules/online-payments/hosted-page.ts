import type { Static } from 'typebox';
import { countClientActionNow } from '../../auth/action-limits.js';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { AppError, notFound } from '../../domain/errors.js';
import { type GatewayPayment, GatewayUnavailableError, type PaymentGateway } from '../../payments/gateway.js';
import { gatewayById } from '../../payments/gateway-config.js';
import type { PayNowInput } from './schemas.js';
import {
  type AttemptView,
  applyGatewayOutcome,
  CANCELLED,
  createPortalPayment,
  EXPIRED,
  failAttempt,
  getPortalAttempt,
} from './service.js';

/*
 * After Pay Now sent the client to the gateway's hosted page, one of three things happens:
 * - the client comes back through the return URL: the portal asks for a check, and the gateway's answer settles
 *   or fails the attempt at once (without waiting for the webhook or the reconciler);
 * - the client gives up and comes back through the cancel URL: the page is closed at the gateway (so that it
 *   can no longer be paid) and the attempt fails, which frees the documents at once — unless the gateway says it
 *   was paid meanwhile, which then settles it;
 * - nobody comes back: when the attempt's time is up (`expiresAt`, which is also the page's own expiry at the
 *   gateway) the scheduler closes the page the same way, and so does the next Pay Now of the same documents if
 *   it gets there first.
 * Every outcome goes through the one settle / fail path, so whichever comes first wins and the others change
 * nothing.
 */

interface OpenAttempt {
  id: string;
  organizationId: string;
  gatewayId: string | null;
  gatewayPaymentId: string | null;
}

/** The gateway that made the attempt's payment (removed since or not); null when it is not available. */
function gatewayOfAttempt(ctx: AppContext, attempt: OpenAttempt): Promise<PaymentGateway | null> {
  return gatewayById(ctx, attempt.organizationId, attempt.gatewayId);
}

/**
 * Closes the attempt's hosted page at the gateway and applies what the gateway then says: paid meanwhile →
 * settled; closed → failed with `code`. Throws GatewayUnavailableError when the gateway cannot be asked.
 */
async function closeHostedPage(ctx: AppContext, attempt: OpenAttempt, code: typeof CANCELLED | typeof EXPIRED) {
  const gateway = await gatewayOfAttempt(ctx, attempt);
  let outcome: GatewayPayment | null = null;
  // No gateway of that kind any more: nothing can be closed, and its page expires with the attempt.
  if (gateway && attempt.gatewayPaymentId) outcome = await gateway.cancelPayment(attempt.gatewayPaymentId);
  if (outcome && outcome.status !== 'failed') {
    await applyGatewayOutcome(ctx, attempt.id, outcome);
    return;
  }
  const message = code === CANCELLED ? 'The client cancelled on the payment page.' : 'The payment page expired unpaid.';
  await failAttempt(ctx, attempt.id, { code, message }, outcome ?? undefined);
}

async function openAttemptOf(ctx: AppContext, scope: PortalScope, attemptId: string) {
  const attempt = await ctx.db.kysely
    .selectFrom('paymentAttempts')
    .select(['id', 'organizationId', 'status', 'gatewayId', 'gatewayPaymentId', 'expiresAt'])
    .where('id', '=', attemptId)
    .where('organizationId', '=', scope.organizationId)
    .where('customerId', '=', scope.customerId)
    .where('contactPersonId', '=', scope.contactPersonId)
    .executeTakeFirst();
  if (!attempt) throw notFound('payment attempt');
  return attempt;
}

/**
 * The client is back from the gateway's page (the return URL): the gateway is asked how the payment stands and
 * its answer applied. An unreachable gateway changes nothing; the webhook or the reconciler finish it.
 */
export async function checkPortalAttempt(ctx: AppContext, scope: PortalScope, attemptId: string) {
  const attempt = await openAttemptOf(ctx, scope, attemptId);
  if (attempt.status === 'requires_action' && attempt.expiresAt <= ctx.now().toISOString()) {
    await expireOne(ctx, attempt);
  } else if (attempt.status === 'requires_action' || attempt.status === 'pending') {
    const gateway = await gatewayOfAttempt(ctx, attempt);
    try {
      const found = gateway && attempt.gatewayPaymentId ? await gateway.getPayment(attempt.gatewayPaymentId) : null;
      if (found) await applyGatewayOutcome(ctx, attempt.id, found);
    } catch (error) {
      if (!(error instanceof GatewayUnavailableError)) throw error;
    }
  }
  return getPortalAttempt(ctx, scope, attemptId);
}

/**
 * The client gave up on the gateway's page (its cancel link, the browser's Back, or Cancel on the invoice): the
 * page is closed and the documents freed at once, or, when it was paid meanwhile, the payment is settled. Only a
 * page still waiting for the client is cancelled: a charge in flight (`pending`) is never abandoned, so that is a
 * 409; a settled or failed attempt is answered as it stands.
 */
export async function cancelPortalAttempt(ctx: AppContext, scope: PortalScope, attemptId: string) {
  const attempt = await openAttemptOf(ctx, scope, attemptId);
  if (attempt.status === 'pending') {
    throw new AppError(
      'payment_pending',
      'This payment is being processed by the payment provider and can no longer be cancelled. Its outcome will show here shortly.',
    );
  }
  try {
    if (attempt.status === 'requires_action') await closeHostedPage(ctx, attempt, CANCELLED);
  } catch (error) {
    // The page could not be closed, so it may still be paid: the attempt keeps its reservation until it expires.
    if (!(error instanceof GatewayUnavailableError)) throw error;
  }
  return getPortalAttempt(ctx, scope, attemptId);
}

async function expireOne(ctx: AppContext, attempt: OpenAttempt): Promise<boolean> {
  try {
    await closeHostedPage(ctx, attempt, EXPIRED);
    return true;
  } catch (error) {
    // The gateway cannot be asked now: the next run tries again (its page expires at the gateway meanwhile).
    if (error instanceof GatewayUnavailableError) return false;
    throw error;
  }
}

export interface ExpiryRun {
  expired: number;
  /** Attempts that could not be ended this time (say, credentials revoked at the gateway); tried again later. */
  failures: Array<{ attemptId: string; error: unknown }>;
}

/**
 * Attempts whose time is up with the gateway's page still unpaid (`requires_action`): their pages are closed and
 * their reservations released. Attempts with a charge in flight (`pending`) are left to the reconciler, which
 * asks the gateway for the outcome. `documentIds`: only attempts holding these invoices or retainer invoices.
 */
export async function expirePaymentAttempts(
  ctx: AppContext,
  options: { organizationId?: string; documentIds?: string[] } = {},
): Promise<ExpiryRun> {
  const run: ExpiryRun = { expired: 0, failures: [] };
  if (options.documentIds?.length === 0) return run;
  const expired = await ctx.db.kysely
    .selectFrom('paymentAttempts as p')
    .select(['p.id', 'p.organizationId', 'p.gatewayId', 'p.gatewayPaymentId'])
    .where('p.status', '=', 'requires_action')
    .where('p.expiresAt', '<=', ctx.now().toISOString())
    .$if(options.organizationId !== undefined, (q) => q.where('p.organizationId', '=', options.organizationId ?? ''))
    .$if(options.documentIds !== undefined, (q) =>
      q.where(({ exists, selectFrom, or }) =>
        exists(
          selectFrom('paymentAttemptAllocations as a')
            .select('a.id')
            .whereRef('a.attemptId', '=', 'p.id')
            .where((a) =>
              or([
                a('a.invoiceId', 'in', options.documentIds ?? []),
                a('a.retainerInvoiceId', 'in', options.documentIds ?? []),
              ]),
            ),
        ),
      ),
    )
    .orderBy('p.expiresAt')
    .limit(500)
    .execute();
  for (const attempt of expired) {
    try {
      if (await expireOne(ctx, attempt)) run.expired += 1;
    } catch (error) {
      // One organization's trouble with its gateway does not hold up the others'.
      run.failures.push({ attemptId: attempt.id, error });
    }
  }
  return run;
}

/**
 * Pay Now: an expired attempt still holding one of the documents is ended first, so that its reservation never
 * outlives its time even when the scheduler has not run yet (a `serve --role web` instance has none).
 */
export async function payNow(
  ctx: AppContext,
  scope: PortalScope,
  input: Static<typeof PayNowInput>,
  onAttempt?: (attemptId: string) => Promise<void>,
): Promise<AttemptView> {
  await countClientActionNow(ctx, scope, 'payment');
  const documentIds = input.allocations.map((a) => ('invoiceId' in a ? a.invoiceId : a.retainerInvoiceId));
  // One that cannot be ended now keeps its reservation: the client hears that a payment is still being processed.
  await expirePaymentAttempts(ctx, { organizationId: scope.organizationId, documentIds });
  return createPortalPayment(ctx, scope, input, onAttempt);
}
