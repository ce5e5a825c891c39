import type { Selectable } from 'kysely';
import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { assertDate } from '../../domain/dates.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { listPage } from '../../http/pagination.js';
import { hoursOfMinutes, minutesFromHours } from './hours.js';
import type { TimeEntryInput, TimeEntryListQuery, TimeEntryPatch } from './schemas.js';
import { loadProject } from './service.js';

type TimeEntryRow = Selectable<Database['timeEntries']>;

function presentTimeEntry(row: TimeEntryRow) {
  const { organizationId: _org, entryDate, ...fields } = row;
  return { ...fields, date: entryDate, hours: hoursOfMinutes(row.minutes) };
}

const lockedEntry = () =>
  new AppError('conflict', 'This time entry is on an invoice and can no longer change: void the invoice first.');

async function requireTaskOfProject(ctx: AppContext, scope: OrgScope, projectId: string, taskId: string) {
  const task = await ctx.db.kysely
    .selectFrom('projectTasks')
    .select('id')
    .where('id', '=', taskId)
    .where('projectId', '=', projectId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!task) throw invalid('/taskId', 'No such task in this project.');
}

async function loadTimeEntry(ctx: AppContext, scope: OrgScope, projectId: string, entryId: string) {
  const entry = await ctx.db.kysely
    .selectFrom('timeEntries')
    .selectAll()
    .where('id', '=', entryId)
    .where('projectId', '=', projectId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!entry) throw notFound('time entry');
  return entry;
}

export async function listTimeEntries(
  ctx: AppContext,
  scope: OrgScope,
  projectId: string,
  query: Static<typeof TimeEntryListQuery>,
) {
  await loadProject(ctx, scope, projectId);
  let select = ctx.db.kysely
    .selectFrom('timeEntries')
    .selectAll()
    .where('projectId', '=', projectId)
    .where('organizationId', '=', scope.organizationId);
  if (query.from) select = select.where('entryDate', '>=', query.from);
  if (query.to) select = select.where('entryDate', '<=', query.to);
  if (query.taskId) select = select.where('taskId', '=', query.taskId);
  if (query.status) select = select.where('status', '=', query.status);
  return listPage(
    select,
    { key: 'entryDate', id: 'id', direction: 'desc', keyOf: (row) => row.entryDate },
    query,
    presentTimeEntry,
  );
}

export async function getTimeEntry(ctx: AppContext, scope: OrgScope, projectId: string, entryId: string) {
  await loadProject(ctx, scope, projectId);
  return presentTimeEntry(await loadTimeEntry(ctx, scope, projectId, entryId));
}

/** Logs time on a task; the entry belongs to the signed-in user (none for API keys). */
export async function logTime(
  ctx: AppContext,
  scope: OrgScope,
  projectId: string,
  input: Static<typeof TimeEntryInput>,
) {
  const project = await loadProject(ctx, scope, projectId);
  if (project.status !== 'active') {
    throw new AppError('conflict', 'This project is inactive: activate it to log time on it.');
  }
  assertDate(input.date, '/date');
  const minutes = minutesFromHours(input.hours, '/hours');
  await requireTaskOfProject(ctx, scope, projectId, input.taskId);
  const id = newId('te');
  const now = ctx.now().toISOString();
  await ctx.db.kysely
    .insertInto('timeEntries')
    .values({
      id,
      organizationId: scope.organizationId,
      projectId,
      taskId: input.taskId,
      userId: scope.via === 'session' ? scope.userId : null,
      entryDate: input.date,
      minutes,
      notes: input.notes ?? null,
      status: 'unbilled',
      invoiceId: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return getTimeEntry(ctx, scope, projectId, id);
}

export async function updateTimeEntry(
  ctx: AppContext,
  scope: OrgScope,
  projectId: string,
  entryId: string,
  patch: Static<typeof TimeEntryPatch>,
) {
  await loadProject(ctx, scope, projectId);
  const entry = await loadTimeEntry(ctx, scope, projectId, entryId);
  if (entry.status !== 'unbilled') throw lockedEntry();
  if (patch.date !== undefined) assertDate(patch.date, '/date');
  const minutes = patch.hours === undefined ? undefined : minutesFromHours(patch.hours, '/hours');
  if (patch.taskId !== undefined) await requireTaskOfProject(ctx, scope, projectId, patch.taskId);
  const result = await ctx.db.kysely
    .updateTable('timeEntries')
    .set({
      ...(patch.taskId !== undefined ? { taskId: patch.taskId } : {}),
      ...(patch.date !== undefined ? { entryDate: patch.date } : {}),
      ...(minutes !== undefined ? { minutes } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      updatedAt: ctx.now().toISOString(),
    })
    .where('id', '=', entryId)
    .where('organizationId', '=', scope.organizationId)
    // Invoicing may have taken the entry since it was read.
    .where('status', '=', 'unbilled')
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw lockedEntry();
  return getTimeEntry(ctx, scope, projectId, entryId);
}

export async function deleteTimeEntry(ctx: AppContext, scope: OrgScope, projectId: string, entryId: string) {
  await loadProject(ctx, scope, projectId);
  const entry = await loadTimeEntry(ctx, scope, projectId, entryId);
  if (entry.status !== 'unbilled') throw lockedEntry();
  const result = await ctx.db.kysely
    .deleteFrom('timeEntries')
    .where('id', '=', entryId)
    .where('organizationId', '=', scope.organizationId)
    .where('status', '=', 'unbilled')
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw lockedEntry();
}
