import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams } from '../../http/schemas.js';
import { ContactPersonParams } from '../customers/index.js';
import { secondFactorRouteSet } from './own-factors-api.js';
import { userOwner } from './owner.js';
import { resetContactSecondFactors, resetUserSecondFactors } from './service.js';

/** A business user's own second factors, and the reset of a contact person's. */
export const secondFactorRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(
      secondFactorRouteSet(ctx, {
        tags: ['second factors'],
        params: Type.Object({}),
        ownerOf: (request) => userOwner(orgScopeOf(request)),
        sessionIdOf: (request) => request.sessionId,
      }),
    );

    app.post(
      '/customers/:id/contact-persons/:contactPersonId/second-factors/reset',
      {
        schema: {
          tags: ['client portal'],
          summary:
            "Remove a contact person's second factors and recovery codes (a lost device): signs them out, e-mails them",
          params: ContactPersonParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await resetContactSecondFactors(ctx, orgScopeOf(request), request.params.id, request.params.contactPersonId, {
          ip: request.ip,
          userAgent: (request.headers['user-agent'] ?? '').slice(0, 300) || null,
        });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/users/:id/second-factors/reset',
      {
        schema: {
          tags: ['users'],
          summary: "Remove another user's second factors and recovery codes (a lost device); signs them out",
          params: IdParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await resetUserSecondFactors(ctx, orgScopeOf(request), request.params.id, {
          ip: request.ip,
          userAgent: (request.headers['user-agent'] ?? '').slice(0, 300) || null,
        });
        return reply.status(204).send(null);
      },
    );
  };
