import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import type { Dialect, Placeholders } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import { jsonObject, jsonText } from '../../db/json.js';
import type { Database } from '../../db/schema.js';
import { addDays, assertDate, compareDates } from '../../domain/dates.js';
import { invalid, invalidTransition, notFound } from '../../domain/errors.js';
import {
  canDeleteInvoice,
  canEditInvoice,
  canSendInvoiceAgain,
  canWriteOff,
  type InvoiceAction,
  invoiceActions,
  invoiceMachine,
  UNPAID_INVOICE_STATUSES,
} from '../../domain/invoice-states.js';
import { formatMoneyPlain } from '../../domain/money.js';
import { preparedJsonList } from '../../http/pagination.js';
import { actorOf, deleteActivityOf, recordHistory } from '../activity/index.js';
import { contactNameSql } from '../customers/index.js';
import {
  byBusiness,
  byIssueDate,
  changeDocument,
  customerForDocument,
  type DocumentKind,
  defaultTerms,
  deleteLines,
  documentHeadJson,
  documentSettings,
  emailSentDocument,
  type FilterArgs,
  flagOf,
  foundDocuments,
  givenFields,
  insertLines,
  type LineSource,
  linesFromRows,
  linesOf,
  listFilters,
  lockDocument,
  organizationOf,
  type PricingTerms,
  pendingPaymentsOn,
  presentPricing,
  priceDocument,
  recordSentAgain,
  replaceLines,
  resolveLines,
  sentDescription,
  sentDocumentRecipients,
  termsFrom,
  termsFromRow,
  withListFilters,
} from '../documents/index.js';
import { checkEInvoice, eInvoiceAttachmentFormat, eInvoiceFile } from '../e-invoices/index.js';
import { nextDocumentNumber } from '../numbering/index.js';
import { organizationToday } from '../organization/index.js';
import { recomputeInvoiceMoney } from './money.js';
import type {
  Invoice,
  InvoiceInput,
  InvoiceListQuery,
  InvoicePatch,
  InvoiceSummary,
  WriteOffInput,
} from './schemas.js';

type Trx = Transaction<Database>;
type InvoiceRow = Selectable<Database['invoices']>;
export type InvoiceDetail = Static<typeof Invoice>;
type InvoiceSummaryValue = Static<typeof InvoiceSummary>;

/** The name of the contact person who first viewed the document (joined as `vp`): first and last name. */
const viewedByName = contactNameSql('vp');

/** The invoice's own columns an invoice's summary shows (the detail's first part; the list's items). */
type SummaryRow = Pick<
  InvoiceRow,
  | 'id'
  | 'number'
  | 'reference'
  | 'status'
  | 'customerId'
  | 'issueDate'
  | 'dueDate'
  | 'currency'
  | 'total'
  | 'paymentsApplied'
  | 'creditsApplied'
  | 'writtenOff'
  | 'balance'
  | 'estimateId'
  | 'recurringProfileId'
  | 'sentAt'
  | 'viewedAt'
  | 'viewedByContactPersonId'
  | 'createdAt'
  | 'updatedAt'
>;

