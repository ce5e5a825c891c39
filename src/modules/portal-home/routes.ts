import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalAnswer, portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { reusableAnswer } from '../../http/response-cache.js';
import { PortalHome } from './schemas.js';
import { portalHome } from './service.js';

/** Home: the client's dashboard in one response. */
export const portalHomeRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/home',
      {
        schema: {
          tags: ['portal: home'],
          summary: 'My dashboard: what is due, credits, last payment, estimates awaiting me, a 12-month chart',
          response: { 200: PortalHome },
        },
      },
      async (request, reply) =>
        reusableAnswer(ctx, reply, portalAnswer(ctx, request), () => portalHome(ctx, portalScopeOf(request))),
    );
  };
