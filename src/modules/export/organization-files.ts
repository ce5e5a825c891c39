import type { Kysely } from 'kysely';
import type { OrgScope } from '../../auth/scopes.js';
import type { Database } from '../../db/schema.js';
import { csvFile, csvFileOfLines, type ExportFile, flag, money, number, text } from './csv-file.js';
import { LINE_SELECTION, lineColumns } from './document-lines.js';
import { retainerLinesOf } from './retainer-lines.js';

/**
 * The organization's files: one CSV per table, every query naming the scope's organization. Secrets never leave:
 * no password hashes, tokens, API keys, gateway credentials or card tokens. The columns are documented in
 * docs/export.md; a change to them raises EXPORT_SCHEMA_VERSION.
 */

export function organizationFiles(db: Kysely<Database>, scope: OrgScope): ExportFile[] {
  const organizationId = scope.organizationId;
  return [
    csvFile(
      'customers.csv',
      db.selectFrom('customers as c').selectAll('c').where('c.organizationId', '=', organizationId),
      'c.id',
      [
        text('id', (r) => r.id),
        text('display_name', (r) => r.displayName),
        text('company_name', (r) => r.companyName),
        text('email', (r) => r.email),
        text('phone', (r) => r.phone),
        text('website', (r) => r.website),
        text('currency', (r) => r.currency),
        number('payment_terms_days', (r) => r.paymentTermsDays),
        text('billing_address', (r) => r.billingAddress),
        text('shipping_address', (r) => r.shippingAddress),
        money(
          'opening_balance',
          (r) => r.openingBalance,
          (r) => r.currency,
        ),
        text('notes', (r) => r.notes),
        text('created_at', (r) => r.createdAt),
        text('updated_at', (r) => r.updatedAt),
        text('deleted_at', (r) => r.deletedAt),
      ],
    ),
    csvFile(
      'contact_persons.csv',
      db
        .selectFrom('contactPersons as p')
        .select([
          'p.id',
          'p.customerId',
          'p.salutation',
          'p.firstName',
          'p.lastName',
          'p.email',
          'p.phone',
          'p.mobile',
          'p.designation',
          'p.isPrimary',
          'p.portalStatus',
          'p.portalInvitedAt',
          'p.portalActivatedAt',
          'p.portalDisabledAt',
          'p.lastLoginAt',
          'p.createdAt',
          'p.updatedAt',
          'p.deletedAt',
        ])
        .where('p.organizationId', '=', organizationId),
      'p.id',
      [
        text('id', (r) => r.id),
        text('customer_id', (r) => r.customerId),
        text('salutation', (r) => r.salutation),
        text('first_name', (r) => r.firstName),
        text('last_name', (r) => r.lastName),
        text('email', (r) => r.email),
        text('phone', (r) => r.phone),
        text('mobile', (r) => r.mobile),
        text('designation', (r) => r.designation),
        flag('is_primary', (r) => r.isPrimary),
        text('portal_status', (r) => r.portalStatus),
        text('portal_invited_at', (r) => r.portalInvitedAt),
        text('portal_activated_at', (r) => r.portalActivatedAt),
        text('portal_disabled_at', (r) => r.portalDisabledAt),
        text('last_login_at', (r) => r.lastLoginAt),
        text('created_at', (r) => r.createdAt),
        text('updated_at', (r) => r.updatedAt),
        text('deleted_at', (r) => r.deletedAt),
      ],
    ),
    csvFile(
      'estimates.csv',
      db.selectFrom('estimates as e').selectAll('e').where('e.organizationId', '=', organizationId),
      'e.id',
      [
        text('id', (r) => r.id),
        text('number', (r) => r.number),
        text('customer_id', (r) => r.customerId),
        text('status', (r) => r.status),
        text('issue_date', (r) => r.issueDate),
        text('expiry_date', (r) => r.expiryDate),
        text('reference', (r) => r.reference),
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
        text('sent_at', (r) => r.sentAt),
        text('viewed_at', (r) => r.viewedAt),
        text('decided_at', (r) => r.decidedAt),
        text('decline_reason', (r) => r.declineReason),
        text('signature_name', (r) => r.signatureName),
        text('revised_at', (r) => r.revisedAt),
        text('invoice_id', (r) => r.invoiceId),
        text('created_at', (r) => r.createdAt),
        text('updated_at', (r) => r.updatedAt),
      ],
    ),
    csvFile(
      'estimate_lines.csv',
      db
        .selectFrom('estimateLines as l')
        .innerJoin('estimates as d', 'd.id', 'l.documentId')
        .select(LINE_SELECTION)
        .where('l.organizationId', '=', organizationId)
        .where('d.organizationId', '=', organizationId),
      'l.id',
      lineColumns('estimate', { lineIds: true }),
    ),
    csvFile(
      'invoices.csv',
      db.selectFrom('invoices as i').selectAll('i').where('i.organizationId', '=', organizationId),
      'i.id',
      [
        text('id', (r) => r.id),
        text('number', (r) => r.number),
        text('customer_id', (r) => r.customerId),
        text('status', (r) => r.status),
        text('issue_date', (r) => r.issueDate),
        text('due_date', (r) => r.dueDate),
        text('reference', (r) => r.reference),
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
        text('written_off_on', (r) => r.writtenOffOn),
        money(
          'balance',
          (r) => r.balance,
          (r) => r.currency,
        ),
        text('notes', (r) => r.notes),
        text('terms', (r) => r.terms),
        text('estimate_id', (r) => r.estimateId),
        text('recurring_profile_id', (r) => r.recurringProfileId),
        text('sent_at', (r) => r.sentAt),
        text('viewed_at', (r) => r.viewedAt),
        text('voided_at', (r) => r.voidedAt),
        text('created_at', (r) => r.createdAt),
        text('updated_at', (r) => r.updatedAt),
      ],
    ),
    csvFile(
      'invoice_lines.csv',
      db
        .selectFrom('invoiceLines as l')
        .innerJoin('invoices as d', 'd.id', 'l.documentId')
        .select(LINE_SELECTION)
        .where('l.organizationId', '=', organizationId)
        .where('d.organizationId', '=', organizationId),
      'l.id',
      lineColumns('invoice', { lineIds: true }),
    ),
    csvFile(
      'retainer_invoices.csv',
      db.selectFrom('retainerInvoices as r').selectAll('r').where('r.organizationId', '=', organizationId),
      'r.id',
      [
        text('id', (r) => r.id),
        text('number', (r) => r.number),
        text('customer_id', (r) => r.customerId),
        text('project_id', (r) => r.projectId),
        text('status', (r) => r.status),
        text('issue_date', (r) => r.issueDate),
        text('reference', (r) => r.reference),
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
        text('sent_at', (r) => r.sentAt),
        text('viewed_at', (r) => r.viewedAt),
        text('voided_at', (r) => r.voidedAt),
        text('created_at', (r) => r.createdAt),
        text('updated_at', (r) => r.updatedAt),
      ],
    ),
    csvFileOfLines(
      'retainer_invoice_lines.csv',
      db
        .selectFrom('retainerInvoices as r')
        .select(['r.id', 'r.number', 'r.currency', 'r.lines'])
        .where('r.organizationId', '=', organizationId),
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
      db.selectFrom('customerPayments as p').selectAll('p').where('p.organizationId', '=', organizationId),
      'p.id',
      [
        text('id', (r) => r.id),
        text('number', (r) => r.number),
        text('customer_id', (r) => r.customerId),
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
        text('notes', (r) => r.notes),
        text('source', (r) => r.source),
        text('retainer_invoice_id', (r) => r.retainerInvoiceId),
        text('paid_by_contact_person_id', (r) => r.paidByContactPersonId),
        text('recorded_by_user_id', (r) => r.recordedByUserId),
        flag('test_mode', (r) => r.testMode),
        text('created_at', (r) => r.createdAt),
        text('updated_at', (r) => r.updatedAt),
      ],
    ),
    csvFile(
      'payment_allocations.csv',
      db
        .selectFrom('paymentAllocations as a')
        .innerJoin('customerPayments as p', 'p.id', 'a.paymentId')
        .select([
          'a.id',
          'a.paymentId',
          'a.invoiceId',
          'a.kind',
          'p.currency',
          'a.amount',
          'a.appliedOn',
          'a.releasedAt',
          'a.createdAt',
        ])
        .where('a.organizationId', '=', organizationId)
        .where('p.organizationId', '=', organizationId),
      'a.id',
      [
        text('id', (r) => r.id),
        text('payment_id', (r) => r.paymentId),
        text('invoice_id', (r) => r.invoiceId),
        text('kind', (r) => r.kind),
        text('currency', (r) => r.currency),
        money(
          'amount',
          (r) => r.amount,
          (r) => r.currency,
        ),
        text('applied_on', (r) => r.appliedOn),
        text('released_at', (r) => r.releasedAt),
        text('created_at', (r) => r.createdAt),
      ],
    ),
    csvFile(
      'projects.csv',
      db.selectFrom('projects as p').selectAll('p').where('p.organizationId', '=', organizationId),
      'p.id',
      [
        text('id', (r) => r.id),
        text('customer_id', (r) => r.customerId),
        text('name', (r) => r.name),
        text('description', (r) => r.description),
        text('billing_method', (r) => r.billingMethod),
        text('currency', (r) => r.currency),
        money(
          'rate',
          (r) => r.rate,
          (r) => r.currency,
        ),
        text('status', (r) => r.status),
        flag('require_time_approval', (r) => r.requireTimeApproval),
        text('created_at', (r) => r.createdAt),
        text('updated_at', (r) => r.updatedAt),
      ],
    ),
    csvFile(
      'project_tasks.csv',
      db
        .selectFrom('projectTasks as t')
        .innerJoin('projects as p', 'p.id', 't.projectId')
        .selectAll('t')
        .select('p.currency')
        .where('t.organizationId', '=', organizationId)
        .where('p.organizationId', '=', organizationId),
      't.id',
      [
        text('id', (r) => r.id),
        text('project_id', (r) => r.projectId),
        text('name', (r) => r.name),
        text('description', (r) => r.description),
        text('currency', (r) => r.currency),
        money(
          'rate',
          (r) => r.rate,
          (r) => r.currency,
        ),
        flag('billable', (r) => r.billable),
        text('created_at', (r) => r.createdAt),
        text('updated_at', (r) => r.updatedAt),
      ],
    ),
    csvFile(
      'time_entries.csv',
      db.selectFrom('timeEntries as t').selectAll('t').where('t.organizationId', '=', organizationId),
      't.id',
      [
        text('id', (r) => r.id),
        text('project_id', (r) => r.projectId),
        text('task_id', (r) => r.taskId),
        text('user_id', (r) => r.userId),
        text('entry_date', (r) => r.entryDate),
        number('minutes', (r) => r.minutes),
        text('notes', (r) => r.notes),
        text('status', (r) => r.status),
        text('invoice_id', (r) => r.invoiceId),
        text('approval', (r) => r.approval),
        text('approved_at', (r) => r.approvedAt),
        text('approved_by_contact_person_id', (r) => r.approvedByContactPersonId),
        text('created_at', (r) => r.createdAt),
        text('updated_at', (r) => r.updatedAt),
      ],
    ),
    csvFile(
      'comments.csv',
      db.selectFrom('comments as c').selectAll('c').where('c.organizationId', '=', organizationId),
      'c.id',
      [
        text('id', (r) => r.id),
        text('subject_type', (r) => r.subjectType),
        text('subject_id', (r) => r.subjectId),
        text('author_type', (r) => r.authorType),
        text('user_id', (r) => r.userId),
        text('contact_person_id', (r) => r.contactPersonId),
        text('text', (r) => r.text),
        flag('shown_in_portal', (r) => r.shownInPortal),
        text('time_entry_id', (r) => r.timeEntryId),
        text('created_at', (r) => r.createdAt),
        text('deleted_at', (r) => r.deletedAt),
      ],
    ),
    csvFile(
      'quote_requests.csv',
      db.selectFrom('quoteRequests as q').selectAll('q').where('q.organizationId', '=', organizationId),
      'q.id',
      [
        text('id', (r) => r.id),
        text('customer_id', (r) => r.customerId),
        text('contact_person_id', (r) => r.contactPersonId),
        text('description', (r) => r.description),
        text('details', (r) => r.details),
        text('status', (r) => r.status),
        text('estimate_id', (r) => r.estimateId),
        text('closed_at', (r) => r.closedAt),
        text('closed_by_user_id', (r) => r.closedByUserId),
        text('created_at', (r) => r.createdAt),
        text('updated_at', (r) => r.updatedAt),
      ],
    ),
    csvFile(
      'audit_log.csv',
      db.selectFrom('auditLog as a').selectAll('a').where('a.organizationId', '=', organizationId),
      'a.id',
      [
        text('id', (r) => r.id),
        text('event', (r) => r.event),
        text('actor_type', (r) => r.actorType),
        text('actor_id', (r) => r.actorId),
        text('contact_person_id', (r) => r.contactPersonId),
        text('ip', (r) => r.ip),
        text('user_agent', (r) => r.userAgent),
        text('details', (r) => r.details),
        text('created_at', (r) => r.createdAt),
      ],
    ),
  ];
}
