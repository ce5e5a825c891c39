/**
 * The statement of accounts of one customer for one period — PRODUCT.md §3, exactly.
 *
 * The caller gathers the customer's entries (invoices neither draft nor void, by invoice date, + total;
 * payments received including retainer payments, by payment date, whole amount applied or not; write-offs)
 * — from any date up to `to` or beyond; this function decides what is opening balance, what is a line,
 * and what lies after the period and is ignored. Credits or retainers applied to invoices are not entries:
 * they move no balance.
 */
import {
  addMonths,
  assertDate,
  type CalendarDate,
  compareDates,
  endOfMonth,
  formatDate,
  parseDateParts,
} from './dates.js';
import { invalid } from './errors.js';
import { assertMinorUnits } from './money.js';
import type { PaymentMode } from './payment-modes.js';

export type StatementEntryKind = 'invoice' | 'payment' | 'write_off';

/**
 * What a line says beyond its kind and number, as facts: each view (JSON, PDF, CSV, the apps) writes its details
 * from them in its reader's words. A write-off's `number` is the written-off invoice's.
 */
export interface StatementLineFacts {
  /** An invoice's due date. */
  dueDate: CalendarDate | null;
  /** A payment's mode. */
  paymentMode: PaymentMode | null;
  /** The reference the business recorded with a payment it received offline (a cheque's number). */
  paymentReference: string | null;
  /** The retainer invoice a payment paid. */
  retainerInvoiceNumber: string | null;
}

export interface StatementEntry {
  /** Invoice date, payment date or write-off date. */
  date: CalendarDate;
  /** ISO timestamp; orders entries of the same date as they were recorded. */
  createdAt: string;
  kind: StatementEntryKind;
  id: string;
  number: string;
  /** The facts a line of this kind has; the others are null. */
  facts?: Partial<StatementLineFacts>;
  /** Always ≥ 0: an invoice's total adds it, a payment or a write-off takes it off. */
  amount: number;
  /** A test payment (a gateway in test mode): it moved no money, yet it paid its invoices, so it counts. */
  testMode?: boolean;
}

export interface StatementLine extends StatementLineFacts {
  date: CalendarDate;
  kind: StatementEntryKind | 'opening_balance';
  /** null on the opening-balance row. */
  id: string | null;
  number: string | null;
  /** What an invoice (or the opening balance) adds. */
  amount: number;
  /** What a payment or write-off takes off. */
  payment: number;
  /** Running balance after this line. */
  balance: number;
  /** A test payment: no money moved. */
  testMode: boolean;
}

export interface Statement {
  from: CalendarDate;
  to: CalendarDate;
  /** The customer's opening balance plus everything dated before `from`. */
  openingBalance: number;
  invoiced: number;
  received: number;
  /** The part of `received` that was test payments (no money moved): real money received = received − this. */
  receivedInTestMode: number;
  writtenOff: number;
  /** openingBalance + invoiced − received − writtenOff = the last line's balance. */
  balanceDue: number;
  /** The opening-balance row dated `from`, then the period's entries by date, then by creation. */
  lines: StatementLine[];
}

export interface StatementRequest {
  /** The customer's own opening balance, as entered when the customer was set up. */
  openingBalance: number;
  from: CalendarDate;
  to: CalendarDate;
  entries: readonly StatementEntry[];
}

const NO_FACTS: StatementLineFacts = {
  dueDate: null,
  paymentMode: null,
  paymentReference: null,
  retainerInvoiceNumber: null,
};

const signedAmount = (entry: StatementEntry): number => (entry.kind === 'invoice' ? entry.amount : -entry.amount);

export function buildStatement(request: StatementRequest): Statement {
  const { from, to } = request;
  assertDate(from, '/from');
  assertDate(to, '/to');
  if (compareDates(from, to) > 0) throw invalid('/to', 'The period must end on or after its start.');
  assertMinorUnits(request.openingBalance, '/openingBalance');
  request.entries.forEach((entry, index) => {
    assertDate(entry.date, `/entries/${index}/date`);
    assertMinorUnits(entry.amount, `/entries/${index}/amount`);
    if (entry.amount < 0) throw invalid(`/entries/${index}/amount`, 'Must not be negative.');
  });

  const before = request.entries.filter((entry) => compareDates(entry.date, from) < 0);
  const within = request.entries
    .filter((entry) => compareDates(entry.date, from) >= 0 && compareDates(entry.date, to) <= 0)
    .sort(chronologically);

  const openingBalance = before.reduce((balance, entry) => balance + signedAmount(entry), request.openingBalance);
  const lines: StatementLine[] = [
    {
      date: from,
      kind: 'opening_balance',
      id: null,
      number: null,
      ...NO_FACTS,
      amount: openingBalance,
      payment: 0,
      balance: openingBalance,
      testMode: false,
    },
  ];
  let balance = openingBalance;
  const totals = { invoice: 0, payment: 0, write_off: 0 };
  let receivedInTestMode = 0;
  for (const entry of within) {
    balance += signedAmount(entry);
    totals[entry.kind] += entry.amount;
    if (entry.testMode) receivedInTestMode += entry.amount;
    const isInvoice = entry.kind === 'invoice';
    lines.push({
      date: entry.date,
      kind: entry.kind,
      id: entry.id,
      number: entry.number,
      ...NO_FACTS,
      ...entry.facts,
      amount: isInvoice ? entry.amount : 0,
      payment: isInvoice ? 0 : entry.amount,
      balance,
      testMode: entry.testMode === true,
    });
  }

  return {
    from,
    to,
    openingBalance,
    invoiced: totals.invoice,
    received: totals.payment,
    receivedInTestMode,
    writtenOff: totals.write_off,
    balanceDue: openingBalance + totals.invoice - totals.payment - totals.write_off,
    lines,
  };
}

/** By date, then creation time; the id settles exact ties so the order never flickers between renders. */
function chronologically(a: StatementEntry, b: StatementEntry): number {
  return compareDates(a.date, b.date) || compareText(a.createdAt, b.createdAt) || compareText(a.id, b.id);
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export type StatementPreset = 'this_month' | 'last_month' | 'this_quarter' | 'this_year';

export interface Period {
  from: CalendarDate;
  to: CalendarDate;
}

/** The whole calendar period a preset names, around the organization's `today`. */
export function periodFor(preset: StatementPreset, today: CalendarDate): Period {
  const parts = parseDateParts(today);
  if (!parts) throw invalid('/today', 'Must be a calendar date written YYYY-MM-DD.');
  const { year, month } = parts;
  const monthStart = formatDate({ year, month, day: 1 });
  switch (preset) {
    case 'this_month':
      return { from: monthStart, to: endOfMonth(monthStart) };
    case 'last_month': {
      const previous = addMonths(monthStart, -1);
      return { from: previous, to: endOfMonth(previous) };
    }
    case 'this_quarter': {
      const quarterStart = formatDate({ year, month: month - ((month - 1) % 3), day: 1 });
      return { from: quarterStart, to: endOfMonth(addMonths(quarterStart, 2)) };
    }
    case 'this_year':
      return { from: formatDate({ year, month: 1, day: 1 }), to: formatDate({ year, month: 12, day: 31 }) };
    default:
      throw invalid('/period', 'Must be this_month, last_month, this_quarter or this_year.');
  }
}
