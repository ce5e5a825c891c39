import type { Selectable } from 'kysely';
import type { Static } from 'typebox';
import { countClientAction } from '../../auth/action-limits.js';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import type { Placeholders } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { decideEstimate } from '../../domain/estimate-states.js';
import { UNPAID_INVOICE_STATUSES } from '../../domain/invoice-states.js';
import { listPage, preparedList } from '../../http/pagination.js';
import { recordHistory } from '../activity/index.js';
import { recordAudit } from '../audit/index.js';
import {
  byClient,
  byIssueDate,
  changeDocument,
  type LineRow,
  linesOf,
  pendingPaymentsOn,
  presentForClient,
  presentPricing,
  type TotalsColumns,
  visibleToCustomer,
} from '../documents/index.js';
import { ESTIMATE } from '../estimates/index.js';
import { organizationToday } from '../organization/index.js';
import { notifyBusinessOfPortalActivity } from '../portal-notifications/index.js';
import { documentParties } from './parties.js';
import type {
  PortalEstimate,
  PortalEstimateListQuery,
  PortalEstimateSummary,
  PortalInvoice,
  PortalInvoiceListQuery,
  PortalInvoiceSummary,
  RequestEstimateChangesInput,
} from './schemas.js';

/**
 * The client's estimates and invoices. Every query names both the organization and the customer of the
 * PortalScope, and drafts are excluded everywhere: a draft, another customer's document and an unknown id all
 * answer the same 404.
 */

type EstimateRow = Selectable<Database['estimates']>;
type InvoiceRow = Selectable<Database['invoices']>;
type PortalEstimateStatus = Static<typeof PortalEstimateSummary>['status'];
type PortalInvoiceStatus = Static<typeof PortalInvoiceSummary>['status'];

const ESTIMATE_FILTERS: Record<string, PortalEstimateStatus[]> = {
  awaiting: ['sent'],
  accepted: ['accepted'],
  declined: ['declined'],
  invoiced: ['invoiced'],
  expired: ['expired'],
};

const INVOICE_FILTERS: Record<string, readonly string[]> = {
  unpaid: UNPAID_INVOICE_STATUSES,
  overdue: ['overdue'],
  partially_paid: ['partially_paid'],
  paid: ['paid'],
  void: ['void'],
};

/** Lines and totals without the internal ids (line ids, tax ids) and the business's rounding setting. */
function presentPortalPricing(row: TotalsColumns, lineRows: readonly LineRow[]) {
  const pricing = presentPricing(row, lineRows);
  return {
    lines: pricing.lines.map((line) => ({
      name: line.name,
      description: line.description,
      quantity: line.quantity,
      unit: line.unit,
      rate: line.rate,
      discount: line.discount,
      taxName: line.taxName,
      taxRate: line.taxRate,
      amount: line.amount,
      discountAmount: line.discountAmount,
      net: line.net,
      tax: line.tax,
    })),
    discount: pricing.discount,
    discountBeforeTax: pricing.discountBeforeTax,
    subtotal: pricing.subtotal,
    discountTotal: pricing.discountTotal,
    taxes: pricing.taxes,
    taxTotal: pricing.taxTotal,
    shipping: pricing.shipping,
    adjustment: pricing.adjustment,
    adjustmentLabel: pricing.adjustmentLabel,
    total: pricing.total,
  };
}

function presentEstimateSummary(row: EstimateRow): Static<typeof PortalEstimateSummary> {
  return {
    id: row.id,
    number: row.number,
    reference: row.reference,
    // Drafts are filtered out by every query of this module.
    status: row.status as PortalEstimateStatus,
    issueDate: row.issueDate,
    expiryDate: row.expiryDate,
    currency: row.currency,
    total: row.total,
    decidedAt: row.decidedAt,
  };
}

/** The columns a list row needs: the list reads these only, not the wide invoice row. */
const INVOICE_SUMMARY_COLUMNS = [
  'id',
  'number',
  'reference',
  'status',
  'issueDate',
  'dueDate',
  'currency',
  'total',
  'balance',
] as const;

function presentInvoiceSummary(
  row: Pick<InvoiceRow, (typeof INVOICE_SUMMARY_COLUMNS)[number]>,
): Static<typeof PortalInvoiceSummary> {
  return {
    id: row.id,
    number: row.number,
    reference: row.reference,
    status: row.status as PortalInvoiceStatus,
    issueDate: row.issueDate,
    dueDate: row.dueDate,
    currency: row.currency,
    total: row.total,
    balance: row.balance,
  };
}

export async function listPortalEstimates(
  ctx: AppContext,
  scope: PortalScope,
  query: Static<typeof PortalEstimateListQuery>,
) {
  let select = ctx.db.kysely.selectFrom('estimates as e').selectAll('e').where(visibleToCustomer(scope, 'e'));
  const statuses = query.status ? ESTIMATE_FILTERS[query.status] : undefined;
  if (statuses) select = select.where('e.status', 'in', statuses);
  return listPage(select, byIssueDate('e'), query, presentEstimateSummary);
}

