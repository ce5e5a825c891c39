import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import { ACTIVITY_SUBJECTS } from '../activity/index.js';
import { PortalComment, PortalCommentInput, PortalCommentListQuery } from './schemas.js';
import { addPortalComment, listPortalComments } from './service.js';

const tags = ['portal: comments'];

/** Comment threads on estimates, invoices, retainer invoices and projects, as the client sees them. */
export const portalCommentRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    for (const subject of ACTIVITY_SUBJECTS) {
      const path = `/${subject.segment}/:id/comments`;
      app.get(
        path,
        {
          schema: {
            tags,
            summary: `Comments on a ${subject.what} (oldest first)`,
            params: IdParams,
            querystring: PortalCommentListQuery,
            response: { 200: Page(PortalComment) },
          },
        },
        async (request) => listPortalComments(ctx, portalScopeOf(request), subject, request.params.id, request.query),
      );
      app.post(
        path,
        {
          schema: {
            tags,
            summary: `Comment on a ${subject.what}`,
            params: IdParams,
            body: PortalCommentInput,
            response: { 201: PortalComment },
          },
        },
        async (request, reply) =>
          reply
            .status(201)
            .send(
              await addPortalComment(ctx, portalScopeOf(request), subject, request.params.id, request.body, request.ip),
            ),
      );
    }
  };
