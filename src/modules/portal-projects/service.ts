import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { assertDate } from '../../domain/dates.js';
import { invalid, notFound } from '../../domain/errors.js';
import { listPage } from '../../http/pagination.js';
import { visibleToCustomer } from '../documents/index.js';
import { loadPortalSettings } from '../portal-settings/index.js';
import { hoursOfMinutes, type QueryThreadItem, queryThreads } from '../projects/index.js';
import type {
  PortalProject,
  PortalProjectListQuery,
  PortalProjectSummary,
  PortalTask,
  PortalTimeEntry,
  PortalTimeEntryListQuery,
} from './schemas.js';

/**
 * The client's projects and timesheets, only while the organization's "allow customers to view projects and
 * timesheets" setting is on: otherwise the list answers like an unknown route and a project like an unknown id.
 *
 * The client sees billable time: entries on billable tasks, plus entries already invoiced (the client was
 * billed for them even if the task was later made non-billable). Rates and who logged the time stay internal.
 */

type Db = Kysely<Database> | Transaction<Database>;
type ProjectRow = Selectable<Database['projects']>;

/** The condition that makes a time entry (`e`, joined with its task `t`) visible to the client. */
export const visibleToClient = sql<boolean>`(${sql.ref('t.billable')} = 1 or ${sql.ref('e.status')} = 'invoiced')`;

/** 404 unless the organization shows projects in its portal; `what` decides the words, as for an unknown id. */
async function requireProjectsShown(db: Db, scope: PortalScope, what?: string) {
  const settings = await loadPortalSettings(db, scope.organizationId);
  if (!settings.showProjects) throw notFound(what);
}

/** The customer's project, when the portal shows projects; 404 otherwise (another customer's id included). */
export async function findPortalProject(db: Db, scope: PortalScope, projectId: string): Promise<ProjectRow> {
  await requireProjectsShown(db, scope, 'project');
  const row = await db
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', projectId)
    .where('organizationId', '=', scope.organizationId)
    .where('customerId', '=', scope.customerId)
    .executeTakeFirst();
  if (!row) throw notFound('project');
  return row;
}

interface Minutes {
  billed: number;
  unbilled: number;
}

function hoursFields({ billed, unbilled }: Minutes) {
  const logged = billed + unbilled;
  return {
    loggedMinutes: logged,
    billedMinutes: billed,
    unbilledMinutes: unbilled,
    loggedHours: hoursOfMinutes(logged),
    billedHours: hoursOfMinutes(billed),
    unbilledHours: hoursOfMinutes(unbilled),
  };
}

/** Visible minutes by (group, status); `group` is the project or the task. */
async function visibleMinutes(db: Db, scope: PortalScope, by: 'project' | 'task', ids: readonly string[]) {
  const totals = new Map<string, Minutes>();
  if (ids.length === 0) return totals;
  const column = by === 'project' ? 'e.projectId' : 'e.taskId';
  const rows = await db
    .selectFrom('timeEntries as e')
    .innerJoin('projectTasks as t', 't.id', 'e.taskId')
    .select((eb) => [`${column} as groupId`, 'e.status', eb.fn.sum<number | string>('e.minutes').as('minutes')])
    .where('e.organizationId', '=', scope.organizationId)
    .where('t.organizationId', '=', scope.organizationId)
    .where(column, 'in', ids)
    .where(visibleToClient)
    .groupBy([column, 'e.status'])
    .execute();
  for (const row of rows) {
    const groupId = String(row.groupId);
    const entry = totals.get(groupId) ?? { billed: 0, unbilled: 0 };
    // SUM comes back as a string from PostgreSQL (NUMERIC for BIGINT input) and a number from SQLite.
    if (row.status === 'invoiced') entry.billed += Number(row.minutes);
    else entry.unbilled += Number(row.minutes);
    totals.set(groupId, entry);
  }
  return totals;
}

function presentProjectSummary(row: ProjectRow, minutes: Minutes | undefined): Static<typeof PortalProjectSummary> {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    billingMethod: row.billingMethod,
    currency: row.currency,
    requireTimeApproval: row.requireTimeApproval === 1,
    ...hoursFields(minutes ?? { billed: 0, unbilled: 0 }),
  };
}

export async function listPortalProjects(
  ctx: AppContext,
  scope: PortalScope,
  query: Static<typeof PortalProjectListQuery>,
) {
  const db = ctx.db.kysely;
  // The list is a route of its own: switched off, it answers like a route that does not exist.
  await requireProjectsShown(db, scope);
  const select = db
    .selectFrom('projects as p')
    .selectAll('p')
    .where('p.organizationId', '=', scope.organizationId)
    .where('p.customerId', '=', scope.customerId);
  // The page's visible hours are summed in one query, so the page is presented after it is fetched.
  const page = await listPage(
    select,
    { key: 'p.name', id: 'p.id', direction: 'asc', keyOf: (row) => row.name },
    query,
    (row) => row,
  );
  const totals = await visibleMinutes(
    db,
    scope,
    'project',
    page.data.map((row) => row.id),
  );
  return {
    data: page.data.map((row) => presentProjectSummary(row, totals.get(row.id))),
    nextCursor: page.nextCursor,
  };
}

