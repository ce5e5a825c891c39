import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import { requireRecentSignIn } from '../../auth/second-factor-gate.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import { answerOnce } from '../online-payments/index.js';
import {
  AuthorizeAutopayInput,
  AutopaySetup,
  PortalAutopay,
  PortalRecurringProfile,
  PortalRecurringProfileListQuery,
} from './schemas.js';
import { authorizeAutopay, autopaySetupView, listPortalRecurringProfiles, withdrawAutopay } from './service.js';

const tags = ['portal: recurring profiles'];

/** The client's recurring profiles and the automatic card payments they authorize for them. */
export const portalAutopayRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/recurring-profiles',
      {
        schema: {
          tags,
          summary: 'My active recurring invoices: schedule, amount per invoice, automatic payment',
          description:
            'Coming back from the gateway page where a card was entered, this also completes the set-up (read back from the gateway).',
          querystring: PortalRecurringProfileListQuery,
          response: { 200: Page(PortalRecurringProfile) },
        },
      },
      async (request) => listPortalRecurringProfiles(ctx, portalScopeOf(request), request.query),
    );
    app.post(
      '/recurring-profiles/:id/autopay',
      {
        schema: {
          tags,
          summary: 'Authorize a card on file to pay each invoice of the profile (Idempotency-Key header required)',
          description:
            'Needs a sign-in of the last 10 minutes (with the second factor when the person has one): else 403 `recent_sign_in_required`. With `testCard` (sandbox only) the card is saved in the same call (`status: on`); without, `redirectUrl` is the gateway page where the card is entered, and automatic payment is on once that completes. Refusals: `status: failed` with the code (CP3001, CP4002, CP4003, a card code) and a plain sentence.',
          params: IdParams,
          body: AuthorizeAutopayInput,
          response: { 201: AutopaySetup },
        },
      },
      async (request, reply) => {
        const scope = portalScopeOf(request);
        // A card on file pays without asking again: putting one there needs a recent (strong) sign-in.
        await requireRecentSignIn(ctx, request.portalSessionId);
        const client = { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
        const answer = await answerOnce(ctx, request, scope, {
          run: (recorded) => authorizeAutopay(ctx, scope, request.params.id, request.body, client, recorded),
          // The request that claimed the key died after writing its card row: answer with that row.
          resume: (cardId) => autopaySetupView(ctx, cardId),
        });
        return reply.status(answer.status as 201).send(answer.body as never);
      },
    );
    app.delete(
      '/recurring-profiles/:id/autopay',
      {
        schema: {
          tags,
          summary: 'Withdraw the card on file: invoices of the profile are no longer charged automatically',
          params: IdParams,
          response: { 200: PortalAutopay },
        },
      },
      async (request) =>
        withdrawAutopay(ctx, portalScopeOf(request), request.params.id, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        }),
    );
  };
