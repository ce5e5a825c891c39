/**
 * Invoice and retainer-invoice statuses — PRODUCT.md §5.2.
 *
 * Two kinds of change: explicit actions (send, void, reopen) go through the machine; the money-derived
 * statuses (overdue, partially paid, paid) are never set by hand but recomputed from the balance and the
 * due date by `invoiceStatusFor` after every action, payment, credit, write-off, and each night.
 */
import { type CalendarDate, compareDates } from './dates.js';
import type { StateMachine } from './states.js';

export const INVOICE_STATUSES = ['draft', 'sent', 'overdue', 'partially_paid', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export type InvoiceAction = 'send' | 'void' | 'reopen';

/** The portal's "Unpaid" filter. */
export const UNPAID_INVOICE_STATUSES: readonly InvoiceStatus[] = ['sent', 'overdue', 'partially_paid'];

export const invoiceMachine: StateMachine<InvoiceStatus, InvoiceAction> = {
  subject: 'invoice',
  statuses: INVOICE_STATUSES,
  transitions: {
    send: { draft: 'sent' },
    // Any issued invoice may be voided (its payments are released into customer credit); a draft is
    // deleted instead, never voided.
    void: { sent: 'void', overdue: 'void', partially_paid: 'void', paid: 'void' },
    reopen: { void: 'draft' },
  },
};

export interface InvoiceMoneyState {
  status: InvoiceStatus;
  total: number;
  balance: number;
  /** null: no due date, never overdue. */
  dueDate: CalendarDate | null;
  today: CalendarDate;
}

/**
 * The status an issued invoice should have given its money and dates. Draft and void are never changed
 * by money. Otherwise, in order:
 * - paid when nothing is left to pay (including a zero-total invoice once sent);
 * - overdue when the due date has passed (due today is not yet overdue) and a balance remains — overdue
 *   wins over partially paid, because "late" is what the business must act on;
 * - partially paid when some but not all of it has been paid, credited or written off;
 * - sent otherwise.
 */
export function invoiceStatusFor(invoice: InvoiceMoneyState): InvoiceStatus {
  if (invoice.status === 'draft' || invoice.status === 'void') return invoice.status;
  if (invoice.balance <= 0) return 'paid';
  if (invoice.dueDate !== null && compareDates(invoice.dueDate, invoice.today) < 0) return 'overdue';
  if (invoice.balance < invoice.total) return 'partially_paid';
  return 'sent';
}

export const RETAINER_STATUSES = ['draft', 'sent', 'partially_paid', 'paid', 'void'] as const;
export type RetainerStatus = (typeof RETAINER_STATUSES)[number];
export type RetainerAction = InvoiceAction;

/** Like an invoice, without overdue: a retainer is a request for an advance, not a debt that falls due. */
export const retainerMachine: StateMachine<RetainerStatus, RetainerAction> = {
  subject: 'retainer invoice',
  statuses: RETAINER_STATUSES,
  transitions: {
    send: { draft: 'sent' },
    void: { sent: 'void', partially_paid: 'void', paid: 'void' },
    reopen: { void: 'draft' },
  },
};

/** The money-derived status of a retainer invoice; draft and void are kept. */
export function retainerStatusFor(retainer: {
  status: RetainerStatus;
  total: number;
  balance: number;
}): RetainerStatus {
  if (retainer.status === 'draft' || retainer.status === 'void') return retainer.status;
  if (retainer.balance <= 0) return 'paid';
  if (retainer.balance < retainer.total) return 'partially_paid';
  return 'sent';
}
