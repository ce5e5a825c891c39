import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { AppError, invalid } from '../../domain/errors.js';
import { Page } from '../../http/schemas.js';
import {
  attachAttempt,
  claimIdempotencyKey,
  completeIdempotencyKey,
  type IdempotencyClaim,
  releaseIdempotencyKey,
  requestFingerprint,
} from './idempotency.js';
import {
  IDEMPOTENCY_KEY_MAX_LENGTH,
  PaymentAttempt,
  PaymentAttemptParams,
  PaymentFailure,
  PaymentFailureListQuery,
  PayNowInput,
} from './schemas.js';
import { createPortalPayment, getAttemptView, getPortalAttempt, listPaymentFailures } from './service.js';

const tags = ['portal: payments'];
const KEY_PATTERN = /^[\x21-\x7e]+$/;

/** Pay Now (POST /payments, Idempotency-Key required) and the attempt's status, for the client portal. */
export const portalPayNowRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/payments',
      {
        schema: {
          tags,
          summary: 'Pay invoices or a retainer invoice online (Idempotency-Key header required)',
          description:
            'Amounts in minor units; a partial amount only where the invoice allows it; one currency. With `testCard` (sandbox only) the payment completes in the same call; without, `redirectUrl` is the gateway page where the card is entered.',
          body: PayNowInput,
          response: { 200: PaymentAttempt, 201: PaymentAttempt },
        },
      },
      async (request, reply) => {
        const scope = portalScopeOf(request);
        const header = request.headers['idempotency-key'];
        const key = Array.isArray(header) ? header[0] : header;
        if (!key) throw invalid('header:/idempotency-key', 'An Idempotency-Key header is required.');
        if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH || !KEY_PATTERN.test(key)) {
          throw invalid(
            'header:/idempotency-key',
            `An Idempotency-Key is 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters.`,
          );
        }
        const path = request.url.split('?')[0] ?? request.url;
        const claim: IdempotencyClaim = {
          organizationId: scope.organizationId,
          scopeKey: scope.contactPersonId,
          key,
          fingerprint: requestFingerprint(ctx, 'POST', path, request.body),
        };
        const claimed = await claimIdempotencyKey(ctx, claim);
        if (claimed.kind === 'replay') {
          return reply.status(claimed.response.status as 201).send(claimed.response.body as never);
        }
        if (claimed.kind === 'resume') return reply.status(201).send(await getAttemptView(ctx, claimed.attemptId));
        let attempted = false;
        try {
          const attempt = await createPortalPayment(ctx, scope, request.body, async (attemptId) => {
            attempted = true;
            await attachAttempt(ctx, claim, attemptId);
          });
          await completeIdempotencyKey(ctx, claim, { status: 201, body: attempt });
          return reply.status(201).send(attempt);
        } catch (error) {
          // Refused before any attempt existed: nothing happened, the key is free again.
          if (!attempted && error instanceof AppError) await releaseIdempotencyKey(ctx, claim);
          throw error;
        }
      },
    );
    app.get(
      '/payment-attempts/:id',
      {
        schema: {
          tags,
          summary: 'A payment attempt: its status, and the code and message when it failed',
          params: PaymentAttemptParams,
          response: { 200: PaymentAttempt },
        },
      },
      async (request) => getPortalAttempt(ctx, portalScopeOf(request), request.params.id),
    );
  };

/** The business's payment-failure log: every failed portal payment, what went wrong and what to do. */
export const paymentFailureRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/payment-failures',
      {
        schema: {
          tags: ['payments'],
          summary: 'Failed portal payments (newest first): the code, what went wrong and what you can do',
          querystring: PaymentFailureListQuery,
          response: { 200: Page(PaymentFailure) },
        },
      },
      async (request) => listPaymentFailures(ctx, orgScopeOf(request).organizationId, request.query),
    );
  };
