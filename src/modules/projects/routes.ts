import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import { Invoice } from '../invoices/index.js';
import { invoiceProjectTime } from './invoicing.js';
import {
  Project,
  ProjectDetail,
  ProjectInput,
  ProjectInvoiceInput,
  ProjectListQuery,
  ProjectPatch,
  Task,
  TaskInput,
  TaskParams,
  TaskPatch,
  TimeEntry,
  TimeEntryInput,
  TimeEntryListQuery,
  TimeEntryParams,
  TimeEntryPatch,
  TimeEntryResubmitInput,
} from './schemas.js';
import {
  changeProjectStatus,
  createProject,
  createTask,
  deleteProject,
  deleteTask,
  getProject,
  listProjects,
  listTasks,
  updateProject,
  updateTask,
} from './service.js';
import {
  deleteTimeEntry,
  getTimeEntry,
  listTimeEntries,
  logTime,
  resubmitTimeEntry,
  updateTimeEntry,
} from './time-entries.js';

const tags = ['projects'];

export const projectRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/projects',
      {
        schema: { tags, summary: 'List projects', querystring: ProjectListQuery, response: { 200: Page(Project) } },
      },
      async (request) => listProjects(ctx, orgScopeOf(request), request.query),
    );
    app.post(
      '/projects',
      { schema: { tags, summary: 'Create a project', body: ProjectInput, response: { 201: ProjectDetail } } },
      async (request, reply) => reply.status(201).send(await createProject(ctx, orgScopeOf(request), request.body)),
    );
    app.get(
      '/projects/:id',
      {
        schema: {
          tags,
          summary: 'A project with its tasks and the time logged, billed and unbilled',
          params: IdParams,
          response: { 200: ProjectDetail },
        },
      },
      async (request) => getProject(ctx, orgScopeOf(request), request.params.id),
    );
    app.patch(
      '/projects/:id',
      {
        schema: {
          tags,
          summary: 'Update a project',
          params: IdParams,
          body: ProjectPatch,
          response: { 200: ProjectDetail },
        },
      },
      async (request) => updateProject(ctx, orgScopeOf(request), request.params.id, request.body),
    );
    app.delete(
      '/projects/:id',
      {
        schema: {
          tags,
          summary: 'Delete a project that has no invoiced time',
          params: IdParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await deleteProject(ctx, orgScopeOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    for (const action of ['deactivate', 'activate'] as const) {
      app.post(
        `/projects/:id/${action}`,
        {
          schema: {
            tags,
            summary: action === 'deactivate' ? 'Mark a project inactive' : 'Mark a project active again',
            params: IdParams,
            response: { 200: ProjectDetail },
          },
        },
        async (request) => changeProjectStatus(ctx, orgScopeOf(request), request.params.id, action),
      );
    }
    app.post(
      '/projects/:id/invoice',
      {
        schema: {
          tags,
          summary:
            "Invoice a project's time: a draft invoice with one line per task (default: all unbilled billable time)",
          params: IdParams,
          body: ProjectInvoiceInput,
          response: { 201: Invoice },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await invoiceProjectTime(ctx, orgScopeOf(request), request.params.id, request.body)),
    );

    app.get(
      '/projects/:id/tasks',
      {
        schema: {
          tags,
          summary: "A project's tasks with the time logged on them",
          params: IdParams,
          response: { 200: Page(Task) },
        },
      },
      async (request) => listTasks(ctx, orgScopeOf(request), request.params.id),
    );
    app.post(
      '/projects/:id/tasks',
      {
        schema: { tags, summary: 'Add a task', params: IdParams, body: TaskInput, response: { 201: Task } },
      },
      async (request, reply) =>
        reply.status(201).send(await createTask(ctx, orgScopeOf(request), request.params.id, request.body)),
    );
    app.patch(
      '/projects/:id/tasks/:taskId',
      {
        schema: { tags, summary: 'Update a task', params: TaskParams, body: TaskPatch, response: { 200: Task } },
      },
      async (request) => updateTask(ctx, orgScopeOf(request), request.params.id, request.params.taskId, request.body),
    );
    app.delete(
      '/projects/:id/tasks/:taskId',
      {
        schema: {
          tags,
          summary: 'Delete a task with no time logged',
          params: TaskParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await deleteTask(ctx, orgScopeOf(request), request.params.id, request.params.taskId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/projects/:id/time-entries',
      {
        schema: {
          tags,
          summary: "A project's time entries, latest first",
          params: IdParams,
          querystring: TimeEntryListQuery,
          response: { 200: Page(TimeEntry) },
        },
      },
      async (request) => listTimeEntries(ctx, orgScopeOf(request), request.params.id, request.query),
    );
    app.post(
      '/projects/:id/time-entries',
      {
        schema: {
          tags,
          summary: 'Log time on a task',
          params: IdParams,
          body: TimeEntryInput,
          response: { 201: TimeEntry },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await logTime(ctx, orgScopeOf(request), request.params.id, request.body)),
    );
    app.get(
      '/projects/:id/time-entries/:entryId',
      { schema: { tags, summary: 'A time entry', params: TimeEntryParams, response: { 200: TimeEntry } } },
      async (request) => getTimeEntry(ctx, orgScopeOf(request), request.params.id, request.params.entryId),
    );
    app.patch(
      '/projects/:id/time-entries/:entryId',
      {
        schema: {
          tags,
          summary: 'Change an unbilled time entry',
          params: TimeEntryParams,
          body: TimeEntryPatch,
          response: { 200: TimeEntry },
        },
      },
      async (request) =>
        updateTimeEntry(ctx, orgScopeOf(request), request.params.id, request.params.entryId, request.body),
    );
    app.delete(
      '/projects/:id/time-entries/:entryId',
      {
        schema: {
          tags,
          summary: 'Delete an unbilled time entry',
          params: TimeEntryParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await deleteTimeEntry(ctx, orgScopeOf(request), request.params.id, request.params.entryId);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/projects/:id/time-entries/:entryId/resubmit',
      {
        schema: {
          tags,
          summary:
            "Ask the client to approve a time entry again: answer its query (message) or withdraw the client's approval",
          params: TimeEntryParams,
          body: TimeEntryResubmitInput,
          response: { 200: TimeEntry },
        },
      },
      async (request) =>
        resubmitTimeEntry(ctx, orgScopeOf(request), request.params.id, request.params.entryId, request.body),
    );
  };
