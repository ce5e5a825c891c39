/**
 * Invoice and retainer-invoice statuses — PRODUCT.md §5.2.
 *
 * Two kinds of change: explicit actions (send, void, reopen) go through the machine; the money-derived
 * statuses (overdue, partially paid, paid) are never set by hand but recomputed from the balance and the
 * due date by `invoiceStatusFor` after every action, payment, credit, write-off, and each night.
 */
import { type CalendarDate, compareDates } from './dates.js';
import { availableActions, type StateMachine } from './states.js';

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

/**
 * What the business may do to an invoice, named as the API's verbs: `send` issues a draft (and e-mails it),
 * `mark_sent` issues it without e-mail, `send_again` e-mails one still owed, `record_payment` applies a new
 * payment to it (`POST /payments`).
 */
export const INVOICE_ACTIONS = [
  'send',
  'mark_sent',
  'send_again',
  'edit',
  'delete',
  'void',
  'reopen',
  'record_payment',
  'write_off',
  'cancel_write_off',
] as const;
export type InvoiceBusinessAction = (typeof INVOICE_ACTIONS)[number];

/** What the rules beyond the machine look at. */
export interface InvoiceFacts {
  status: InvoiceStatus;
  paymentsApplied: number;
  creditsApplied: number;
  writtenOff: number;
  /** Money was applied to it at some time, even if voiding released it since, or a client began paying it online. */
  everPaid: boolean;
}

/** Still owed: the invoices that are e-mailed again, receive payments and credit, and may be written off. */
const isOwed = (status: InvoiceStatus): boolean => UNPAID_INVOICE_STATUSES.includes(status);

/**
 * Drafts may be edited, and so may issued invoices nothing has been paid, credited or written off on yet (sent,
 * or overdue — extending the due date is the usual edit): once money is applied, the invoice is what was paid.
 */
export const canEditInvoice = (invoice: Omit<InvoiceFacts, 'everPaid'>): boolean =>
  invoice.status === 'draft' ||
  ((invoice.status === 'sent' || invoice.status === 'overdue') &&
    invoice.paymentsApplied === 0 &&
    invoice.creditsApplied === 0 &&
    invoice.writtenOff === 0);

/**
 * Only a draft is deleted (an issued invoice is voided instead), and not a reopened one that was once paid:
 * its payments' history must keep pointing at it.
 */
export const canDeleteInvoice = (invoice: Pick<InvoiceFacts, 'status' | 'everPaid'>): boolean =>
  invoice.status === 'draft' && !invoice.everPaid;

/** A reminder, or a lost e-mail: an invoice still owed is e-mailed again (a draft is sent, not sent again). */
export const canSendInvoiceAgain = (status: InvoiceStatus): boolean => isOwed(status);

/** Payments and credit are applied only to what is still owed. */
export const canReceivePayment = (status: InvoiceStatus): boolean => isOwed(status);

/** One write-off per invoice, on what is still owed: to change it, cancel it and write off again. */
export const canWriteOff = (invoice: Pick<InvoiceFacts, 'status' | 'writtenOff'>): boolean =>
  isOwed(invoice.status) && invoice.writtenOff === 0;

/** The business's actions on an invoice now, in `INVOICE_ACTIONS` order: the API refuses every other one. */
export function invoiceActions(invoice: InvoiceFacts): InvoiceBusinessAction[] {
  const moves = availableActions(invoiceMachine, invoice.status);
  const offered: Record<InvoiceBusinessAction, boolean> = {
    send: moves.includes('send'),
    mark_sent: moves.includes('send'),
    send_again: canSendInvoiceAgain(invoice.status),
    edit: canEditInvoice(invoice),
    delete: canDeleteInvoice(invoice),
    void: moves.includes('void'),
    reopen: moves.includes('reopen'),
    record_payment: canReceivePayment(invoice.status),
    write_off: canWriteOff(invoice),
    cancel_write_off: invoice.writtenOff > 0,
  };
  return INVOICE_ACTIONS.filter((action) => offered[action]);
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

/**
 * What the business may do to a retainer invoice, named as the API's verbs: `send` marks a draft sent (no e-mail
 * goes out), `record_payment` records a payment on it (`POST /payments` with its id).
 */
export const RETAINER_ACTIONS = ['send', 'edit', 'delete', 'void', 'reopen', 'record_payment'] as const;
export type RetainerBusinessAction = (typeof RETAINER_ACTIONS)[number];

/** Only a draft changes or is deleted: once sent, the client may have seen it and money may have come in. */
export const canChangeRetainer = (status: RetainerStatus): boolean => status === 'draft';

/** A retainer is paid while something of it is still to pay. */
export const canPayRetainer = (status: RetainerStatus): boolean => status === 'sent' || status === 'partially_paid';

/** The business's actions on a retainer invoice now, in `RETAINER_ACTIONS` order: the API refuses every other one. */
export function retainerActions(retainer: {
  status: RetainerStatus;
  /** Some of its payments' credit is applied to invoices: voiding would take that money back, so it is refused. */
  creditApplied: boolean;
}): RetainerBusinessAction[] {
  const moves = availableActions(retainerMachine, retainer.status);
  const offered: Record<RetainerBusinessAction, boolean> = {
    send: moves.includes('send'),
    edit: canChangeRetainer(retainer.status),
    delete: canChangeRetainer(retainer.status),
    void: moves.includes('void') && !retainer.creditApplied,
    reopen: moves.includes('reopen'),
    record_payment: canPayRetainer(retainer.status),
  };
  return RETAINER_ACTIONS.filter((action) => offered[action]);
}
