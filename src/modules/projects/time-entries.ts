import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { assertDate } from '../../domain/dates.js';
import { AppError, invalid, invalidTransition, notFound } from '../../domain/errors.js';
import { transition } from '../../domain/states.js';
import { timeApprovalMachine, timeEntryEditable } from '../../domain/time-approval.js';
import { listPage } from '../../http/pagination.js';
import { actorOf, recordHistory } from '../activity/index.js';
import { emailCustomerOfBusinessReply } from '../portal-notifications/index.js';
import { type QueryThreadItem, queryThreads } from './approval.js';
import { hoursOfMinutes, minutesFromHours } from './hours.js';
import type { TimeEntryInput, TimeEntryListQuery, TimeEntryPatch, TimeEntryResubmitInput } from './schemas.js';
import { loadProject, lockProject } from './service.js';

/** A project, as the reply e-mail names what was commented on. */
const PROJECT_SUBJECT = { table: 'projects', segment: 'projects', what: 'project' } as const;

type TimeEntryRow = Selectable<Database['timeEntries']>;

function presentTimeEntry(row: TimeEntryRow, queries: QueryThreadItem[] = []) {
  const { organizationId: _org, entryDate, approvedByContactPersonId: _by, ...fields } = row;
  return { ...fields, date: entryDate, hours: hoursOfMinutes(row.minutes), queries };
}

const lockedEntry = () =>
  new AppError('conflict', 'This time entry is on an invoice and can no longer change: void the invoice first.');
const approvedEntry = () =>
  new AppError(
    'conflict',
    'The client approved this time entry, so it stays as approved: withdraw the approval first to change it.',
  );

/** The entry as it stands, for a change: 409 when it is invoiced or approved. */
function requireChangeable(entry: TimeEntryRow) {
  if (entry.status !== 'unbilled') throw lockedEntry();
  if (!timeEntryEditable(entry.approval)) throw approvedEntry();
}

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

async function loadTimeEntry(
  ctx: AppContext,
  scope: OrgScope,
  projectId: string,
  entryId: string,
  db: Kysely<Database> | Transaction<Database> = ctx.db.kysely,
) {
  const entry = await db
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
  if (query.approval) select = select.where('approval', '=', query.approval);
  // The page's query threads are read in one query, so the page is presented after it is fetched.
  const page = await listPage(
    select,
    { key: 'entryDate', id: 'id', direction: 'desc', keyOf: (row) => row.entryDate },
    query,
    (row) => row,
  );
  const threads = await queryThreads(
    ctx.db.kysely,
    scope.organizationId,
    page.data.map((row) => row.id),
  );
  return { data: page.data.map((row) => presentTimeEntry(row, threads.get(row.id))), nextCursor: page.nextCursor };
}

export async function getTimeEntry(ctx: AppContext, scope: OrgScope, projectId: string, entryId: string) {
  await loadProject(ctx, scope, projectId);
  const entry = await loadTimeEntry(ctx, scope, projectId, entryId);
  const threads = await queryThreads(ctx.db.kysely, scope.organizationId, [entry.id]);
  return presentTimeEntry(entry, threads.get(entry.id));
}

