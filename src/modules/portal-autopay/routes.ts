import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
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
} from '../online-payments/idempotency.js';
import { IDEMPOTENCY_KEY_MAX_LENGTH } from '../online-payments/schemas.js';
import {
  AuthorizeAutopayInput,
  AutopaySetup,
  PortalAutopay,
  PortalRecurringProfile,
  PortalRecurringProfileListQuery,
  PortalRecurringProfileParams,
} from './schemas.js';
import { authorizeAutopay, autopaySetupView, listPortalRecurringProfiles, withdrawAutopay } from './service.js';

const tags = ['portal: recurring profiles'];
const KEY_PATTERN = /^[\x21-\x7e]+$/;

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
            'With `testCard` (sandbox only) the card is saved in the same call (`status: on`); without, `redirectUrl` is the gateway page where the card is entered, and automatic payment is on once that completes. Refusals: `status: failed` with the code (CP3001, CP4002, CP4003, a card code) and a plain sentence.',
          params: PortalRecurringProfileParams,
          body: AuthorizeAutopayInput,
          response: { 201: AutopaySetup },
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
        // The request that claimed the key died after writing its card row: answer with that row.
        if (claimed.kind === 'resume') return reply.status(201).send(await autopaySetupView(ctx, claimed.attemptId));
        let recorded = false;
        try {
          const setup = await authorizeAutopay(
            ctx,
            scope,
            request.params.id,
            request.body,
            { ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
            async (cardId) => {
              recorded = true;
              await attachAttempt(ctx, claim, cardId);
            },
          );
          await completeIdempotencyKey(ctx, claim, { status: 201, body: setup });
          return reply.status(201).send(setup);
        } catch (error) {
          // Refused before anything was written: nothing happened, the key is free again.
          if (!recorded && error instanceof AppError) await releaseIdempotencyKey(ctx, claim);
          throw error;
        }
      },
    );
    app.delete(
      '/recurring-profiles/:id/autopay',
      {
        schema: {
          tags,
          summary: 'Withdraw the card on file: invoices of the profile are no longer charged automatically',
          params: PortalRecurringProfileParams,
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
