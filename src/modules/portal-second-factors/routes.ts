import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { contactOwner, secondFactorRouteSet } from '../second-factors/index.js';

/** The signed-in contact person's own second factors (passkeys, authenticator apps, recovery codes). */
export const portalSecondFactorRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox =>
  secondFactorRouteSet(ctx, {
    tags: ['portal: access'],
    params: Type.Object({ slug: Type.String({ maxLength: 60 }) }),
    ownerOf: (request) => contactOwner(portalScopeOf(request)),
    sessionIdOf: (request) => request.portalSessionId,
  });
