import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { type Placeholders, prepared } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { addMonths, startOfMonth, todayIn } from '../../domain/dates.js';
import { UNPAID_INVOICE_STATUSES } from '../../domain/invoice-states.js';
import { readCustomerBalance } from '../customers/index.js';
import { getAccount } from '../portal-account/index.js';
import { appliedInvoicesOf } from '../portal-payments/index.js';
import { UNPAID_RETAINER_STATUSES } from '../portal-retainers/index.js';
import type { PortalHome } from './schemas.js';

type Home = Static<typeof PortalHome>;
const MONTHS = 12;
const LIST_SIZE = 5;

function totalsOf(rows: ReadonlyArray<{ currency: string; documentCount: number; balance: number }>) {
  return {
    count: rows.reduce((sum, row) => sum + Number(row.documentCount), 0),
    totals: rows
      .map((row) => ({ currency: row.currency, amount: Number(row.balance) }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

type Scoped = { organizationId: string; customerId: string };

/*
 * The dashboard's reads, compiled once (`prepared`): each names the scope's organization and customer.
 */
const organizationOf = prepared<
  { organizationId: string },
  {
    name: string;
    email: string | null;
    phone: string | null;
    website: string | null;
    address: string;
    portalBanner: string | null;
    timeZone: string;
    hasLogo: number;
  }
>((db, args) =>
  db
    .selectFrom('organizations')
    .select((eb) => [
      'name',
      'email',
      'phone',
      'website',
      'address',
      'portalBanner',
      'timeZone',
      // Whether a logo exists, without reading it.
      eb.case().when('logoBase64', 'is', null).then(0).else(1).end().as('hasLogo'),
    ])
    .where('id', '=', args.organizationId),
);

const unpaidInvoicesOf = (db: Kysely<Database>, args: Scoped) =>
  db
    .selectFrom('invoices')
    .where('organizationId', '=', args.organizationId)
    .where('customerId', '=', args.customerId)
    .where('status', 'in', UNPAID_INVOICE_STATUSES);
const unpaidRetainersOf = (db: Kysely<Database>, args: Scoped) =>
  db
    .selectFrom('retainerInvoices')
    .where('organizationId', '=', args.organizationId)
    .where('customerId', '=', args.customerId)
    .where('status', 'in', UNPAID_RETAINER_STATUSES);
const awaitingEstimatesOf = (db: Kysely<Database>, args: Scoped & { today: string }) =>
  db
    .selectFrom('estimates')
    .where('organizationId', '=', args.organizationId)
    .where('customerId', '=', args.customerId)
    .where('status', '=', 'sent')
    .where((eb) => eb.or([eb('expiryDate', 'is', null), eb('expiryDate', '>=', args.today)]));

const urgentInvoicesOf = prepared((db, args: Placeholders<Scoped & { today: string }>) =>
  unpaidInvoicesOf(db, args)
    .select(['id', 'number', 'status', 'issueDate', 'dueDate', 'currency', 'total', 'balance'])
    .orderBy((eb) =>
      eb.case().when('status', '=', 'overdue').then(0).when('dueDate', '<', args.today).then(0).else(1).end(),
    )
    .orderBy('dueDate')
    .orderBy('issueDate')
    .orderBy('id')
    .limit(LIST_SIZE),
);
const oldestRetainersOf = prepared((db, args: Placeholders<Scoped>) =>
  unpaidRetainersOf(db, args)
    .select(['id', 'number', 'status', 'issueDate', 'currency', 'total', 'balance'])
    .orderBy('issueDate')
    .orderBy('id')
    .limit(LIST_SIZE),
);
const newestEstimatesOf = prepared((db, args: Placeholders<Scoped & { today: string }>) =>
  awaitingEstimatesOf(db, args)
    .select(['id', 'number', 'issueDate', 'expiryDate', 'currency', 'total'])
    .orderBy('issueDate', 'desc')
    .orderBy('id', 'desc')
    .limit(LIST_SIZE),
);
const awaitingEstimateCountOf = prepared((db, args: Placeholders<Scoped & { today: string }>) =>
  awaitingEstimatesOf(db, args).select((eb) => eb.fn.countAll().as('count')),
);
const lastPaymentOf = prepared((db, args: Placeholders<Scoped>) =>
  db
    .selectFrom('customerPayments')
    .select(['id', 'number', 'paymentDate', 'amount', 'currency', 'mode', 'reference'])
    .where('organizationId', '=', args.organizationId)
    .where('customerId', '=', args.customerId)
    .orderBy('paymentDate', 'desc')
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1),
);
/** The customer's figures (migration 0010): its unpaid documents per kind and currency, kept with the books. */
const openTotalsOf = prepared((db, args: Placeholders<Scoped>) =>
  db
    .selectFrom('customerOpenTotals')
    .select(['kind', 'currency', 'documentCount', 'balance'])
    .where('organizationId', '=', args.organizationId)
    .where('customerId', '=', args.customerId)
    .where('documentCount', '>', 0),
);
/** What was invoiced and paid per month and currency, from the customer's figures (migration 0010). */
const monthlyTotalsOf = prepared((db, args: Placeholders<Scoped & { firstMonth: string; nextMonth: string }>) =>
  db
    .selectFrom('customerMonthlyTotals')
    .select(['month', 'currency', 'invoiced', 'paid'])
    .where('organizationId', '=', args.organizationId)
    .where('customerId', '=', args.customerId)
    .where('month', '>=', args.firstMonth)
    .where('month', '<', args.nextMonth),
);

/**
 * The dashboard in one response: a few small reads, run together, whatever the length of the customer's history —
 * the five most urgent documents of each kind on an index of (organization, customer, …), and the counts, totals
 * and monthly chart from the customer's figures (migration 0010), kept with the books. Every query names the
 * PortalScope's organization and customer; drafts are never counted.
 */
export async function portalHome(ctx: AppContext, scope: PortalScope): Promise<Home> {
  const db = ctx.db;
  const { organizationId, customerId } = scope;
  const scoped = { organizationId, customerId };
  const [organization] = await organizationOf(db, { organizationId });
  if (!organization) throw new Error('the scope names an organization that does not exist');
  const today = todayIn(organization.timeZone, ctx.now());
  // Months as `YYYY-MM`, the figures' key.
  const firstMonth = addMonths(startOfMonth(today), -(MONTHS - 1)).slice(0, 7);
  const nextMonth = addMonths(startOfMonth(today), 1).slice(0, 7);

  const [account, urgentInvoices, oldestRetainers, balance, [lastPayment], newestEstimates, openTotals, monthly] =
    await Promise.all([
      getAccount(ctx, scope),
      urgentInvoicesOf(db, { ...scoped, today }),
      oldestRetainersOf(db, scoped),
      readCustomerBalance(ctx, scoped),
      lastPaymentOf(db, scoped),
      newestEstimatesOf(db, { ...scoped, today }),
      openTotalsOf(db, scoped),
      monthlyTotalsOf(db, { ...scoped, firstMonth, nextMonth }),
    ]);

  if (!balance) throw new Error('the scope names a customer that does not exist');
  // A short list holds every estimate: its count needs no second query (the usual case).
  const [estimateCount, appliedTo] = await Promise.all([
    newestEstimates.length < LIST_SIZE
      ? { count: newestEstimates.length }
      : awaitingEstimateCountOf(db, { ...scoped, today }).then(([row]) => ({ count: row?.count ?? 0 })),
    lastPayment ? appliedInvoicesOf(db.kysely, scoped, [lastPayment.id]) : [],
  ]);
  const months = Array.from({ length: MONTHS }, (_, i) => addMonths(`${firstMonth}-01`, i).slice(0, 7));
  const currencies = [
    balance.currency,
    // A currency whose figures came back to zero (its only invoice voided) has no chart.
    ...new Set(
      monthly
        .filter((row) => Number(row.invoiced) !== 0 || Number(row.paid) !== 0)
        .map((row) => row.currency)
        .filter((c) => c !== balance.currency),
    ),
  ];
  const inMonth = (currency: string, month: string) =>
    monthly.find((row) => row.currency === currency && row.month === month);

  return {
    currency: balance.currency,
    outstandingInvoices: {
      ...totalsOf(openTotals.filter((row) => row.kind === 'invoice')),
      invoices: urgentInvoices.map((invoice) => ({
        id: invoice.id,
        number: invoice.number,
        status: invoice.status as Home['outstandingInvoices']['invoices'][number]['status'],
        issueDate: invoice.issueDate,
        dueDate: invoice.dueDate,
        currency: invoice.currency,
        total: invoice.total,
        balance: invoice.balance,
        overdue: invoice.status === 'overdue' || invoice.dueDate < today,
      })),
    },
    outstandingRetainers: {
      ...totalsOf(openTotals.filter((row) => row.kind === 'retainer_invoice')),
      retainerInvoices: oldestRetainers.map((retainer) => ({
        ...retainer,
        status: retainer.status as Home['outstandingRetainers']['retainerInvoices'][number]['status'],
      })),
    },
    balance,
    credits: {
      currency: balance.currency,
      availableCredit: balance.creditAvailable - balance.retainerCredit,
      retainerBalance: balance.retainerCredit,
    },
    lastPayment: lastPayment
      ? {
          id: lastPayment.id,
          number: lastPayment.number,
          date: lastPayment.paymentDate,
          amount: lastPayment.amount,
          currency: lastPayment.currency,
          mode: lastPayment.mode,
          reference: lastPayment.reference,
          invoiceNumbers: [...new Set(appliedTo.map((invoice) => invoice.number))],
        }
      : null,
    estimatesAwaiting: { count: Number(estimateCount.count), estimates: newestEstimates },
    banner: organization.portalBanner,
    organization: {
      name: organization.name,
      email: organization.email,
      phone: organization.phone,
      website: organization.website,
      address: JSON.parse(organization.address),
      hasLogo: Number(organization.hasLogo) === 1,
    },
    account,
    chart: currencies.map((currency) => ({
      currency,
      months: months.map((month) => ({
        month,
        invoiced: Number(inMonth(currency, month)?.invoiced ?? 0),
        paid: Number(inMonth(currency, month)?.paid ?? 0),
      })),
    })),
  };
}
