import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { addMonths, startOfMonth, todayIn } from '../../domain/dates.js';
import { UNPAID_INVOICE_STATUSES } from '../../domain/invoice-states.js';
import type { BusinessHome } from './schemas.js';

type Home = Static<typeof BusinessHome>;
const MONTHS = 12;

/** Rows of (currency, count, amount) → the count of all and the amounts per currency, by currency code. */
function countedTotals(rows: ReadonlyArray<{ currency: string; count: unknown; amount: unknown }>) {
  return {
    count: rows.reduce((sum, row) => sum + Number(row.count), 0),
    totals: rows
      .map((row) => ({ currency: row.currency, amount: Number(row.amount) }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

/**
 * The business's Home figures: four small grouped reads run together, whatever the length of the history. What is
 * owed and the 12 months come from the customers' figures (migration 0010, kept with the books by triggers),
 * summed over the organization's customers; overdue invoices and estimates awaiting are read on the
 * (organization, status, …) indexes. Drafts and void documents are never counted.
 */
export async function businessHome(ctx: AppContext, scope: OrgScope): Promise<Home> {
  const db = ctx.db.kysely;
  const { organizationId } = scope;
  const organization = await db
    .selectFrom('organizations')
    .select(['baseCurrency', 'timeZone'])
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
  const today = todayIn(organization.timeZone, ctx.now());
  // Months as `YYYY-MM`, the figures' key.
  const thisMonth = today.slice(0, 7);
  const firstMonth = addMonths(startOfMonth(today), -(MONTHS - 1)).slice(0, 7);

  const [outstanding, overdue, estimates, monthly, testPayments] = await Promise.all([
    db
      .selectFrom('customerOpenTotals')
      .select((eb) => [
        'currency',
        eb.fn.sum<number>('documentCount').as('count'),
        eb.fn.sum<number>('balance').as('amount'),
      ])
      .where('organizationId', '=', organizationId)
      .where('kind', '=', 'invoice')
      .where('documentCount', '>', 0)
      .groupBy('currency')
      .execute(),
    db
      .selectFrom('invoices')
      .select((eb) => ['currency', eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('balance').as('amount')])
      .where('organizationId', '=', organizationId)
      .where('status', 'in', UNPAID_INVOICE_STATUSES)
      .where('dueDate', '<', today)
      .groupBy('currency')
      .execute(),
    db
      .selectFrom('estimates')
      .select((eb) => ['currency', eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('total').as('amount')])
      .where('organizationId', '=', organizationId)
      .where('status', '=', 'sent')
      .where((eb) => eb.or([eb('expiryDate', 'is', null), eb('expiryDate', '>=', today)]))
      .groupBy('currency')
      .execute(),
    db
      .selectFrom('customerMonthlyTotals')
      .select((eb) => [
        'month',
        'currency',
        eb.fn.sum<number>('invoiced').as('invoiced'),
        eb.fn.sum<number>('paid').as('collected'),
      ])
      .where('organizationId', '=', organizationId)
      .where('month', '>=', firstMonth)
      .where('month', '<=', thisMonth)
      .groupBy(['month', 'currency'])
      .execute(),
    db
      .selectFrom('customerPayments')
      .select((eb) => ['currency', eb.fn.sum<number>('amount').as('amount')])
      .where('organizationId', '=', organizationId)
      .where('testMode', '=', 1)
      .where('paymentDate', '>=', `${thisMonth}-01`)
      .where('paymentDate', '<=', today)
      .groupBy('currency')
      .execute(),
  ]);

  const months = Array.from({ length: MONTHS }, (_, i) => addMonths(`${firstMonth}-01`, i).slice(0, 7));
  const figures = monthly
    .map((row) => ({ ...row, invoiced: Number(row.invoiced), collected: Number(row.collected) }))
    .filter((row) => row.invoiced !== 0 || row.collected !== 0);
  // The organization's currency always has a chart; another only when it has figures in the period.
  const currencies = [
    organization.baseCurrency,
    ...[...new Set(figures.map((row) => row.currency))].filter((c) => c !== organization.baseCurrency).sort(),
  ];
  const inMonth = (currency: string, month: string) =>
    figures.find((row) => row.currency === currency && row.month === month);

  return {
    currency: organization.baseCurrency,
    today,
    outstandingInvoices: countedTotals(outstanding),
    overdueInvoices: countedTotals(overdue),
    collectedThisMonth: figures
      .filter((row) => row.month === thisMonth && row.collected !== 0)
      .map((row) => ({ currency: row.currency, amount: row.collected }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
    testPaymentsThisMonth: testPayments
      .map((row) => ({ currency: row.currency, amount: Number(row.amount) }))
      .filter((row) => row.amount !== 0)
      .sort((a, b) => a.currency.localeCompare(b.currency)),
    estimatesAwaiting: countedTotals(estimates),
    chart: currencies.map((currency) => ({
      currency,
      months: months.map((month) => ({
        month,
        invoiced: inMonth(currency, month)?.invoiced ?? 0,
        collected: inMonth(currency, month)?.collected ?? 0,
      })),
    })),
  };
}
