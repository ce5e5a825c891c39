import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { addDays, assertDate } from '../../domain/dates.js';
import { AppError, invalid } from '../../domain/errors.js';
import { timeEntryMachine } from '../../domain/project-states.js';
import { transition } from '../../domain/states.js';
import { timeEntryInvoiceable } from '../../domain/time-approval.js';
import { actorOf, recordHistory } from '../activity/index.js';
import { defaultTerms, documentSettings, type LineSource } from '../documents/index.js';
import { getInvoice, insertInvoice } from '../invoices/index.js';
import { organizationToday } from '../organization/index.js';
import { hoursOfMinutes } from './hours.js';
import type { ProjectInvoiceInput } from './schemas.js';
import { hourlyRateOf, loadProject, lockProject } from './service.js';

/** Rows per UPDATE … WHERE id IN (…), well inside both databases' bound-parameter limits. */
const CHUNK = 500;

const conflict = (message: string) => new AppError('conflict', message);
const notApproved = (message: string) => new AppError('time_not_approved', message);

/**
 * Bills a project's time on a new draft invoice: one line per task, in the tasks' (alphabetical) order (quantity = the task's hours, rate = the
 * task's or the project's hourly rate), and the entries become invoiced on it. The invoice and the entries
 * change in one transaction; an entry that another request invoiced in the meantime fails the whole call
 * (409) and nothing is written — not even an invoice number. When the project requires the client's approval,
 * only approved time is invoiced; with none approved the answer is 409 `time_not_approved`.
 */
