import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { MyReview, PortalReview, ReviewInput, ReviewListQuery, ReviewPage } from './schemas.js';
import { listReviews, myReview, saveMyReview } from './service.js';

/** The portal side: the signed-in client's one review of the organization (when reviews are enabled). */
export const portalReviewRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['portal: reviews'];
    app.get(
      '/review',
      { schema: { tags, summary: 'My review of the organization, or null', response: { 200: MyReview } } },
      async (request) => myReview(ctx, portalScopeOf(request)),
    );
    app.put(
      '/review',
      {
        schema: {
          tags,
          summary: 'Rate the organization (1–5 stars and an optional comment); replaces my earlier review',
          body: ReviewInput,
          response: { 200: PortalReview },
        },
      },
      async (request) =>
        saveMyReview(ctx, portalScopeOf(request), request.body, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        }),
    );
  };

/** The business side: what clients think of the organization. Every user of the organization may read it. */
export const reviewRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/reviews',
      {
        schema: {
          tags: ['reviews'],
          summary: "Clients' reviews, most recent first, with their count and average rating",
          querystring: ReviewListQuery,
          response: { 200: ReviewPage },
        },
      },
      async (request) => listReviews(ctx, orgScopeOf(request), request.query),
    );
  };