async function findEstimate(ctx: AppContext, scope: PortalScope, estimateId: string): Promise<EstimateRow> {
  const row = await ctx.db.kysely
    .selectFrom('estimates')
    .selectAll()
    .where('id', '=', estimateId)
    .where(visibleToCustomer(scope))
    .executeTakeFirst();
  if (!row) throw notFound('estimate');
  return row;
}

async function presentEstimate(ctx: AppContext, scope: PortalScope, row: EstimateRow) {
  const lines = await linesOf(ctx.db.kysely, 'estimateLines', scope.organizationId, row.id);
  return {
    ...presentEstimateSummary(row),
    ...(await documentParties(ctx, scope)),
    ...presentPortalPricing(row, lines),
    subject: row.subject,
    notes: row.notes,
    terms: row.terms,
    signatureName: row.signatureName,
    declineReason: row.declineReason,
    revisedAt: row.revisedAt,
    changeRequest:
      row.status === 'changes_requested' && row.changesRequestedAt !== null
        ? { message: row.changeRequestMessage ?? '', requestedAt: row.changesRequestedAt }
        : null,
  };
}

const VIEWED_KINDS = {
  estimates: { kind: 'estimate', description: 'Estimate viewed in the portal' },
  invoices: { kind: 'invoice', description: 'Invoice viewed in the portal' },
  retainerInvoices: { kind: 'retainer_invoice', description: 'Retainer invoice viewed in the portal' },
} as const;

/**
 * The first open by a contact person marks the document viewed: one conditional UPDATE, so of two tabs opening
 * it at once only one records the view (and its history entry). The status never changes.
 */
export async function markViewed(
  ctx: AppContext,
  scope: PortalScope,
  table: 'estimates' | 'invoices' | 'retainerInvoices',
  documentId: string,
  ip: string,
) {
  const kind = VIEWED_KINDS[table];
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable(table)
      .set({ viewedAt: now, viewedByContactPersonId: scope.contactPersonId })
      .where('id', '=', documentId)
      .where('organizationId', '=', scope.organizationId)
      .where('customerId', '=', scope.customerId)
      .where('viewedAt', 'is', null)
      .returning(['number'])
      .executeTakeFirst();
    if (!result) return;
    await recordHistory(trx, {
      organizationId: scope.organizationId,
      subjectType: kind.kind,
      subjectId: documentId,
      event: 'viewed',
      description: kind.description,
      actorType: 'contact_person',
      actorId: scope.contactPersonId,
      ip,
      shownInPortal: false,
      createdAt: now,
    });
    await notifyBusinessOfPortalActivity(trx, ctx, scope, {
      event: 'viewed',
      target: { kind: kind.kind, id: documentId, label: result.number },
    });
  });
}

export async function openPortalEstimate(
  ctx: AppContext,
  scope: PortalScope,
  estimateId: string,
  ip: string,
): Promise<Static<typeof PortalEstimate>> {
  const row = await findEstimate(ctx, scope, estimateId);
  if (row.viewedAt === null) await markViewed(ctx, scope, 'estimates', estimateId, ip);
  return presentEstimate(ctx, scope, row);
}

export type EstimateDecision =
  | { action: 'accept'; signatureName: string | null }
  | { action: 'decline'; reason: string | null };

/**
 * The client's accept or decline. The row is locked first (an UPDATE … RETURNING: a row lock on PostgreSQL,
 * the single writer on SQLite), so of two concurrent decisions the second sees the first's result and is refused.
 */
export async function decidePortalEstimate(
  ctx: AppContext,
  scope: PortalScope,
  estimateId: string,
  decision: EstimateDecision,
  ip: string,
): Promise<Static<typeof PortalEstimate>> {
  const accepted = decision.action === 'accept';
  // No action for the recipe's machine step: `decideEstimate` is the machine's step plus the expiry date's refusal.
  await changeDocument(ctx, byClient(scope, ip), ESTIMATE, estimateId, null, async ({ trx, row, now }) => {
    const today = await organizationToday(ctx, scope.organizationId, trx);
    const status = decideEstimate(row, decision.action, today);
    await notifyBusinessOfPortalActivity(trx, ctx, scope, {
      event: accepted ? 'accepted' : 'declined',
      target: { kind: 'estimate', id: estimateId, label: row.number },
      detail:
        decision.action === 'accept'
          ? decision.signatureName && `Signed as: ${decision.signatureName}`
          : decision.reason && `Reason: ${decision.reason}`,
    });
    return {
      set: {
        status,
        decidedAt: now,
        decidedByContactPersonId: scope.contactPersonId,
        decidedIp: ip,
        signatureName: decision.action === 'accept' ? decision.signatureName : null,
        declineReason: decision.action === 'decline' ? decision.reason : null,
      },
      event: accepted ? 'accepted' : 'declined',
      description: accepted ? 'Accepted by the client' : 'Declined by the client',
    };
  });
  return presentEstimate(ctx, scope, await findEstimate(ctx, scope, estimateId));
}

