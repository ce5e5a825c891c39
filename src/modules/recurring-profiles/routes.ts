import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import {
  RecurringProfile,
  RecurringProfileDetail,
  RecurringProfileInput,
  RecurringProfileListQuery,
  RecurringProfilePatch,
} from './schemas.js';
import {
  changeRecurringStatus,
  createRecurringProfile,
  deleteRecurringProfile,
  getRecurringProfile,
  listRecurringProfiles,
  updateRecurringProfile,
} from './service.js';

const tags = ['recurring invoices'];

export const recurringProfileRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/recurring-profiles',
      {
        schema: {
          tags,
          summary: 'List recurring invoice profiles',
          querystring: RecurringProfileListQuery,
          response: { 200: Page(RecurringProfile) },
        },
      },
      async (request) => listRecurringProfiles(ctx, orgScopeOf(request), request.query),
    );
    app.post(
      '/recurring-profiles',
      {
        schema: {
          tags,
          summary: 'Create a recurring invoice profile; the first invoice is due on the start date',
          body: RecurringProfileInput,
          response: { 201: RecurringProfileDetail },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createRecurringProfile(ctx, orgScopeOf(request), request.body)),
    );
    app.get(
      '/recurring-profiles/:id',
      {
        schema: {
          tags,
          summary: 'A recurring invoice profile with the invoices it generated',
          params: IdParams,
          response: { 200: RecurringProfileDetail },
        },
      },
      async (request) => getRecurringProfile(ctx, orgScopeOf(request), request.params.id),
    );
    app.patch(
      '/recurring-profiles/:id',
      {
        schema: {
          tags,
          summary: 'Update a recurring invoice profile (future invoices only)',
          params: IdParams,
          body: RecurringProfilePatch,
          response: { 200: RecurringProfileDetail },
        },
      },
      async (request) => updateRecurringProfile(ctx, orgScopeOf(request), request.params.id, request.body),
    );
    app.delete(
      '/recurring-profiles/:id',
      {
        schema: {
          tags,
          summary: 'Delete a recurring invoice profile (its invoices stay)',
          params: IdParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await deleteRecurringProfile(ctx, orgScopeOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    for (const action of ['stop', 'resume'] as const) {
      app.post(
        `/recurring-profiles/:id/${action}`,
        {
          schema: {
            tags,
            summary:
              action === 'stop'
                ? 'Stop generating invoices'
                : 'Resume generating invoices from the next date on or after today',
            params: IdParams,
            response: { 200: RecurringProfileDetail },
          },
        },
        async (request) => changeRecurringStatus(ctx, orgScopeOf(request), request.params.id, action),
      );
    }
  };
