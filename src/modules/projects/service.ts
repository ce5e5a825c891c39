import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { containsPattern } from '../../db/text-search.js';
import { multiplyRound, parseDecimal } from '../../domain/decimal.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { type ProjectAction, projectMachine } from '../../domain/project-states.js';
import { transition } from '../../domain/states.js';
import { listPage, textContains } from '../../http/pagination.js';
import { switchTimeApproval } from './approval.js';
import { hoursOfMinutes } from './hours.js';
import type { ProjectInput, ProjectPatch, TaskInput, TaskPatch } from './schemas.js';

type Db = Kysely<Database> | Transaction<Database>;
type ProjectRow = Selectable<Database['projects']> & { customerName: string };
export type TaskRow = Selectable<Database['projectTasks']>;

function projectsWithCustomer(db: Db, scope: OrgScope) {
  return db
    .selectFrom('projects')
    .innerJoin('customers', 'customers.id', 'projects.customerId')
    .selectAll('projects')
    .select('customers.displayName as customerName')
    .where('projects.organizationId', '=', scope.organizationId);
}

function presentProject(row: ProjectRow) {
  const { organizationId: _org, requireTimeApproval, ...fields } = row;
  return { ...fields, requireTimeApproval: requireTimeApproval === 1 };
}

/** The project row of the scope's organization, or 404 (also for other organizations' ids). */
export async function loadProject(ctx: AppContext, scope: OrgScope, projectId: string, db: Db = ctx.db.kysely) {
  const row = await projectsWithCustomer(db, scope).where('projects.id', '=', projectId).executeTakeFirst();
  if (!row) throw notFound('project');
  return row;
}

/**
 * Locks the project's row until the transaction ends (PostgreSQL; SQLite's one connection is the one writer), or
 * 404. Logging time, invoicing it, switching approval on or off and every approval take this lock first, so they
 * happen one after the other: an invoice run never takes time whose approval changed under it.
 */
export async function lockProject(
  ctx: AppContext,
  trx: Transaction<Database>,
  organizationId: string,
  projectId: string,
) {
  const row = await trx
    .selectFrom('projects')
    .select(['id', 'requireTimeApproval', 'status'])
    .where('id', '=', projectId)
    .where('organizationId', '=', organizationId)
    .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
  if (!row) throw notFound('project');
  return row;
}

/** A task of the project, or 404. */
export async function loadTask(ctx: AppContext, scope: OrgScope, projectId: string, taskId: string) {
  const task = await ctx.db.kysely
    .selectFrom('projectTasks')
    .selectAll()
    .where('id', '=', taskId)
    .where('projectId', '=', projectId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!task) throw notFound('task');
  return task;
}

