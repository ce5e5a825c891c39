import { Type } from 'typebox';

/** The business's Home figures, in one response (issue 18): what is owed, overdue, collected, awaited. */

const CurrencyTotal = Type.Object({ currency: Type.String(), amount: Type.Integer() });

/** How many documents, and their amounts per currency (normally one: the organization's). */
const CountedTotals = Type.Object({ count: Type.Integer(), totals: Type.Array(CurrencyTotal) });

export const BusinessHome = Type.Object({
  /** The organization's base currency: its chart comes first. */
  currency: Type.String(),
  /** Today in the organization's time zone; "this month" is its month. */
  today: Type.String(),
  /** Invoices sent and not fully paid: their balance due. */
  outstandingInvoices: CountedTotals,
  /** Outstanding invoices past their due date (even before the nightly job marks them overdue): their balance. */
  overdueInvoices: CountedTotals,
  /** Payments received this month, by payment date. */
  collectedThisMonth: Type.Array(CurrencyTotal),
  /** Of those, test payments (a sandbox or test keys): counted, since they paid invoices, but no money moved. */
  testPaymentsThisMonth: Type.Array(CurrencyTotal),
  /** Estimates sent and not yet accepted, declined or expired: their totals. */
  estimatesAwaiting: CountedTotals,
  /** Per currency, the last 12 months (oldest first, this month last): invoiced by issue date, collected by payment date. */
  chart: Type.Array(
    Type.Object({
      currency: Type.String(),
      months: Type.Array(
        Type.Object({
          month: Type.String({ description: 'YYYY-MM' }),
          invoiced: Type.Integer(),
          collected: Type.Integer(),
        }),
      ),
    }),
  ),
});
