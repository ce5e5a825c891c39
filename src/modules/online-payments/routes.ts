import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import { cancelPortalAttempt, checkPortalAttempt, payNow } from './hosted-page.js';
import { answerOnce } from './idempotency.js';
import { PaymentAttempt, PaymentFailure, PaymentFailureListQuery, PayNowInput } from './schemas.js';
import { getAttemptView, getPortalAttempt, listPaymentFailures } from './service.js';

const tags = ['portal: payments'];

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
        const answer = await answerOnce(ctx, request, scope, {
          run: (recorded) => payNow(ctx, scope, request.body, recorded),
          resume: (attemptId) => getAttemptView(ctx, attemptId),
        });
        return reply.status(answer.status as 201).send(answer.body as never);
      },
    );
    app.get(
      '/payment-attempts/:id',
      {
        schema: {
          tags,
          summary: 'A payment attempt: its status, and the code and message when it failed',
          params: IdParams,
          response: { 200: PaymentAttempt },
        },
      },
      async (request) => getPortalAttempt(ctx, portalScopeOf(request), request.params.id),
    );
    app.post(
      '/payment-attempts/:id/check',
      {
        schema: {
          tags,
          summary: "Back from the gateway's page: ask the gateway how the payment stands, and apply it",
          params: IdParams,
          response: { 200: PaymentAttempt },
        },
      },
      async (request) => checkPortalAttempt(ctx, portalScopeOf(request), request.params.id),
    );
    app.post(
      '/payment-attempts/:id/cancel',
      {
        schema: {
          tags,
          summary: "Gave up on the gateway's page: close it and free the documents (settled instead if it was paid)",
          params: IdParams,
          response: { 200: PaymentAttempt },
        },
      },
      async (request) => cancelPortalAttempt(ctx, portalScopeOf(request), request.params.id),
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
