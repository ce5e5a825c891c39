import type { Kysely } from 'kysely';
import type { PortalScope } from '../../auth/scopes.js';
import type { Database } from '../../db/schema.js';
import { visibleToCustomer } from '../documents/index.js';
import {
  csvFile,
  csvFileOfLines,
  type ExportFile,
  flag,
  LINE_SELECTION,
  lineColumns,
  money,
  number,
  retainerLinesOf,
  text,
} from '../export/index.js';

/**
 * What a contact person takes out of the portal: their customer's documents as the portal shows them (never a
 * draft: `visibleToCustomer`), their payments, their own comments and requests for a quote. No business-internal field is selected: no
 * customer notes, payment notes, user ids, line or tax ids, IP addresses, viewing or recording details. Their
 * profile (profile.json) is written by the service. Columns: docs/export.md.
 */

export function myFiles(db: Kysely<Database>, scope: PortalScope): ExportFile[] {
  return [
    csvFile(
      'estimates.csv',
      db
        .selectFrom('estimates as e')
        .select([
          'e.id',
          'e.number',
          'e.reference',
          'e.status',
          'e.issueDate',
          'e.expiryDate',
          'e.subject',
          'e.currency',
          'e.subtotal',
          'e.discountTotal',
          'e.taxTotal',
          'e.shipping',
          'e.adjustment',
          'e.adjustmentLabel',
          'e.total',
          'e.notes',
          'e.terms',
          'e.decidedAt',
          'e.signatureName',
          'e.declineReason',
        ])
        .where(visibleToCustomer(scope, 'e')),
      'e.id',
      [
        text('id', (r) => r.id),
        text('number', (r) => r.number),
        text('reference', (r) => r.reference),
        text('status', (r) => r.status),
        text('issue_date', (r) => r.issueDate),
        text('expiry_date', (r) => r.expiryDate),
        text('subject', (r) => r.subject),
        text('currency', (r) => r.currency),
        money(
          'subtotal',
          (r) => r.subtotal,
          (r) => r.currency,
        ),
        money(
          'discount_total',
          (r) => r.discountTotal,
          (r) => r.currency,
        ),
        money(
          'tax_total',
          (r) => r.taxTotal,
          (r) => r.currency,
        ),
        money(
          'shipping',
          (r) => r.shipping,
          (r) => r.currency,
        ),
        money(
          'adjustment',
          (r) => r.adjustment,
          (r) => r.currency,
        ),
        text('adjustment_label', (r) => r.adjustmentLabel),
        money(
          'total',
          (r) => r.total,
          (r) => r.currency,
        ),
        text('notes', (r) => r.notes),
        text('terms', (r) => r.terms),
        text('decided_at', (r) => r.decidedAt),
        text('signature_name', (r) => r.signatureName),
        text('decline_reason', (r) => r.declineReason),
      ],
    ),
    csvFile(
      'estimate_lines.csv',
      db
        .selectFrom('estimateLines as l')
        .innerJoin('estimates as d', 'd.id', 'l.documentId')
        .select(LINE_SELECTION)
        .where('l.organizationId', '=', scope.organizationId)
        .where(visibleToCustomer(scope, 'd')),
      'l.id',
      lineColumns('estimate', { lineIds: false }),
    ),
    csvFile(
      'invoices.csv',
      db
        .selectFrom('invoices as i')
        .select([
          'i.id',
          'i.number',
          'i.reference',
          'i.status',
          'i.issueDate',
          'i.dueDate',
          'i.subject',
          'i.currency',
          'i.subtotal',
          'i.discountTotal',
          'i.taxTotal',
          'i.shipping',
          'i.adjustment',
          'i.adjustmentLabel',
          'i.total',
          'i.paymentsApplied',
          'i.creditsApplied',
          'i.writtenOff',
          'i.balance',
          'i.notes',
          'i.terms',
        ])
        .where(visibleToCustomer(scope, 'i')),
      'i.id',
      [
        text('id', (r) => r.id),
        text('number', (r) => r.number),
        text('reference', (r) => r.reference),
        text('status', (r) => r.status),
        text('issue_date', (r) => r.issueDate),
        text('due_date', (r) => r.dueDate),
        text('subject', (r) => r.subject),
        text('currency', (r) => r.currency),
        money(
          'subtotal',
          (r) => r.subtotal,
          (r) => r.currency,
        ),
        money(
          'discount_total',
          (r) => r.discountTotal,
          (r) => r.currency,
        ),
        money(
          'tax_total',
          (r) => r.taxTotal,
          (r) => r.currency,
        ),
        money(
          'shipping',
          (r) => r.shipping,
          (r) => r.currency,
        ),
        money(
          'adjustment',
          (r) => r.adjustment,
          (r) => r.currency,
        ),
        text('adjustment_label', (r) => r.adjustmentLabel),
        money(
          'total',
          (r) => r.total,
          (r) => r.currency,
        ),
        money(
          'payments_applied',
          (r) => r.paymentsApplied,
          (r) => r.currency,
        ),
        money(
          'credits_applied',
          (r) => r.creditsApplied,
          (r) => r.currency,
        ),
        money(
          'written_off',
          (r) => r.writtenOff,
          (r) => r.currency,
        ),
        money(
          'balance',
          (r) => r.balance,
          (r) => r.currency,
        ),
        text('notes', (r) => r.notes),
        text('terms', (r) => r.terms),
      ],
    ),
    csvFile(
      'invoice_lines.csv',
      db
        .selectFrom('invoiceLines as l')
        .innerJoin('invoices as d', 'd.id', 'l.documentId')
        .select(LINE_SELECTION)
        .where('l.organizationId', '=', scope.organizationId)
        .where(visibleToCustomer(scope, 'd')),
      'l.id',
      lineColumns('invoice', { lineIds: false }),
    ),
    csvFile(
      'retainer_invoices.csv',
      db
        .selectFrom('retainerInvoices as r')
        .select([
          'r.id',
          'r.number',
          'r.reference',
          'r.status',
          'r.issueDate',
          'r.currency',
          'r.total',
          'r.amountPaid',
          'r.balance',
          'r.notes',
          'r.terms',
        ])
        .where(visibleToCustomer(scope, 'r')),
      'r.id',
      [
        text('id', (r) => r.id),
        text('number', (r) => r.number),
        text('reference', (r) => r.reference),
        text('status', (r) => r.status),
        text('issue_date', (r) => r.issueDate),
        text('currency', (r) => r.currency),
        money(
          'total',
          (r) => r.total,
          (r) => r.currency,
        ),
        money(
          'amount_paid',
          (r) => r.amountPaid,
          (r) => r.currency,
        ),
        money(
          'balance',
          (r) => r.balance,
          (r) => r.currency,
        ),
        text('notes', (r) => r.notes),
        text('terms', (r) => r.terms),
      ],
    ),
    csvFileOfLines(
      'retainer_invoice_lines.csv',
      db
        .selectFrom('retainerInvoices as r')
        .select(['r.id', 'r.number', 'r.currency', 'r.lines'])
        .where(visibleToCustomer(scope, 'r')),
      'r.id',
      retainerLinesOf,
      [
        text('retainer_invoice_id', (r) => r.id),
        text('retainer_invoice_number', (r) => r.number),
        number('position', (r) => r.position),
        text('description', (r) => r.description),
        text('currency', (r) => r.currency),
        money(
          'amount',
          (r) => r.amount,
          (r) => r.currency,
        ),
      ],
    ),
    csvFile(
      'payments.csv',
      db
        .selectFrom('customerPayments as p')
        .select([
          'p.id',
          'p.number',
          'p.paymentDate',
          'p.currency',
          'p.amount',
          'p.unapplied',
          'p.mode',
          'p.reference',
          'p.retainerInvoiceId',
          'p.testMode',
        ])
        .where('p.organizationId', '=', scope.organizationId)
        .where('p.customerId', '=', scope.customerId),
      'p.id',
      [
        text('id', (r) => r.id),
        text('number', (r) => r.number),
        text('payment_date', (r) => r.paymentDate),
        text('currency', (r) => r.currency),
        money(
          'amount',
          (r) => r.amount,
          (r) => r.currency,
        ),
        money(
          'unapplied',
          (r) => r.unapplied,
          (r) => r.currency,
        ),
        text('mode', (r) => r.mode),
        text('reference', (r) => r.reference),
        text('retainer_invoice_id', (r) => r.retainerInvoiceId),
        flag('test_mode', (r) => r.testMode),
      ],
    ),
    csvFile(
      'comments.csv',
      db
        .selectFrom('comments as c')
        .select(['c.id', 'c.subjectType', 'c.subjectId', 'c.text', 'c.createdAt'])
        .where('c.organizationId', '=', scope.organizationId)
        .where('c.authorType', '=', 'contact_person')
        .where('c.contactPersonId', '=', scope.contactPersonId)
        .where('c.deletedAt', 'is', null),
      'c.id',
      [
        text('id', (r) => r.id),
        text('subject_type', (r) => r.subjectType),
        text('subject_id', (r) => r.subjectId),
        text('text', (r) => r.text),
        text('created_at', (r) => r.createdAt),
      ],
    ),
    csvFile(
      'quote_requests.csv',
      db
        .selectFrom('quoteRequests as q')
        .select(['q.id', 'q.description', 'q.details', 'q.status', 'q.estimateId', 'q.createdAt'])
        .where('q.organizationId', '=', scope.organizationId)
        .where('q.customerId', '=', scope.customerId)
        .where('q.contactPersonId', '=', scope.contactPersonId),
      'q.id',
      [
        text('id', (r) => r.id),
        text('description', (r) => r.description),
        text('details', (r) => r.details),
        text('status', (r) => r.status),
        text('estimate_id', (r) => r.estimateId),
        text('created_at', (r) => r.createdAt),
      ],
    ),
  ];
}
