import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalGuard } from '../auth/portal-guard.js';
import type { AppContext } from '../context.js';
import { portalAccountRoutes } from '../modules/portal-account/routes.js';
import { portalAuthRoutes, publicPortalAuthRoutes } from '../modules/portal-auth/routes.js';
import { portalDocumentRoutes } from '../modules/portal-documents/routes.js';

/**
 * `/api/portal/:slug`: the client portal API. Signing in, invitations and password resets are public; the rest
 * runs behind the portal guard, which resolves the PortalScope from the session for this portal only.
 */
export const portalApi =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(publicPortalAuthRoutes(ctx));
    await app.register(async (guarded) => {
      guarded.addHook('onRequest', portalGuard(ctx));
      guarded.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, security: [{ portalSession: [] }] };
      });
      await guarded.register(portalAuthRoutes(ctx));
      await guarded.register(portalAccountRoutes(ctx));
      await guarded.register(portalDocumentRoutes(ctx));
    });
  };
