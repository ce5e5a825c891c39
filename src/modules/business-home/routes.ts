import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { BusinessHome } from './schemas.js';
import { businessHome } from './service.js';

/** Home: the business's figures in one response. */
export const businessHomeRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/home',
      {
        schema: {
          tags: ['home'],
          summary: 'The figures: outstanding and overdue invoices, collected this month, estimates awaiting, 12 months',
          response: { 200: BusinessHome },
        },
      },
      async (request) => businessHome(ctx, orgScopeOf(request)),
    );
  };