/** Logs time on a task; the entry belongs to the signed-in user (none for API keys). */
export async function logTime(
  ctx: AppContext,
  scope: OrgScope,
  projectId: string,
  input: Static<typeof TimeEntryInput>,
) {
  await loadProject(ctx, scope, projectId);
  assertDate(input.date, '/date');
  const minutes = minutesFromHours(input.hours, '/hours');
  await requireTaskOfProject(ctx, scope, projectId, input.taskId);
  const id = newId('te');
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    // Under the project's lock, so switching approval on or off never misses an entry logged meanwhile.
    const project = await lockProject(ctx, trx, scope.organizationId, projectId);
    if (project.status !== 'active') {
      throw new AppError('conflict', 'This project is inactive: activate it to log time on it.');
    }
    await trx
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
        approval: project.requireTimeApproval === 1 ? 'awaiting_approval' : null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
  });
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
  requireChangeable(await loadTimeEntry(ctx, scope, projectId, entryId));
  if (patch.date !== undefined) assertDate(patch.date, '/date');
  const minutes = patch.hours === undefined ? undefined : minutesFromHours(patch.hours, '/hours');
  if (patch.taskId !== undefined) await requireTaskOfProject(ctx, scope, projectId, patch.taskId);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await lockProject(ctx, trx, scope.organizationId, projectId);
    // Read again under the lock: invoicing or the client may have taken the entry since.
    const entry = await loadTimeEntry(ctx, scope, projectId, entryId, trx);
    requireChangeable(entry);
    const now = ctx.now().toISOString();
    // A change answers the client's query: the entry waits for the client again.
    const answersQuery = entry.approval === 'queried';
    await trx
      .updateTable('timeEntries')
      .set({
        ...(patch.taskId !== undefined ? { taskId: patch.taskId } : {}),
        ...(patch.date !== undefined ? { entryDate: patch.date } : {}),
        ...(minutes !== undefined ? { minutes } : {}),
        ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
        ...(answersQuery ? { approval: transition(timeApprovalMachine, 'queried', 'resubmit') } : {}),
        updatedAt: now,
      })
      .where('id', '=', entryId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
    if (answersQuery) {
      await recordHistory(trx, {
        organizationId: scope.organizationId,
        subjectType: 'project',
        subjectId: projectId,
        event: 'time_resubmitted',
        description: `Changed the queried time of ${entry.entryDate}; it awaits the client's approval again`,
        ...actorOf(scope),
        createdAt: now,
      });
    }
  });
  return getTimeEntry(ctx, scope, projectId, entryId);
}

export async function deleteTimeEntry(ctx: AppContext, scope: OrgScope, projectId: string, entryId: string) {
  await loadProject(ctx, scope, projectId);
  requireChangeable(await loadTimeEntry(ctx, scope, projectId, entryId));
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await lockProject(ctx, trx, scope.organizationId, projectId);
    requireChangeable(await loadTimeEntry(ctx, scope, projectId, entryId, trx));
    await trx
      .deleteFrom('timeEntries')
      .where('id', '=', entryId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
  });
}

/**
 * Asks the client again about a queried entry (with `message`, the business's answer, shown in the portal and
 * e-mailed to the client like a reply) or about an approved one (withdrawing the approval, so the entry can
 * change). One transaction: the state, the answer and the history.
 */
export async function resubmitTimeEntry(
  ctx: AppContext,
  scope: OrgScope,
  projectId: string,
  entryId: string,
  input: Static<typeof TimeEntryResubmitInput>,
) {
  await loadProject(ctx, scope, projectId);
  await loadTimeEntry(ctx, scope, projectId, entryId);
  const message = input.message?.trim();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await lockProject(ctx, trx, scope.organizationId, projectId);
    const entry = await loadTimeEntry(ctx, scope, projectId, entryId, trx);
    if (entry.status !== 'unbilled') throw lockedEntry();
    if (entry.approval === null) {
      throw invalidTransition("This time entry does not need the client's approval.");
    }
    const approval = transition(timeApprovalMachine, entry.approval, 'resubmit');
    const now = ctx.now().toISOString();
    await trx
      .updateTable('timeEntries')
      .set({ approval, approvedAt: null, approvedByContactPersonId: null, updatedAt: now })
      .where('id', '=', entryId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
    if (message) {
      await trx
        .insertInto('comments')
        .values({
          id: newId('cmt'),
          organizationId: scope.organizationId,
          subjectType: 'project',
          subjectId: projectId,
          authorType: 'user',
          userId: scope.userId,
          contactPersonId: null,
          text: message,
          // The answer is for the client.
          shownInPortal: 1,
          timeEntryId: entryId,
          createdAt: now,
          deletedAt: null,
        })
        .execute();
      await emailCustomerOfBusinessReply(trx, ctx, scope.organizationId, PROJECT_SUBJECT, projectId, message);
    }
    await recordHistory(trx, {
      organizationId: scope.organizationId,
      subjectType: 'project',
      subjectId: projectId,
      event: entry.approval === 'approved' ? 'time_approval_withdrawn' : 'time_resubmitted',
      description:
        entry.approval === 'approved'
          ? `Withdrew the client's approval of the time of ${entry.entryDate}; it awaits approval again`
          : `Answered the query about the time of ${entry.entryDate}; it awaits the client's approval again`,
      ...actorOf(scope),
      createdAt: now,
    });
  });
  return getTimeEntry(ctx, scope, projectId, entryId);
}
