import type { Static } from 'typebox';
import { countClientAction } from '../../auth/action-limits.js';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { transition } from '../../domain/states.js';
import { timeApprovalMachine } from '../../domain/time-approval.js';
import { recordHistory } from '../activity/index.js';
import { notifyBusinessOfPortalActivity } from '../portal-notifications/index.js';
import { hoursOfMinutes, lockProject } from '../projects/index.js';
import type { PortalTimeApprovalInput, PortalTimeEntry, PortalTimeQueryInput } from './schemas.js';
import { findPortalProject, getPortalTimeEntry, visibleToClient } from './service.js';

/**
 * The client's side of time approval (docs/time-approval.md): approve entries awaiting approval, or query one
 * with a message. Each runs in one transaction under the project's lock (so an invoice run sees all of it or
 * none), counts against the client's budgets first, and changes an entry by compare-and-set on its approval, so
 * two approvals of one entry at once approve it once and write one history line.
 */

type Trx = Parameters<typeof lockProject>[1];

/** "1 hour", "2.5 hours": for history lines and e-mails. */
const hoursText = (minutes: number) => `${hoursOfMinutes(minutes)} ${minutes === 60 ? 'hour' : 'hours'}`;

const notAsked = () => new AppError('invalid_transition', 'This project does not ask you to approve its time.');

/** The project of the scope's customer that asks for approval, locked; 404 or 409 otherwise. */
async function approvalProject(ctx: AppContext, trx: Trx, scope: PortalScope, id: string) {
  const project = await findPortalProject(trx, scope, id);
  await lockProject(ctx, trx, scope.organizationId, project.id);
  if (project.requireTimeApproval !== 1) throw notAsked();
  return project;
}

/** The visible entries of the project among `ids`, with their task's name. */
function visibleEntries(trx: Trx, scope: PortalScope, projectId: string, ids: string[]) {
  return trx
    .selectFrom('timeEntries as e')
    .innerJoin('projectTasks as t', 't.id', 'e.taskId')
    .select(['e.id', 'e.entryDate', 'e.minutes', 'e.status', 'e.approval', 't.name as taskName'])
    .where('e.id', 'in', ids)
    .where('e.projectId', '=', projectId)
    .where('e.organizationId', '=', scope.organizationId)
    .where('t.organizationId', '=', scope.organizationId)
    .where(visibleToClient)
    .execute();
}

export async function approvePortalTime(
  ctx: AppContext,
  scope: PortalScope,
  projectId: string,
  input: Static<typeof PortalTimeApprovalInput>,
  ip: string,
) {
  return ctx.db.kysely.transaction().execute(async (trx) => {
    await countClientAction(ctx, trx, scope, 'timeApproval');
    await approvalProject(ctx, trx, scope, projectId);
    const entries = await visibleEntries(trx, scope, projectId, input.timeEntryIds);
    const byId = new Map(entries.map((entry) => [entry.id, entry]));
    input.timeEntryIds.forEach((id, index) => {
      const entry = byId.get(id);
      if (!entry) throw invalid(`/timeEntryIds/${index}`, 'No such time entry in this project.');
      // Approved already (a second click, another contact person): nothing to do for it.
      if (entry.approval === 'approved') return;
      if (entry.status !== 'unbilled' || entry.approval === null) {
        throw new AppError('invalid_transition', `The time of ${entry.entryDate} does not await your approval.`);
      }
      transition(timeApprovalMachine, entry.approval, 'approve');
    });
    const now = ctx.now().toISOString();
    const awaiting = entries.filter((entry) => entry.approval === 'awaiting_approval').map((entry) => entry.id);
    const approved =
      awaiting.length === 0
        ? []
        : await trx
            .updateTable('timeEntries')
            .set({ approval: 'approved', approvedAt: now, approvedByContactPersonId: scope.contactPersonId })
            .where('id', 'in', awaiting)
            .where('organizationId', '=', scope.organizationId)
            // Compare-and-set: an approval that got there first leaves nothing for this one.
            .where('approval', '=', 'awaiting_approval')
            .where('status', '=', 'unbilled')
            .returning(['id', 'minutes'])
            .execute();
    const minutes = approved.reduce((sum, entry) => sum + entry.minutes, 0);
    if (approved.length > 0) {
      await recordHistory(trx, {
        organizationId: scope.organizationId,
        subjectType: 'project',
        subjectId: projectId,
        event: 'time_approved',
        description: `Approved ${approved.length} time ${approved.length === 1 ? 'entry' : 'entries'} (${hoursText(minutes)}) in the portal`,
        actorType: 'contact_person',
        actorId: scope.contactPersonId,
        ip,
        shownInPortal: true,
        createdAt: now,
      });
    }
    return { approvedCount: approved.length, approvedMinutes: minutes, approvedHours: hoursOfMinutes(minutes) };
  });
}

/**
 * The client's query: the entry becomes queried, the message a comment on the project naming the entry (in the
 * project's thread for the business), with its history line and the business's e-mail ("notify me").
 */
export async function queryPortalTimeEntry(
  ctx: AppContext,
  scope: PortalScope,
  projectId: string,
  entryId: string,
  input: Static<typeof PortalTimeQueryInput>,
  ip: string,
): Promise<Static<typeof PortalTimeEntry>> {
  const message = input.message.trim();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await countClientAction(ctx, trx, scope, 'comment');
    const project = await approvalProject(ctx, trx, scope, projectId);
    const [entry] = await visibleEntries(trx, scope, projectId, [entryId]);
    if (!entry) throw notFound('time entry');
    if (entry.status !== 'unbilled' || entry.approval === null) {
      throw new AppError('invalid_transition', 'This time does not await your approval.');
    }
    const approval = transition(timeApprovalMachine, entry.approval, 'query');
    const now = ctx.now().toISOString();
    const changed = await trx
      .updateTable('timeEntries')
      .set({ approval })
      .where('id', '=', entryId)
      .where('organizationId', '=', scope.organizationId)
      .where('approval', '=', 'awaiting_approval')
      .executeTakeFirst();
    if (changed.numUpdatedRows === 0n) throw new AppError('invalid_transition', 'This time was answered just now.');
    await trx
      .insertInto('comments')
      .values({
        id: newId('cmt'),
        organizationId: scope.organizationId,
        subjectType: 'project',
        subjectId: projectId,
        authorType: 'contact_person',
        userId: null,
        contactPersonId: scope.contactPersonId,
        text: message,
        shownInPortal: 1,
        timeEntryId: entryId,
        createdAt: now,
        deletedAt: null,
      })
      .execute();
    const what = `${entry.taskName}, ${entry.entryDate}, ${hoursText(entry.minutes)}`;
    await recordHistory(trx, {
      organizationId: scope.organizationId,
      subjectType: 'project',
      subjectId: projectId,
      // A query is a comment: the back office's activity feed lists it as one.
      event: 'commented',
      description: `Queried time in the portal (${what})`,
      actorType: 'contact_person',
      actorId: scope.contactPersonId,
      ip,
      shownInPortal: false,
      createdAt: now,
    });
    await notifyBusinessOfPortalActivity(trx, ctx, scope, {
      event: 'time_queried',
      target: { kind: 'project', id: projectId, label: project.name },
      detail: `${what}: ${message}`,
    });
  });
  return getPortalTimeEntry(ctx, scope, projectId, entryId);
}
