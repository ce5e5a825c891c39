import type { Static } from 'typebox';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../domain/errors.js';
import type { RetainerStatus } from '../../domain/invoice-states.js';
import { listPage } from '../../http/pagination.js';
import { byIssueDate, pendingPaymentsOn, presentForClient, visibleToCustomer } from '../documents/index.js';
import { documentParties, markViewed } from '../portal-documents/index.js';
import type { PortalRetainerInvoice, PortalRetainerListQuery, PortalRetainerSummary } from './schemas.js';

/**
 * The client's retainer invoices. Every query names both the organization and the customer of the PortalScope,
 * and drafts are excluded everywhere: a draft, another customer's retainer and an unknown id answer the same 404.
 */

type PortalRetainerStatus = Static<typeof PortalRetainerSummary>['status'];

/** Sent or partially paid: what the portal calls unpaid (a retainer never falls overdue). */
export const UNPAID_RETAINER_STATUSES: readonly RetainerStatus[] = ['sent', 'partially_paid'];

const FILTERS: Record<string, readonly RetainerStatus[]> = {
  unpaid: UNPAID_RETAINER_STATUSES,
  paid: ['paid'],
  void: ['void'],
};

const SUMMARY_COLUMNS = [
  'id',
  'number',
  'reference',
  'status',
  'issueDate',
  'currency',
  'total',
  'amountPaid',
  'balance',
] as const;

interface SummaryRow {
  id: string;
  number: string;
  reference: string | null;
  status: RetainerStatus;
  issueDate: string;
  currency: string;
  total: number;
  amountPaid: number;
  balance: number;
}

function presentSummary(row: SummaryRow): Static<typeof PortalRetainerSummary> {
  return {
    id: row.id,
    number: row.number,
    reference: row.reference,
    // Drafts are filtered out by every query of this module.
    status: row.status as PortalRetainerStatus,
    issueDate: row.issueDate,
    currency: row.currency,
    total: row.total,
    amountPaid: row.amountPaid,
    balance: row.balance,
  };
}

export async function listPortalRetainers(
  ctx: AppContext,
  scope: PortalScope,
  query: Static<typeof PortalRetainerListQuery>,
) {
  let select = ctx.db.kysely
    .selectFrom('retainerInvoices as r')
    .select(SUMMARY_COLUMNS.map((column) => `r.${column}` as const))
    .where(visibleToCustomer(scope, 'r'));
  const statuses = query.status ? FILTERS[query.status] : undefined;
  if (statuses) select = select.where('r.status', 'in', statuses);
  return listPage(select, byIssueDate('r'), query, presentSummary);
}

export async function openPortalRetainer(
  ctx: AppContext,
  scope: PortalScope,
  retainerInvoiceId: string,
  ip: string,
): Promise<Static<typeof PortalRetainerInvoice>> {
  const db = ctx.db.kysely;
  const row = await db
    .selectFrom('retainerInvoices')
    .select([...SUMMARY_COLUMNS, 'lines', 'notes', 'terms', 'viewedAt'])
    .where('id', '=', retainerInvoiceId)
    .where(visibleToCustomer(scope))
    .executeTakeFirst();
  if (!row) throw notFound('retainer invoice');
  if (row.viewedAt === null) await markViewed(ctx, scope, 'retainerInvoices', retainerInvoiceId, ip);
  const payments = await db
    .selectFrom('customerPayments')
    .select(['id', 'number', 'paymentDate as date', 'amount', 'mode', 'reference'])
    .where('organizationId', '=', scope.organizationId)
    .where('customerId', '=', scope.customerId)
    .where('retainerInvoiceId', '=', retainerInvoiceId)
    .orderBy('paymentDate')
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
  const lines = JSON.parse(row.lines) as Array<{ description: string; amount: number }>;
  return {
    ...presentSummary(row),
    ...(await documentParties(ctx, scope)),
    lines: lines.map((line) => ({ description: line.description, amount: line.amount })),
    notes: row.notes,
    terms: row.terms,
    payments,
    pendingPayments: presentForClient(
      await pendingPaymentsOn(db, scope.organizationId, { retainerInvoiceId }, ctx.now()),
      scope.contactPersonId,
    ),
  };
}
