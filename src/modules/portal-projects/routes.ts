import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import { approvePortalTime, queryPortalTimeEntry } from './approval.js';
import {
  PortalProject,
  PortalProjectListQuery,
  PortalProjectSummary,
  PortalTask,
  PortalTimeApprovalInput,
  PortalTimeApprovalResult,
  PortalTimeEntry,
  PortalTimeEntryListQuery,
  PortalTimeQueryInput,
} from './schemas.js';
import { getPortalProject, listPortalProjects, listPortalTasks, listPortalTimeEntries } from './service.js';

const tags = ['portal: projects'];

/**
 * The client's projects, tasks and timesheets, when the organization shows them; else 404. Where a project asks
 * for it, the client approves or queries its time (docs/time-approval.md).
 */
export const portalProjectRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/projects',
      {
        schema: {
          tags,
          summary: 'My projects, with their billable hours (by name)',
          querystring: PortalProjectListQuery,
          response: { 200: Page(PortalProjectSummary) },
        },
      },
      async (request) => listPortalProjects(ctx, portalScopeOf(request), request.query),
    );
    app.get(
      '/projects/:id',
      {
        schema: {
          tags,
          summary: 'A project with its billable hours',
          params: IdParams,
          response: { 200: PortalProject },
        },
      },
      async (request) => getPortalProject(ctx, portalScopeOf(request), request.params.id),
    );
    app.get(
      '/projects/:id/tasks',
      {
        schema: {
          tags,
          summary: "A project's billable tasks with logged, billed and unbilled hours",
          params: IdParams,
          response: { 200: Page(PortalTask) },
        },
      },
      async (request) => listPortalTasks(ctx, portalScopeOf(request), request.params.id),
    );
    app.get(
      '/projects/:id/time-entries',
      {
        schema: {
          tags,
          summary: "A project's timesheet: billable time entries, newest first",
          params: IdParams,
          querystring: PortalTimeEntryListQuery,
          response: { 200: Page(PortalTimeEntry) },
        },
      },
      async (request) => listPortalTimeEntries(ctx, portalScopeOf(request), request.params.id, request.query),
    );
    app.post(
      '/projects/:id/time-entries/approve',
      {
        schema: {
          tags,
          summary: 'Approve time entries awaiting my approval',
          params: IdParams,
          body: PortalTimeApprovalInput,
          response: { 200: PortalTimeApprovalResult },
        },
      },
      async (request) => approvePortalTime(ctx, portalScopeOf(request), request.params.id, request.body, request.ip),
    );
    app.post(
      '/projects/:id/time-entries/:entryId/query',
      {
        schema: {
          tags,
          summary: 'Query a time entry awaiting my approval, with a message to the business',
          params: Type.Object({ id: Type.String({ maxLength: 40 }), entryId: Type.String({ maxLength: 40 }) }),
          body: PortalTimeQueryInput,
          response: { 200: PortalTimeEntry },
        },
      },
      async (request) =>
        queryPortalTimeEntry(
          ctx,
          portalScopeOf(request),
          request.params.id,
          request.params.entryId,
          request.body,
          request.ip,
        ),
    );
  };
