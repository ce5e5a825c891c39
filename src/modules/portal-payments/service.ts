import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { listPage } from '../../http/pagination.js';
import { contactName } from '../customers/index.js';
import { visibleToCustomer } from '../documents/index.js';
import type { PortalPayment, PortalPaymentListQuery, PortalPaymentSummary } from './schemas.js';

/**
 * The payments the client's customer made. Every query names both the organization and the customer of the
 * PortalScope: another customer's payment and an unknown id answer the same 404.
 */

function selectPayments(db: Kysely<Database>, scope: PortalScope) {
  return (
    db
      .selectFrom('customerPayments as p')
      // Only payments made in the portal name a contact person; the join is on the same organization.
      .leftJoin('contactPersons as cp', (join) =>
        join.onRef('cp.id', '=', 'p.paidByContactPersonId').on('cp.organizationId', '=', scope.organizationId),
      )
      .select([
        'p.id',
        'p.number',
        'p.paymentDate',
        'p.amount',
        'p.currency',
        'p.mode',
        'p.reference',
        'p.unapplied',
        'p.source',
        'p.retainerInvoiceId',
        'p.testMode',
        'cp.firstName as payerFirstName',
        'cp.lastName as payerLastName',
      ])
      .where('p.organizationId', '=', scope.organizationId)
      .where('p.customerId', '=', scope.customerId)
  );
}

type PaymentRow = Awaited<ReturnType<ReturnType<typeof selectPayments>['executeTakeFirstOrThrow']>>;

function presentSummary(row: PaymentRow): Static<typeof PortalPaymentSummary> {
  const paidBy =
    row.source === 'portal' && row.payerFirstName !== null
      ? { name: contactName({ firstName: row.payerFirstName, lastName: row.payerLastName }) }
      : null;
  return {
    id: row.id,
    number: row.number,
    date: row.paymentDate,
    amount: row.amount,
    currency: row.currency,
    mode: row.mode,
    reference: row.reference,
    unapplied: row.unapplied,
    retainerPayment: row.retainerInvoiceId !== null,
    paidBy,
    testMode: row.testMode === 1,
  };
}

export async function listPortalPayments(
  ctx: AppContext,
  scope: PortalScope,
  query: Static<typeof PortalPaymentListQuery>,
) {
  let select = selectPayments(ctx.db.kysely, scope);
  if (query.from) select = select.where('p.paymentDate', '>=', query.from);
  if (query.to) select = select.where('p.paymentDate', '<=', query.to);
  return listPage(
    select,
    { key: 'p.paymentDate', id: 'p.id', direction: 'desc', keyOf: (row) => row.paymentDate },
    query,
    presentSummary,
  );
}

/** The invoices payments were applied to, released applications (voided invoices) left out. */
export function appliedInvoicesOf(
  db: Kysely<Database>,
  scope: Pick<PortalScope, 'organizationId' | 'customerId'>,
  paymentIds: readonly string[],
) {
  return (
    db
      .selectFrom('paymentAllocations as a')
      .innerJoin('invoices as i', 'i.id', 'a.invoiceId')
      .select(['a.paymentId', 'a.invoiceId', 'i.number', 'i.issueDate as date', 'a.amount', 'a.appliedOn'])
      .where('a.organizationId', '=', scope.organizationId)
      .where(visibleToCustomer(scope, 'i'))
      .where('a.paymentId', 'in', paymentIds)
      .where('a.releasedAt', 'is', null)
      // Allocations written together share a timestamp; the invoice number keeps their order stable.
      .orderBy('a.createdAt')
      .orderBy('i.number')
      .orderBy('a.id')
      .execute()
  );
}

export async function getPortalPayment(
  ctx: AppContext,
  scope: PortalScope,
  paymentId: string,
): Promise<Static<typeof PortalPayment>> {
  const db = ctx.db.kysely;
  const row = await selectPayments(db, scope)
    // The retainer is named only when the client can open it (never a draft).
    .leftJoin('retainerInvoices as r', (join) =>
      join.onRef('r.id', '=', 'p.retainerInvoiceId').on(visibleToCustomer(scope, 'r')),
    )
    .select('r.number as retainerNumber')
    .where('p.id', '=', paymentId)
    .executeTakeFirst();
  if (!row) throw notFound('payment');
  const invoices = await appliedInvoicesOf(db, scope, [paymentId]);
  return {
    ...presentSummary(row),
    applied: row.amount - row.unapplied,
    invoices: invoices.map(({ paymentId: _, ...invoice }) => invoice),
    retainerInvoice:
      row.retainerInvoiceId !== null && row.retainerNumber !== null
        ? { id: row.retainerInvoiceId, number: row.retainerNumber }
        : null,
  };
}