export async function getPortalProject(
  ctx: AppContext,
  scope: PortalScope,
  projectId: string,
): Promise<Static<typeof PortalProject>> {
  const row = await findPortalProject(ctx.db.kysely, scope, projectId);
  const totals = await visibleMinutes(ctx.db.kysely, scope, 'project', [row.id]);
  return { ...presentProjectSummary(row, totals.get(row.id)), createdAt: row.createdAt };
}

/** Billable tasks (and tasks with invoiced time), alphabetically, with their hours; a project has few tasks. */
export async function listPortalTasks(
  ctx: AppContext,
  scope: PortalScope,
  projectId: string,
): Promise<{ data: Static<typeof PortalTask>[]; nextCursor: null }> {
  const db = ctx.db.kysely;
  await findPortalProject(db, scope, projectId);
  const tasks = await db
    .selectFrom('projectTasks')
    .select(['id', 'name', 'description', 'billable'])
    .where('projectId', '=', projectId)
    .where('organizationId', '=', scope.organizationId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  const totals = await visibleMinutes(
    db,
    scope,
    'task',
    tasks.map((task) => task.id),
  );
  const data = tasks
    .filter((task) => task.billable === 1 || (totals.get(task.id)?.billed ?? 0) > 0)
    .map((task) => ({
      id: task.id,
      name: task.name,
      description: task.description,
      ...hoursFields(totals.get(task.id) ?? { billed: 0, unbilled: 0 }),
    }));
  return { data, nextCursor: null };
}

/** The project's entries the client sees, with their task and the invoice that billed them (when visible). */
function timesheet(db: Db, scope: PortalScope, projectId: string) {
  return (
    db
      .selectFrom('timeEntries as e')
      .innerJoin('projectTasks as t', 't.id', 'e.taskId')
      // The invoice is named only when the client can open it: not a draft, and of this customer.
      .leftJoin('invoices as i', (join) => join.onRef('i.id', '=', 'e.invoiceId').on(visibleToCustomer(scope, 'i')))
      .select([
        'e.id',
        'e.taskId',
        't.name as taskName',
        'e.entryDate',
        'e.minutes',
        'e.status',
        'e.notes',
        'e.approval',
        'i.id as invoiceId',
        'i.number as invoiceNumber',
      ])
      .where('e.projectId', '=', projectId)
      .where('e.organizationId', '=', scope.organizationId)
      .where('t.organizationId', '=', scope.organizationId)
      .where(visibleToClient)
  );
}

/** The timesheet: visible entries, newest first, optionally within [from, to] (dates inclusive). */
export async function listPortalTimeEntries(
  ctx: AppContext,
  scope: PortalScope,
  projectId: string,
  query: Static<typeof PortalTimeEntryListQuery>,
) {
  // The pattern lets 2026-02-30 through; the calendar does not.
  if (query.from !== undefined) assertDate(query.from, 'query:/from');
  if (query.to !== undefined) assertDate(query.to, 'query:/to');
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw invalid('query:/to', 'must not be before from');
  }
  const db = ctx.db.kysely;
  await findPortalProject(db, scope, projectId);
  let select = timesheet(db, scope, projectId);
  if (query.from) select = select.where('e.entryDate', '>=', query.from);
  if (query.to) select = select.where('e.entryDate', '<=', query.to);
  if (query.approval) select = select.where('e.approval', '=', query.approval);
  // The page's query threads are read in one query, so the page is presented after it is fetched.
  const page = await listPage(
    select,
    { key: 'e.entryDate', id: 'e.id', direction: 'desc', keyOf: (row) => row.entryDate },
    query,
    (row) => row,
  );
  const threads = await portalQueryThreads(
    db,
    scope,
    page.data.map((row) => row.id),
  );
  return { data: page.data.map((row) => presentEntry(row, threads.get(row.id))), nextCursor: page.nextCursor };
}

type TimesheetRow = Awaited<ReturnType<ReturnType<typeof timesheet>['executeTakeFirstOrThrow']>>;

function presentEntry(row: TimesheetRow, queries: QueryThreadItem[] = []): Static<typeof PortalTimeEntry> {
  return {
    id: row.id,
    taskId: row.taskId,
    taskName: row.taskName,
    date: row.entryDate,
    minutes: row.minutes,
    hours: hoursOfMinutes(row.minutes),
    status: row.status,
    notes: row.notes,
    invoiceId: row.invoiceId ?? null,
    invoiceNumber: row.invoiceNumber ?? null,
    approval: row.approval,
    queries,
  };
}

/** One entry of the timesheet, or 404. */
export async function getPortalTimeEntry(ctx: AppContext, scope: PortalScope, projectId: string, entryId: string) {
  const db = ctx.db.kysely;
  await findPortalProject(db, scope, projectId);
  const row = await timesheet(db, scope, projectId).where('e.id', '=', entryId).executeTakeFirst();
  if (!row) throw notFound('time entry');
  const threads = await portalQueryThreads(db, scope, [row.id]);
  return presentEntry(row, threads.get(row.id));
}

/** The query threads as the client sees them: the business by the organization's name. */
async function portalQueryThreads(db: Db, scope: PortalScope, entryIds: readonly string[]) {
  if (entryIds.length === 0) return new Map<string, QueryThreadItem[]>();
  const organization = await db
    .selectFrom('organizations')
    .select('name')
    .where('id', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  return queryThreads(db, scope.organizationId, entryIds, {
    customerId: scope.customerId,
    businessName: organization.name,
  });
}