function presentSummary(row: SummaryRow & { customerName: string; viewedByName: string | null }): InvoiceSummaryValue {
  return {
    id: row.id,
    number: row.number,
    reference: row.reference,
    status: row.status,
    customer: { id: row.customerId, displayName: row.customerName },
    issueDate: row.issueDate,
    dueDate: row.dueDate,
    currency: row.currency,
    total: row.total,
    paymentsApplied: row.paymentsApplied,
    creditsApplied: row.creditsApplied,
    writtenOff: row.writtenOff,
    balance: row.balance,
    estimateId: row.estimateId,
    recurringProfileId: row.recurringProfileId,
    sentAt: row.sentAt,
    viewedAt: row.viewedAt,
    viewedByContactPersonId: row.viewedByContactPersonId,
    viewedByName: row.viewedByName,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * An invoice's summary as the list's items show it, written as JSON by the query (`preparedJsonList`): the same
 * keys, in the same order, as `presentSummary` (test/api/list-items.test.ts holds them to the detail).
 */
function summaryJson(dialect: Dialect) {
  const ref = (column: string) => sql.ref(`i.${column}`);
  return jsonText(
    dialect,
    jsonObject(dialect, {
      ...documentHeadJson(dialect, 'i'),
      issueDate: ref('issueDate'),
      dueDate: ref('dueDate'),
      currency: ref('currency'),
      total: ref('total'),
      paymentsApplied: ref('paymentsApplied'),
      creditsApplied: ref('creditsApplied'),
      writtenOff: ref('writtenOff'),
      balance: ref('balance'),
      estimateId: ref('estimateId'),
      recurringProfileId: ref('recurringProfileId'),
      sentAt: ref('sentAt'),
      viewedAt: ref('viewedAt'),
      viewedByContactPersonId: ref('viewedByContactPersonId'),
      viewedByName,
      createdAt: ref('createdAt'),
      updatedAt: ref('updatedAt'),
    }),
  );
}

/** Invoices of the organization, with their customer (`c`) and who first viewed them (`vp`) joined. */
function fromInvoices(db: Kysely<Database>, organizationId: string, filters = '') {
  return db
    .selectFrom('invoices as i')
    .innerJoin('customers as c', 'c.id', 'i.customerId')
    .leftJoin('contactPersons as vp', 'vp.id', 'i.viewedByContactPersonId')
    .where(organizationOf('i.organizationId', organizationId, filters));
}

/** An invoice of the scope's organization with its lines, totals and the money applied to it; else 404. */
export async function getInvoice(ctx: AppContext, scope: OrgScope, invoiceId: string): Promise<InvoiceDetail> {
  const db = ctx.db.kysely;
  const row = await fromInvoices(ctx.db.kysely, scope.organizationId)
    .selectAll('i')
    .select(['c.displayName as customerName', viewedByName.as('viewedByName')])
    .where('i.id', '=', invoiceId)
    .executeTakeFirst();
  if (!row) throw notFound('invoice');
  const lines = await linesOf(db, 'invoiceLines', scope.organizationId, invoiceId);
  const allocations = await db
    .selectFrom('paymentAllocations as a')
    .innerJoin('customerPayments as p', 'p.id', 'a.paymentId')
    .select([
      'a.id',
      'a.paymentId',
      'p.number as paymentNumber',
      'p.paymentDate',
      'a.appliedOn as date',
      'a.amount',
      'a.kind',
      'a.releasedAt',
    ])
    .where('a.invoiceId', '=', invoiceId)
    .where('a.organizationId', '=', scope.organizationId)
    .orderBy('a.appliedOn')
    .orderBy('a.createdAt')
    .orderBy('a.id')
    .execute();
  return {
    ...presentSummary(row),
    ...presentPricing(row, lines),
    subject: row.subject,
    notes: row.notes,
    terms: row.terms,
    writtenOffOn: row.writtenOffOn,
    allowPartialPayments: row.allowPartialPayments === 1,
    allocations,
    voidedAt: row.voidedAt,
    pendingPayments: await pendingPaymentsOn(db, scope.organizationId, { invoiceId }, ctx.now()),
    // Released allocations are listed too, so any allocation means money was once applied.
    availableActions: invoiceActions({
      ...row,
      everPaid: allocations.length > 0 || (await onlinePaymentBegun(db, scope.organizationId, invoiceId)),
    }),
  };
}

/** The business's invoice list, compiled once per shape: the status filter (one, `unpaid`, none) and the filters given. */
const invoicePage = preparedJsonList(
  (db, args: Placeholders<FilterArgs & { organizationId: string; status: string }>, shape, dialect) => {
    const [status = '', filters = ''] = shape.split('/');
    return withListFilters(
      db,
      fromInvoices(db, args.organizationId, filters)
        .select([summaryJson(dialect).as('item'), 'i.issueDate as sortKey', 'i.id'])
        .$if(status === 'unpaid', (q) => q.where('i.status', 'in', [...UNPAID_INVOICE_STATUSES]))
        .$if(status === 'one', (q) => q.where('i.status', '=', args.status as InvoiceRow['status'])),
      { table: 'i', customers: 'c', date: 'issueDate' },
      filters,
      args,
    );
  },
  byIssueDate('i'),
);

export async function listInvoices(ctx: AppContext, scope: OrgScope, query: Static<typeof InvoiceListQuery>) {
  const filters = listFilters(query, await foundDocuments(ctx.db.kysely, 'invoices', scope.organizationId, query.q));
  const status = query.status === 'unpaid' ? 'unpaid' : query.status ? 'one' : '';
  return invoicePage(
    ctx.db,
    { ...filters.args, organizationId: scope.organizationId, status: query.status ?? '' },
    `${status}/${filters.shape}`,
    query,
  );
}

/** Invoices in the change recipe: their machine, and their money and status re-derived after every change. */
const INVOICE: DocumentKind<'invoices', InvoiceAction> = {
  table: 'invoices',
  what: 'invoice',
  subjectType: 'invoice',
  machine: invoiceMachine,
  recomputeMoney: async (ctx, trx, organizationId, invoiceId, now) =>
    recomputeInvoiceMoney(trx, organizationId, invoiceId, await organizationToday(ctx, organizationId, trx), now),
};

function checkDates(issueDate: string, dueDate: string) {
  assertDate(issueDate, '/issueDate');
  assertDate(dueDate, '/dueDate');
  if (compareDates(dueDate, issueDate) < 0) throw invalid('/dueDate', 'The due date cannot be before the issue date.');
}

export interface NewInvoiceRecord {
  customerId: string;
  currency: string;
  reference: string | null;
  issueDate: string;
  dueDate: string;
  subject: string | null;
  notes: string | null;
  terms: string | null;
  allowPartialPayments: boolean;
  lines: LineSource[];
  pricing: PricingTerms;
  estimateId: string | null;
  recurringProfileId: string | null;
  /** The history entry's words: "Invoice created", "Created from estimate EST-00004"… */
  description: string;
}

/** Writes a new draft invoice inside the caller's transaction; returns its id. */
export async function insertInvoice(
  ctx: AppContext,
  trx: Trx,
  scope: OrgScope,
  record: NewInvoiceRecord,
): Promise<string> {
  checkDates(record.issueDate, record.dueDate);
  const id = newId('inv');
  const priced = priceDocument(scope.organizationId, id, record.lines, record.pricing);
  const number = await nextDocumentNumber(trx, scope.organizationId, 'invoice');
  const now = ctx.now().toISOString();
  await trx
    .insertInto('invoices')
    .values({
      id,
      organizationId: scope.organizationId,
      customerId: record.customerId,
      number,
      reference: record.reference,
      status: 'draft',
      issueDate: record.issueDate,
      dueDate: record.dueDate,
      currency: record.currency,
      subject: record.subject,
      notes: record.notes,
      terms: record.terms,
      ...priced.totals,
      paymentsApplied: 0,
      creditsApplied: 0,
      writtenOff: 0,
      writtenOffOn: null,
      balance: priced.totals.total,
      allowPartialPayments: record.allowPartialPayments ? 1 : 0,
      estimateId: record.estimateId,
      recurringProfileId: record.recurringProfileId,
      sentAt: null,
      voidedAt: null,
      viewedAt: null,
      viewedByContactPersonId: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  await insertLines(trx, 'invoiceLines', priced.lines);
  await recordHistory(trx, {
    organizationId: scope.organizationId,
    subjectType: 'invoice',
    subjectId: id,
    event: 'created',
    description: record.description,
    ...actorOf(scope),
    createdAt: now,
  });
  return id;
}

/**
 * A new draft invoice for a customer of the organization, in the customer's currency. Numbers come from the
 * organization's invoice sequence; a recurring profile passes its id so the invoice remembers where it came from.
 */
export async function createInvoice(
  ctx: AppContext,
  scope: OrgScope,
  input: Static<typeof InvoiceInput>,
  options: { recurringProfileId?: string } = {},
): Promise<InvoiceDetail> {
  const id = await ctx.db.kysely.transaction().execute(async (trx) => {
    const customer = await customerForDocument(trx, scope, input.customerId);
    const settings = await documentSettings(trx, scope.organizationId);
    const issueDate = input.issueDate ?? (await organizationToday(ctx, scope.organizationId, trx));
    assertDate(issueDate, '/issueDate');
    const dueDate = input.dueDate ?? addDays(issueDate, customer.paymentTermsDays ?? settings.paymentTermsDays);
    return insertInvoice(ctx, trx, scope, {
      customerId: customer.id,
      currency: customer.currency,
      reference: input.reference ?? null,
      issueDate,
      dueDate,
      subject: input.subject ?? null,
      notes: input.notes ?? null,
      terms: input.terms ?? null,
      allowPartialPayments: input.allowPartialPayments ?? true,
      lines: await resolveLines(trx, scope, input.lines),
      pricing: termsFrom(input, defaultTerms(settings.taxRounding)),
      estimateId: null,
      recurringProfileId: options.recurringProfileId ?? null,
      description: options.recurringProfileId ? 'Invoice created by a recurring profile' : 'Invoice created',
    });
  });
  return getInvoice(ctx, scope, id);
}

/**
 * Drafts may be edited, and so may issued invoices nothing has been paid, credited or written off on yet
 * (sent, or overdue — an overdue invoice is a sent one whose due date passed, and extending that date is the
 * usual edit). Totals are repriced with the invoice's own tax rounding and its status re-derived.
 */
export async function updateInvoice(
  ctx: AppContext,
  scope: OrgScope,
  invoiceId: string,
  patch: Static<typeof InvoicePatch>,
): Promise<InvoiceDetail> {
  await changeDocument(ctx, byBusiness(scope), INVOICE, invoiceId, null, async ({ trx, row }) => {
    if (!canEditInvoice(row)) {
      throw invalidTransition(
        row.status === 'void'
          ? 'Cannot edit this invoice: it is void. Reopen it first.'
          : `Cannot edit this invoice: money has been applied to it (it is ${row.status.replace('_', ' ')}).`,
      );
    }
    const issueDate = patch.issueDate ?? row.issueDate;
    const dueDate = patch.dueDate ?? row.dueDate;
    checkDates(issueDate, dueDate);
    const lines = patch.lines
      ? await resolveLines(trx, scope, patch.lines)
      : linesFromRows(await linesOf(trx, 'invoiceLines', scope.organizationId, invoiceId));
    const priced = priceDocument(scope.organizationId, invoiceId, lines, termsFrom(patch, termsFromRow(row)));
    // Line rows depend only on the lines themselves, so they are rewritten only when the lines change.
    if (patch.lines) await replaceLines(trx, 'invoiceLines', scope.organizationId, invoiceId, priced.lines);
    return {
      set: {
        ...givenFields(patch, ['reference', 'subject', 'notes', 'terms']),
        ...(patch.allowPartialPayments !== undefined
          ? { allowPartialPayments: flagOf(patch.allowPartialPayments) }
          : {}),
        issueDate,
        dueDate,
        ...priced.totals,
      },
      event: 'updated',
      description: 'Invoice edited',
    };
  });
  return getInvoice(ctx, scope, invoiceId);
}

/**
 * Only a draft can be deleted (an issued invoice is voided instead). Its time entries become unbilled again
 * and an estimate it was converted from goes back to accepted (or sent), so it can be converted anew.
 */
export async function deleteInvoice(ctx: AppContext, scope: OrgScope, invoiceId: string): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const now = ctx.now().toISOString();
    const row = await lockDocument(trx, INVOICE, scope, invoiceId, now);
    // Released allocations count: a reopened invoice's payment history must keep pointing at it.
    const allocation = await trx
      .selectFrom('paymentAllocations')
      .select('id')
      .where('invoiceId', '=', invoiceId)
      .where('organizationId', '=', scope.organizationId)
      .executeTakeFirst();
    const everPaid = allocation !== undefined || (await onlinePaymentBegun(trx, scope.organizationId, invoiceId));
    if (!canDeleteInvoice({ status: row.status, everPaid })) {
      throw invalidTransition(
        row.status === 'draft'
          ? 'Cannot delete this invoice: payments were once applied or begun online on it.'
          : `Cannot delete this invoice: it is ${row.status.replace('_', ' ')}. Void it instead.`,
      );
    }
    await releaseTimeEntries(trx, scope, invoiceId, now);
    if (row.estimateId) await releaseEstimate(trx, scope, row, now);
    await deleteLines(trx, 'invoiceLines', scope.organizationId, invoiceId);
    await deleteActivityOf(trx, scope.organizationId, 'invoice', invoiceId);
    await trx
      .deleteFrom('invoices')
      .where('id', '=', invoiceId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
  });
}

/**
 * Whether a client ever began paying the invoice online (Pay Now or autopay): the attempt's record keeps pointing at
 * it, whatever came of it, so the invoice counts as once paid and is never deleted. Deleting it failed on the
 * attempt's foreign key with a 500 (found by test/api/openapi-fuzz.test.ts).
 */
async function onlinePaymentBegun(db: Kysely<Database>, organizationId: string, invoiceId: string): Promise<boolean> {
  const attempt = await db
    .selectFrom('paymentAttemptAllocations')
    .select('id')
    .where('invoiceId', '=', invoiceId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  return attempt !== undefined;
}

/** The estimate of a deleted draft invoice returns to what it was before converting: accepted if decided, else sent. */
async function releaseEstimate(trx: Trx, scope: OrgScope, invoice: InvoiceRow, now: string) {
  if (!invoice.estimateId) return;
  const estimate = await trx
    .selectFrom('estimates')
    .select(['id', 'decidedAt'])
    .where('id', '=', invoice.estimateId)
    .where('organizationId', '=', scope.organizationId)
    .where('status', '=', 'invoiced')
    .executeTakeFirst();
  if (!estimate) return;
  const status = estimate.decidedAt === null ? 'sent' : 'accepted';
  await trx
    .updateTable('estimates')
    .set({ status, invoiceId: null, updatedAt: now })
    .where('id', '=', estimate.id)
    .where('organizationId', '=', scope.organizationId)
    .execute();
  await recordHistory(trx, {
    organizationId: scope.organizationId,
    subjectType: 'estimate',
    subjectId: estimate.id,
    event: 'invoice_deleted',
    description: `Invoice ${invoice.number} was deleted; the estimate is ${status} again`,
    ...actorOf(scope),
    createdAt: now,
  });
}

/** draft → sent; then the money-derived status (an invoice already past due is overdue at once). */
async function issueInvoice(ctx: AppContext, scope: OrgScope, invoiceId: string, description: string) {
  await changeDocument(ctx, byBusiness(scope), INVOICE, invoiceId, 'send', async ({ now }) => ({
    set: { sentAt: now },
    event: 'sent',
    description,
  }));
}

/** Marks a draft invoice as sent without e-mailing anyone (it was delivered some other way). */
export async function markInvoiceSent(ctx: AppContext, scope: OrgScope, invoiceId: string): Promise<InvoiceDetail> {
  await issueInvoice(ctx, scope, invoiceId, 'Invoice marked as sent');
  return getInvoice(ctx, scope, invoiceId);
}

/**
 * Sends an invoice: a draft is marked sent, then e-mailed (PDF attached, with its link in the client portal) to
 * the customer's contact persons through the outbox; an invoice still owed is e-mailed again (a reminder, a lost
 * e-mail) and keeps its status.
 */
export async function sendInvoice(ctx: AppContext, scope: OrgScope, invoiceId: string): Promise<InvoiceDetail> {
  const recipients = await sentDocumentRecipients(ctx, scope, 'invoice', invoiceId);
  // An organization that attaches e-invoices sends none without: a detail still missing refuses the sending (422,
  // nothing changed) rather than e-mail an invoice without the e-invoice its customer expects.
  const eInvoiceFormat = await eInvoiceAttachmentFormat(ctx, scope.organizationId);
  if (eInvoiceFormat) await checkEInvoice(ctx, scope.organizationId, invoiceId);
  const current = await ctx.db.kysely
    .selectFrom('invoices')
    .select('status')
    .where('id', '=', invoiceId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!current) throw notFound('invoice');
  if (canSendInvoiceAgain(current.status)) {
    await recordSentAgain(ctx, scope, 'invoice', invoiceId, recipients);
  } else {
    await issueInvoice(ctx, scope, invoiceId, sentDescription('Invoice', recipients));
  }
  const eInvoice =
    eInvoiceFormat && recipients.some((person) => person.email)
      ? await eInvoiceFile(ctx, scope.organizationId, invoiceId, eInvoiceFormat)
      : undefined;
  await emailSentDocument(ctx, scope, 'invoice', invoiceId, recipients, eInvoice);
  return getInvoice(ctx, scope, invoiceId);
}

/** Time entries billed by an invoice that is voided or deleted become unbilled again. */
async function releaseTimeEntries(trx: Trx, scope: OrgScope, invoiceId: string, now: string) {
  // Time invoiced before its project required approval asks the client now (docs/time-approval.md).
  await trx
    .updateTable('timeEntries')
    .set({ approval: 'awaiting_approval' })
    .where('invoiceId', '=', invoiceId)
    .where('organizationId', '=', scope.organizationId)
    .where('approval', 'is', null)
    .where('projectId', 'in', (eb) =>
      eb
        .selectFrom('projects')
        .select('id')
        .where('organizationId', '=', scope.organizationId)
        .where('requireTimeApproval', '=', 1),
    )
    .execute();
  await trx
    .updateTable('timeEntries')
    .set({ status: 'unbilled', invoiceId: null, updatedAt: now })
    .where('invoiceId', '=', invoiceId)
    .where('organizationId', '=', scope.organizationId)
    .execute();
}

/**
 * Releases every live allocation on the invoice: marks it released and adds its amount back to its payment's
 * unapplied credit. Returns the amount released.
 */
async function releaseAllocations(trx: Trx, scope: OrgScope, invoiceId: string, now: string): Promise<number> {
  const live = await trx
    .selectFrom('paymentAllocations')
    .select(['id', 'paymentId', 'amount'])
    .where('invoiceId', '=', invoiceId)
    .where('organizationId', '=', scope.organizationId)
    .where('releasedAt', 'is', null)
    .execute();
  const byPayment = new Map<string, number>();
  for (const allocation of live) {
    byPayment.set(allocation.paymentId, (byPayment.get(allocation.paymentId) ?? 0) + allocation.amount);
  }
  if (live.length > 0) {
    await trx
      .updateTable('paymentAllocations')
      .set({ releasedAt: now })
      .where(
        'id',
        'in',
        live.map((allocation) => allocation.id),
      )
      .where('organizationId', '=', scope.organizationId)
      .execute();
  }
  for (const [paymentId, amount] of byPayment) {
    await trx
      .updateTable('customerPayments')
      .set((eb) => ({ unapplied: eb('unapplied', '+', amount), updatedAt: now }))
      .where('id', '=', paymentId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
  }
  return live.reduce((sum, allocation) => sum + allocation.amount, 0);
}

/**
 * Voids an issued invoice in one transaction: every live allocation is released (its amount goes back to the
 * payment's unapplied credit), any write-off is cancelled, and the invoice shows a balance of 0 — a void invoice
 * is owed by no one and is left out of statements.
 */
export async function voidInvoice(ctx: AppContext, scope: OrgScope, invoiceId: string): Promise<InvoiceDetail> {
  await changeDocument(ctx, byBusiness(scope), INVOICE, invoiceId, 'void', async ({ trx, row, now }) => {
    const released = await releaseAllocations(trx, scope, invoiceId, now);
    // The time it billed can be billed again (a voided invoice bills nothing).
    await releaseTimeEntries(trx, scope, invoiceId, now);
    return {
      // Re-deriving the money afterwards finds nothing applied and, the invoice being void, a balance of 0.
      set: { voidedAt: now, writtenOff: 0, writtenOffOn: null },
      event: 'voided',
      description:
        released > 0
          ? `Invoice voided; ${formatMoneyPlain(released, row.currency)} ${row.currency} released to the customer's credit`
          : 'Invoice voided',
    };
  });
  return getInvoice(ctx, scope, invoiceId);
}

/** void → draft: the invoice can be edited and sent again; its balance is its total once more. */
export async function reopenInvoice(ctx: AppContext, scope: OrgScope, invoiceId: string): Promise<InvoiceDetail> {
  await changeDocument(ctx, byBusiness(scope), INVOICE, invoiceId, 'reopen', async () => ({
    set: { voidedAt: null, sentAt: null },
    event: 'reopened',
    description: 'Void invoice reopened as a draft',
  }));
  return getInvoice(ctx, scope, invoiceId);
}

/**
 * Writes off what is left to pay (or part of it), dated today. One write-off per invoice: to change it,
 * cancel it and write off again.
 */
export async function writeOffInvoice(
  ctx: AppContext,
  scope: OrgScope,
  invoiceId: string,
  input: Static<typeof WriteOffInput>,
): Promise<InvoiceDetail> {
  await changeDocument(ctx, byBusiness(scope), INVOICE, invoiceId, null, async ({ trx, row }) => {
    if (!canWriteOff(row)) {
      throw invalidTransition(
        row.writtenOff > 0
          ? 'Cannot write off this invoice: it already has a write-off. Cancel it first.'
          : `Cannot write off this invoice: it is ${row.status.replace('_', ' ')}.`,
      );
    }
    const amount = input.amount ?? row.balance;
    if (amount > row.balance) throw invalid('/amount', 'Cannot write off more than the balance due.');
    return {
      set: { writtenOff: amount, writtenOffOn: await organizationToday(ctx, scope.organizationId, trx) },
      event: 'written_off',
      description: `${formatMoneyPlain(amount, row.currency)} ${row.currency} written off`,
    };
  });
  return getInvoice(ctx, scope, invoiceId);
}

export async function cancelWriteOff(ctx: AppContext, scope: OrgScope, invoiceId: string): Promise<InvoiceDetail> {
  await changeDocument(ctx, byBusiness(scope), INVOICE, invoiceId, null, async ({ row }) => {
    if (row.writtenOff === 0) throw invalidTransition('This invoice has no write-off to cancel.');
    return {
      set: { writtenOff: 0, writtenOffOn: null },
      event: 'write_off_cancelled',
      description: `Write-off of ${formatMoneyPlain(row.writtenOff, row.currency)} ${row.currency} cancelled`,
    };
  });
  return getInvoice(ctx, scope, invoiceId);
}