/** Minutes logged per task and status; non-billable time counts as logged only. */
async function tasksWithTime(ctx: AppContext, scope: OrgScope, projectId: string) {
  const tasks = await ctx.db.kysely
    .selectFrom('projectTasks')
    .selectAll()
    .where('projectId', '=', projectId)
    .where('organizationId', '=', scope.organizationId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  const sums = await ctx.db.kysely
    .selectFrom('timeEntries')
    .select((eb) => ['taskId', 'status', eb.fn.sum<number>('minutes').as('minutes')])
    .where('projectId', '=', projectId)
    .where('organizationId', '=', scope.organizationId)
    .groupBy(['taskId', 'status'])
    .execute();
  return tasks.map((task) => {
    const minutesOf = (status: 'unbilled' | 'invoiced') =>
      Number(sums.find((s) => s.taskId === task.id && s.status === status)?.minutes ?? 0);
    const billed = minutesOf('invoiced');
    const unbilled = minutesOf('unbilled');
    const { organizationId: _org, billable, ...fields } = task;
    return {
      ...fields,
      billable: billable === 1,
      loggedMinutes: billed + unbilled,
      billedMinutes: billed,
      unbilledMinutes: billable === 1 ? unbilled : 0,
    };
  });
}

/** The rate an hour of `task` is billed at, or null when the project is not billed by the hour. */
export function hourlyRateOf(project: Pick<ProjectRow, 'billingMethod' | 'rate'>, task: Pick<TaskRow, 'rate'>) {
  if (project.billingMethod === 'task_hours') return task.rate;
  if (project.billingMethod === 'project_hours') return project.rate ?? 0;
  return null;
}

/** round(hours × rate), with hours as the 4-decimal quantity an invoice line would carry. */
export function amountForMinutes(minutes: number, rate: number): number {
  const hours = parseDecimal(hoursOfMinutes(minutes), '/hours', { maxDecimals: 4 });
  return Number(multiplyRound(BigInt(rate), hours));
}

export async function getProject(ctx: AppContext, scope: OrgScope, projectId: string) {
  const project = await loadProject(ctx, scope, projectId);
  const tasks = await tasksWithTime(ctx, scope, projectId);
  const sum = (pick: (t: (typeof tasks)[number]) => number) => tasks.reduce((total, t) => total + pick(t), 0);
  const unbilledAmount =
    project.billingMethod === 'fixed'
      ? null
      : sum((t) => (t.unbilledMinutes > 0 ? amountForMinutes(t.unbilledMinutes, hourlyRateOf(project, t) ?? 0) : 0));
  const approvedAmount =
    project.billingMethod === 'fixed' || project.requireTimeApproval !== 1
      ? null
      : await approvedAmountOf(ctx, scope, project, tasks);
  return {
    ...presentProject(project),
    tasks,
    totals: {
      loggedMinutes: sum((t) => t.loggedMinutes),
      billableMinutes: sum((t) => (t.billable ? t.loggedMinutes : 0)),
      billedMinutes: sum((t) => t.billedMinutes),
      unbilledMinutes: sum((t) => t.unbilledMinutes),
      unbilledAmount,
      approvedAmount,
    },
  };
}

/** What invoicing bills now on a project that requires approval: its approved unbilled time on billable tasks. */
async function approvedAmountOf(
  ctx: AppContext,
  scope: OrgScope,
  project: ProjectRow,
  tasks: Array<{ id: string; rate: number; billable: boolean }>,
) {
  const sums = await ctx.db.kysely
    .selectFrom('timeEntries')
    .select((eb) => ['taskId', eb.fn.sum<number>('minutes').as('minutes')])
    .where('projectId', '=', project.id)
    .where('organizationId', '=', scope.organizationId)
    .where('status', '=', 'unbilled')
    .where('approval', '=', 'approved')
    .groupBy('taskId')
    .execute();
  return tasks.reduce((total, task) => {
    const minutes = Number(sums.find((sum) => sum.taskId === task.id)?.minutes ?? 0);
    return task.billable && minutes > 0 ? total + amountForMinutes(minutes, hourlyRateOf(project, task) ?? 0) : total;
  }, 0);
}

export async function listProjects(
  ctx: AppContext,
  scope: OrgScope,
  query: { customerId?: string; status?: 'active' | 'inactive'; q?: string; limit?: number; cursor?: string },
) {
  let select = projectsWithCustomer(ctx.db.kysely, scope);
  if (query.customerId) select = select.where('projects.customerId', '=', query.customerId);
  if (query.status) select = select.where('projects.status', '=', query.status);
  if (query.q) select = select.where(textContains('projects.name', containsPattern(query.q)));
  // The page's hours are summed in one query, so the page is presented after it is fetched.
  const page = await listPage(
    select,
    { key: 'projects.name', id: 'projects.id', direction: 'asc', keyOf: (row) => row.name },
    query,
    (row) => row,
  );
  const hours = await hoursOfProjects(
    ctx,
    scope,
    page.data.map((row) => row.id),
  );
  return {
    data: page.data.map((row) => ({ ...presentProject(row), ...(hours.get(row.id) ?? NO_HOURS) })),
    nextCursor: page.nextCursor,
  };
}

const NO_HOURS = { loggedMinutes: 0, billedMinutes: 0, unbilledMinutes: 0 };

/** Minutes logged, billed and unbilled (billable tasks only) per project, as the detail's totals count them. */
async function hoursOfProjects(ctx: AppContext, scope: OrgScope, projectIds: string[]) {
  const byProject = new Map<string, typeof NO_HOURS>();
  if (projectIds.length === 0) return byProject;
  const sums = await ctx.db.kysely
    .selectFrom('timeEntries as e')
    .innerJoin('projectTasks as t', 't.id', 'e.taskId')
    .select((eb) => ['e.projectId', 'e.status', 't.billable', eb.fn.sum<number>('e.minutes').as('minutes')])
    .where('e.organizationId', '=', scope.organizationId)
    .where('e.projectId', 'in', projectIds)
    .groupBy(['e.projectId', 'e.status', 't.billable'])
    .execute();
  for (const sum of sums) {
    const hours = byProject.get(sum.projectId) ?? { ...NO_HOURS };
    const minutes = Number(sum.minutes);
    hours.loggedMinutes += minutes;
    if (sum.status === 'invoiced') hours.billedMinutes += minutes;
    else if (sum.billable === 1) hours.unbilledMinutes += minutes;
    byProject.set(sum.projectId, hours);
  }
  return byProject;
}

function requireRateFor(billingMethod: ProjectRow['billingMethod'], rate: number | null | undefined) {
  if (billingMethod === 'project_hours' && (rate === null || rate === undefined)) {
    throw invalid('/rate', 'A project billed by project hours needs an hourly rate.');
  }
}

export async function createProject(ctx: AppContext, scope: OrgScope, input: Static<typeof ProjectInput>) {
  const customer = await ctx.db.kysely
    .selectFrom('customers')
    .select(['id', 'currency'])
    .where('id', '=', input.customerId)
    .where('organizationId', '=', scope.organizationId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!customer) throw invalid('/customerId', 'No such customer.');
  requireRateFor(input.billingMethod, input.rate);
  const id = newId('prj');
  const now = ctx.now().toISOString();
  await ctx.db.kysely
    .insertInto('projects')
    .values({
      id,
      organizationId: scope.organizationId,
      customerId: customer.id,
      name: input.name,
      description: input.description ?? null,
      billingMethod: input.billingMethod,
      rate: input.rate ?? null,
      currency: customer.currency,
      status: 'active',
      requireTimeApproval: input.requireTimeApproval ? 1 : 0,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return getProject(ctx, scope, id);
}

export async function updateProject(
  ctx: AppContext,
  scope: OrgScope,
  projectId: string,
  patch: Static<typeof ProjectPatch>,
) {
  const project = await loadProject(ctx, scope, projectId);
  requireRateFor(patch.billingMethod ?? project.billingMethod, patch.rate === undefined ? project.rate : patch.rate);
  const { requireTimeApproval, ...fields } = patch;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const locked = await lockProject(ctx, trx, scope.organizationId, projectId);
    const now = ctx.now().toISOString();
    await trx
      .updateTable('projects')
      .set({
        ...fields,
        ...(requireTimeApproval !== undefined ? { requireTimeApproval: requireTimeApproval ? 1 : 0 } : {}),
        updatedAt: now,
      })
      .where('id', '=', projectId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
    if (requireTimeApproval !== undefined && requireTimeApproval !== (locked.requireTimeApproval === 1)) {
      await switchTimeApproval(trx, scope, projectId, requireTimeApproval, now);
    }
  });
  return getProject(ctx, scope, projectId);
}

/** Time already on an invoice is part of the books; a project with none goes with its tasks and entries. */
export async function deleteProject(ctx: AppContext, scope: OrgScope, projectId: string) {
  await loadProject(ctx, scope, projectId);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const invoiced = await trx
      .selectFrom('timeEntries')
      .select('id')
      .where('projectId', '=', projectId)
      .where('organizationId', '=', scope.organizationId)
      .where('status', '=', 'invoiced')
      .executeTakeFirst();
    if (invoiced) {
      throw new AppError('conflict', 'This project has invoiced time: mark it inactive instead of deleting it.');
    }
    for (const table of ['timeEntries', 'projectTasks'] as const) {
      await trx
        .deleteFrom(table)
        .where('projectId', '=', projectId)
        .where('organizationId', '=', scope.organizationId)
        .execute();
    }
    await trx
      .deleteFrom('projects')
      .where('id', '=', projectId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
  });
}

export async function changeProjectStatus(ctx: AppContext, scope: OrgScope, projectId: string, action: ProjectAction) {
  const project = await loadProject(ctx, scope, projectId);
  const status = transition(projectMachine, project.status, action);
  const result = await ctx.db.kysely
    .updateTable('projects')
    .set({ status, updatedAt: ctx.now().toISOString() })
    .where('id', '=', projectId)
    .where('organizationId', '=', scope.organizationId)
    .where('status', '=', project.status)
    .executeTakeFirst();
  // Someone else changed the status in between: judge the action against what is there now.
  if (result.numUpdatedRows === 0n) return changeProjectStatus(ctx, scope, projectId, action);
  return getProject(ctx, scope, projectId);
}

export async function listTasks(ctx: AppContext, scope: OrgScope, projectId: string) {
  await loadProject(ctx, scope, projectId);
  return { data: await tasksWithTime(ctx, scope, projectId), nextCursor: null };
}

async function getTask(ctx: AppContext, scope: OrgScope, projectId: string, taskId: string) {
  const task = (await tasksWithTime(ctx, scope, projectId)).find((t) => t.id === taskId);
  if (!task) throw notFound('task');
  return task;
}

export async function createTask(ctx: AppContext, scope: OrgScope, projectId: string, input: Static<typeof TaskInput>) {
  await loadProject(ctx, scope, projectId);
  const id = newId('tsk');
  const now = ctx.now().toISOString();
  await ctx.db.kysely
    .insertInto('projectTasks')
    .values({
      id,
      organizationId: scope.organizationId,
      projectId,
      name: input.name,
      description: input.description ?? null,
      rate: input.rate ?? 0,
      billable: input.billable === false ? 0 : 1,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return getTask(ctx, scope, projectId, id);
}

export async function updateTask(
  ctx: AppContext,
  scope: OrgScope,
  projectId: string,
  taskId: string,
  patch: Static<typeof TaskPatch>,
) {
  await loadProject(ctx, scope, projectId);
  await loadTask(ctx, scope, projectId, taskId);
  const { billable, ...rest } = patch;
  await ctx.db.kysely
    .updateTable('projectTasks')
    .set({
      ...rest,
      ...(billable !== undefined ? { billable: billable ? 1 : 0 } : {}),
      updatedAt: ctx.now().toISOString(),
    })
    .where('id', '=', taskId)
    .where('organizationId', '=', scope.organizationId)
    .execute();
  return getTask(ctx, scope, projectId, taskId);
}

/** A task with time logged on it stays: the time would lose what it was spent on. */
export async function deleteTask(ctx: AppContext, scope: OrgScope, projectId: string, taskId: string) {
  await loadProject(ctx, scope, projectId);
  await loadTask(ctx, scope, projectId, taskId);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const logged = await trx
      .selectFrom('timeEntries')
      .select('id')
      .where('taskId', '=', taskId)
      .where('organizationId', '=', scope.organizationId)
      .executeTakeFirst();
    if (logged) throw new AppError('conflict', 'Time is logged on this task: delete its time entries first.');
    await trx
      .deleteFrom('projectTasks')
      .where('id', '=', taskId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
  });
}
