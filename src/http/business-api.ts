import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { businessGuard } from '../auth/business-guard.js';
import type { AppContext } from '../context.js';
import { apiKeyRoutes } from '../modules/api-keys/routes.js';
import { customerRoutes } from '../modules/customers/routes.js';
import { organizationRoutes } from '../modules/organization/routes.js';
import { publicSessionRoutes, sessionRoutes } from '../modules/session/routes.js';
import { userRoutes } from '../modules/users/routes.js';

/** `/api/v1`: the business API. Everything but signing in runs behind the business guard (OrgScope). */
export const businessApi =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(publicSessionRoutes(ctx));
    await app.register(async (guarded) => {
      guarded.addHook('onRequest', businessGuard(ctx));
      // Every guarded route accepts an API key or the back-office session; the OpenAPI document says so.
      guarded.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, security: [{ apiKey: [] }, { businessSession: [] }] };
      });
      await guarded.register(sessionRoutes(ctx));
      await guarded.register(organizationRoutes(ctx));
      await guarded.register(customerRoutes(ctx));
      await guarded.register(userRoutes(ctx));
      await guarded.register(apiKeyRoutes(ctx));
    });
  };
