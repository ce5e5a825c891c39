import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import { ActivityListQuery, Comment, CommentInput, CommentParams, HistoryEntry } from './schemas.js';
import { ACTIVITY_SUBJECTS, addComment, deleteComment, listComments, listHistory } from './service.js';

const tags = ['activity'];

/** Comments and history of estimates, invoices, retainer invoices and projects, as the business sees them. */
export const activityRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    for (const subject of ACTIVITY_SUBJECTS) {
      const base = `/${subject.segment}/:id`;
      app.get(
        `${base}/comments`,
        {
          schema: {
            tags,
            summary: `Comments on a ${subject.what}`,
            params: IdParams,
            querystring: ActivityListQuery,
            response: { 200: Page(Comment) },
          },
        },
        async (request) => listComments(ctx, orgScopeOf(request), subject, request.params.id, request.query),
      );
      app.post(
        `${base}/comments`,
        {
          schema: {
            tags,
            summary: `Comment on a ${subject.what}`,
            params: IdParams,
            body: CommentInput,
            response: { 201: Comment },
          },
        },
        async (request, reply) =>
          reply.status(201).send(await addComment(ctx, orgScopeOf(request), subject, request.params.id, request.body)),
      );
      app.delete(
        `${base}/comments/:commentId`,
        {
          schema: {
            tags,
            summary: `Delete a business comment on a ${subject.what}`,
            params: CommentParams,
            response: { 204: Type.Null() },
          },
        },
        async (request, reply) => {
          await deleteComment(ctx, orgScopeOf(request), subject, request.params.id, request.params.commentId);
          return reply.status(204).send(null);
        },
      );
      app.get(
        `${base}/history`,
        {
          schema: {
            tags,
            summary: `History of a ${subject.what}`,
            params: IdParams,
            querystring: ActivityListQuery,
            response: { 200: Page(HistoryEntry) },
          },
        },
        async (request) => listHistory(ctx, orgScopeOf(request), subject, request.params.id, request.query),
      );
    }
  };