/**
 * The client's "Request changes" on a sent, unexpired estimate: sent → changes_requested, with their message
 * (docs/requests.md). Locked like a decision, so of two requests (or a request and an accept) at once the second
 * finds the estimate no longer sent and is refused (409); counted against the client's change-request budget in
 * the same transaction, so a refused one writes nothing. The business is notified, and its history shows
 * "Changes requested: <message>".
 */
export async function requestEstimateChanges(
  ctx: AppContext,
  scope: PortalScope,
  estimateId: string,
  input: Static<typeof RequestEstimateChangesInput>,
  ip: string,
): Promise<Static<typeof PortalEstimate>> {
  // The schema requires a non-blank character, so the trimmed message is never empty.
  const message = input.message.trim();
  await changeDocument(ctx, byClient(scope, ip), ESTIMATE, estimateId, null, async ({ trx, row, now }) => {
    const today = await organizationToday(ctx, scope.organizationId, trx);
    const status = decideEstimate(row, 'request_changes', today);
    await countClientAction(ctx, trx, scope, 'changeRequest');
    await notifyBusinessOfPortalActivity(trx, ctx, scope, {
      event: 'changes_requested',
      target: { kind: 'estimate', id: estimateId, label: row.number },
      detail: message,
    });
    await recordAudit(trx, {
      organizationId: scope.organizationId,
      event: 'portal.changes_requested',
      actorType: 'contact_person',
      actorId: scope.contactPersonId,
      contactPersonId: scope.contactPersonId,
      ip,
      details: { estimateId, number: row.number },
      at: now,
    });
    return {
      set: {
        status,
        changesRequestedAt: now,
        changesRequestedByContactPersonId: scope.contactPersonId,
        changeRequestMessage: message,
      },
      event: 'changes_requested',
      description: `Changes requested: ${message}`,
    };
  });
  return presentEstimate(ctx, scope, await findEstimate(ctx, scope, estimateId));
}

/** The client's invoice list, compiled once per shape (`preparedList`): the status filter, whose `in` list is SQL. */
const portalInvoicePage = preparedList(
  (db, args: Placeholders<{ organizationId: string; customerId: string }>, status) => {
    const statuses = status ? INVOICE_FILTERS[status] : undefined;
    return db
      .selectFrom('invoices as i')
      .select(INVOICE_SUMMARY_COLUMNS.map((column) => `i.${column}` as const))
      .where(visibleToCustomer(args, 'i'))
      .$if(statuses !== undefined, (q) => q.where('i.status', 'in', statuses as InvoiceRow['status'][]));
  },
  byIssueDate('i'),
  presentInvoiceSummary,
);

export async function listPortalInvoices(
  ctx: AppContext,
  scope: PortalScope,
  query: Static<typeof PortalInvoiceListQuery>,
) {
  const status = query.status && Object.hasOwn(INVOICE_FILTERS, query.status) ? query.status : '';
  return portalInvoicePage(
    ctx.db,
    { organizationId: scope.organizationId, customerId: scope.customerId },
    status,
    query,
  );
}

export async function openPortalInvoice(
  ctx: AppContext,
  scope: PortalScope,
  invoiceId: string,
  ip: string,
): Promise<Static<typeof PortalInvoice>> {
  const db = ctx.db.kysely;
  const row = await db
    .selectFrom('invoices')
    .selectAll()
    .where('id', '=', invoiceId)
    .where(visibleToCustomer(scope))
    .executeTakeFirst();
  if (!row) throw notFound('invoice');
  if (row.viewedAt === null) await markViewed(ctx, scope, 'invoices', invoiceId, ip);
  const lines = await linesOf(db, 'invoiceLines', scope.organizationId, invoiceId);
  const payments = await db
    .selectFrom('paymentAllocations as a')
    .innerJoin('customerPayments as p', 'p.id', 'a.paymentId')
    .select(['p.number as paymentNumber', 'p.paymentDate as date', 'a.amount'])
    .where('a.invoiceId', '=', invoiceId)
    .where('a.organizationId', '=', scope.organizationId)
    .where('p.organizationId', '=', scope.organizationId)
    .where('p.customerId', '=', scope.customerId)
    .where('a.kind', '=', 'payment')
    .where('a.releasedAt', 'is', null)
    .orderBy('a.appliedOn')
    .orderBy('a.createdAt')
    .orderBy('a.id')
    .execute();
  return {
    ...presentInvoiceSummary(row),
    ...(await documentParties(ctx, scope)),
    ...presentPortalPricing(row, lines),
    subject: row.subject,
    notes: row.notes,
    terms: row.terms,
    paymentsApplied: row.paymentsApplied,
    creditsApplied: row.creditsApplied,
    writtenOff: row.writtenOff,
    allowPartialPayments: row.allowPartialPayments === 1,
    payments,
    pendingPayments: presentForClient(
      await pendingPaymentsOn(db, scope.organizationId, { invoiceId }, ctx.now()),
      scope.contactPersonId,
    ),
  };
}
