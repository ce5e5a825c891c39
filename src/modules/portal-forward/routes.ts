import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams } from '../../http/schemas.js';
import { Forwarded, ForwardInput } from './schemas.js';
import { type ForwardKind, forwardDocument } from './service.js';

/** Forward an estimate or invoice by e-mail, with its PDF (when the business allows forwarding). */
export const portalForwardRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    for (const [segment, kind] of [
      ['estimates', 'estimate'],
      ['invoices', 'invoice'],
    ] as const satisfies ReadonlyArray<readonly [string, ForwardKind]>) {
      app.post(
        `/${segment}/:id/forward`,
        {
          schema: {
            tags: [`portal: ${segment}`],
            summary: `E-mail the ${kind} (PDF attached) to someone; they become a contact person of my company`,
            params: IdParams,
            body: ForwardInput,
            response: { 202: Forwarded },
          },
        },
        async (request, reply) => {
          const result = await forwardDocument(
            ctx,
            portalScopeOf(request),
            kind,
            request.params.id,
            request.body,
            request.ip,
          );
          return reply.status(202).send(result);
        },
      );
    }
  };