export async function invoiceProjectTime(
  ctx: AppContext,
  scope: OrgScope,
  projectId: string,
  input: Static<typeof ProjectInvoiceInput>,
) {
  if (input.date !== undefined) assertDate(input.date, '/date');
  const invoiceId = await ctx.db.kysely.transaction().execute(async (trx) => {
    const project = await loadProject(ctx, scope, projectId, trx);
    // Under the project's lock, approvals and withdrawals happen wholly before or after this run.
    await lockProject(ctx, trx, scope.organizationId, projectId);
    const approvalRequired = project.requireTimeApproval === 1;
    if (project.billingMethod === 'fixed') {
      throw conflict('This project is billed at a fixed price, not by the hour: create its invoice directly.');
    }
    let select = trx
      .selectFrom('timeEntries as e')
      .innerJoin('projectTasks as t', 't.id', 'e.taskId')
      .select([
        'e.id',
        'e.taskId',
        'e.entryDate',
        'e.minutes',
        'e.status',
        'e.approval',
        't.billable',
        't.name as taskName',
        't.rate as taskRate',
      ])
      .where('e.projectId', '=', projectId)
      .where('e.organizationId', '=', scope.organizationId)
      .orderBy('t.name')
      .orderBy('t.id')
      .orderBy('e.entryDate')
      .orderBy('e.id');
    select = input.timeEntryIds
      ? select.where('e.id', 'in', input.timeEntryIds)
      : select.where('e.status', '=', 'unbilled').where('t.billable', '=', 1);
    const found = await select.execute();
    // By default only the time the client approved, when the project requires approval.
    const entries = input.timeEntryIds
      ? found
      : found.filter((entry) => timeEntryInvoiceable(approvalRequired, entry.approval));
    if (input.timeEntryIds) {
      const found = new Set(entries.map((entry) => entry.id));
      const missing = input.timeEntryIds.findIndex((id) => !found.has(id));
      if (missing >= 0) throw invalid(`/timeEntryIds/${missing}`, 'No such time entry in this project.');
      const billed = entries.find((entry) => entry.status !== 'unbilled');
      if (billed) throw conflict(`Time entry ${billed.id} is already invoiced.`);
      const unbillable = entries.find((entry) => entry.billable !== 1);
      if (unbillable) throw conflict(`Time entry ${unbillable.id} is logged on a task that is not billable.`);
      const unapproved = entries.find((entry) => !timeEntryInvoiceable(approvalRequired, entry.approval));
      if (unapproved)
        throw notApproved(`Time entry ${unapproved.id} of ${unapproved.entryDate} is not approved by the client.`);
    }
    if (entries.length === 0 && found.length > 0) {
      const waiting = found.length;
      throw notApproved(
        `None of this project's unbilled time is approved by the client yet: ${waiting} ${waiting === 1 ? 'entry awaits' : 'entries await'} approval or ${waiting === 1 ? 'is' : 'are'} queried.`,
      );
    }
    if (entries.length === 0) throw conflict('This project has no unbilled billable time to invoice.');

    const customer = await trx
      .selectFrom('customers')
      .select(['id', 'currency', 'paymentTermsDays'])
      .where('id', '=', project.customerId)
      .where('organizationId', '=', scope.organizationId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    if (!customer) throw conflict("This project's customer has been deleted.");
    if (customer.currency !== project.currency) {
      throw conflict(
        `The project's rates are in ${project.currency} but its customer now pays in ${customer.currency}.`,
      );
    }

    const byTask = new Map<string, typeof entries>();
    for (const entry of entries) byTask.set(entry.taskId, [...(byTask.get(entry.taskId) ?? []), entry]);
    const lines: LineSource[] = [...byTask.values()].map((taskEntries) => {
      const [first] = taskEntries;
      if (!first) throw new Error('a task group is never empty');
      const minutes = taskEntries.reduce((sum, entry) => sum + entry.minutes, 0);
      const dates = taskEntries.map((entry) => entry.entryDate).sort();
      const from = dates[0];
      const to = dates.at(-1);
      return {
        name: first.taskName,
        description: `${project.name}: ${from === to ? from : `${from} to ${to}`}`,
        quantity: hoursOfMinutes(minutes),
        unit: 'hours',
        rate: hourlyRateOf(project, { rate: first.taskRate }) ?? 0,
        discount: null,
        tax: null,
        timeEntryIds: JSON.stringify(taskEntries.map((entry) => entry.id)),
      };
    });

    const settings = await documentSettings(trx, scope.organizationId);
    const issueDate = input.date ?? (await organizationToday(ctx, scope.organizationId, trx));
    const id = await insertInvoice(ctx, trx, scope, {
      customerId: customer.id,
      currency: customer.currency,
      reference: null,
      issueDate,
      dueDate: addDays(issueDate, customer.paymentTermsDays ?? settings.paymentTermsDays),
      subject: project.name,
      notes: null,
      terms: null,
      allowPartialPayments: true,
      lines,
      pricing: defaultTerms(settings.taxRounding),
      estimateId: null,
      recurringProfileId: null,
      description: `Invoice created from the time logged on project ${project.name}`,
    });

    const now = ctx.now().toISOString();
    const status = transition(timeEntryMachine, 'unbilled', 'invoice');
    for (let start = 0; start < entries.length; start += CHUNK) {
      const ids = entries.slice(start, start + CHUNK).map((entry) => entry.id);
      const marked = await trx
        .updateTable('timeEntries')
        .set({ status, invoiceId: id, updatedAt: now })
        .where('id', 'in', ids)
        .where('organizationId', '=', scope.organizationId)
        // Compare-and-set: an entry invoiced by a concurrent request since it was read fails this one.
        .where('status', '=', 'unbilled')
        .$if(approvalRequired, (q) => q.where('approval', '=', 'approved'))
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) !== ids.length) {
        throw conflict('Some of this time was invoiced by someone else just now: reload and try again.');
      }
    }
    const minutes = entries.reduce((sum, entry) => sum + entry.minutes, 0);
    const invoice = await trx.selectFrom('invoices').select('number').where('id', '=', id).executeTakeFirstOrThrow();
    await recordHistory(trx, {
      organizationId: scope.organizationId,
      subjectType: 'project',
      subjectId: projectId,
      event: 'invoiced',
      description: `${hoursOfMinutes(minutes)} hours invoiced on ${invoice.number}`,
      ...actorOf(scope),
      createdAt: now,
    });
    return id;
  });
  return getInvoice(ctx, scope, invoiceId);
}
