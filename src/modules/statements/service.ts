import type { AppContext } from '../../context.js';
import type { CustomerBalance } from '../../domain/customer-balance.js';
import { assertDate, compareDates } from '../../domain/dates.js';
import { invalid, notFound } from '../../domain/errors.js';
import {
  buildStatement,
  type Period,
  periodFor,
  type Statement,
  type StatementEntry,
  type StatementPreset,
} from '../../domain/statement.js';
import { wordsFor } from '../../i18n/words.js';
import { readCustomerBalance } from '../customers/index.js';
import { organizationToday } from '../organization/index.js';
import { statementLineDetails } from './line-details.js';

/**
 * The statement of accounts of one customer (PRODUCT.md §3): this module gathers the entries, the pure
 * `buildStatement` decides opening balance, lines and totals. The portal and the business API both call
 * `statementFor`; the caller has already decided who may see which customer.
 */

export interface StatementCustomer {
  id: string;
  displayName: string;
  companyName: string | null;
  billingAddress: string;
}

export interface CustomerStatement extends Statement {
  currency: string;
  customer: StatementCustomer;
  /**
   * The customer's balance now (outstanding invoices, credit available, net balance) when the statement reaches it:
   * nothing is dated after the period's end, so the last running balance is the net balance. Null otherwise.
   */
  balance: CustomerBalance | null;
}

export interface PeriodQuery {
  from?: string;
  to?: string;
  period?: StatementPreset;
}

/** The period a request names: `from`+`to`, a preset, or by default this month in the organization's time zone. */
export async function resolvePeriod(ctx: AppContext, organizationId: string, query: PeriodQuery): Promise<Period> {
  const hasRange = query.from !== undefined || query.to !== undefined;
  if (hasRange && query.period !== undefined) {
    throw invalid('/period', 'Give either a period or from and to, not both.');
  }
  if (hasRange) {
    if (query.from === undefined) throw invalid('/from', 'Give both from and to.');
    if (query.to === undefined) throw invalid('/to', 'Give both from and to.');
    assertDate(query.from, '/from');
    assertDate(query.to, '/to');
    if (compareDates(query.from, query.to) > 0) throw invalid('/to', 'The period must end on or after its start.');
    return { from: query.from, to: query.to };
  }
  return periodFor(query.period ?? 'this_month', await organizationToday(ctx, organizationId));
}

export async function statementFor(
  ctx: AppContext,
  organizationId: string,
  customerId: string,
  period: Period,
): Promise<CustomerStatement> {
  const db = ctx.db.kysely;
  const customer = await db
    .selectFrom('customers')
    .select(['id', 'displayName', 'companyName', 'billingAddress', 'currency', 'openingBalance'])
    .where('id', '=', customerId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  if (!customer) throw notFound('customer');

  // Everything up to the period's end: what lies before `from` makes the opening balance.
  const invoices = await db
    .selectFrom('invoices')
    .select(['id', 'number', 'issueDate', 'dueDate', 'total', 'writtenOff', 'writtenOffOn', 'createdAt', 'updatedAt'])
    .where('organizationId', '=', organizationId)
    .where('customerId', '=', customerId)
    .where('status', 'not in', ['draft', 'void'])
    .where((eb) => eb.or([eb('issueDate', '<=', period.to), eb('writtenOffOn', '<=', period.to)]))
    .execute();
  const payments = await db
    .selectFrom('customerPayments as p')
    .leftJoin('retainerInvoices as r', (join) =>
      join.onRef('r.id', '=', 'p.retainerInvoiceId').on('r.organizationId', '=', organizationId),
    )
    .select([
      'p.id',
      'p.number',
      'p.paymentDate',
      'p.amount',
      'p.mode',
      'p.reference',
      'p.source',
      'p.createdAt',
      'p.testMode',
    ])
    .select('r.number as retainerNumber')
    .where('p.organizationId', '=', organizationId)
    .where('p.customerId', '=', customerId)
    .where('p.paymentDate', '<=', period.to)
    .execute();

  const entries: StatementEntry[] = [];
  for (const invoice of invoices) {
    if (compareDates(invoice.issueDate, period.to) <= 0) {
      entries.push({
        date: invoice.issueDate,
        createdAt: invoice.createdAt,
        kind: 'invoice',
        id: invoice.id,
        number: invoice.number,
        facts: { dueDate: invoice.dueDate },
        amount: invoice.total,
      });
    }
    if (invoice.writtenOff > 0 && invoice.writtenOffOn !== null) {
      entries.push({
        date: invoice.writtenOffOn,
        // A written-off invoice cannot be edited until the write-off is cancelled, so its last update is the write-off.
        createdAt: invoice.updatedAt,
        kind: 'write_off',
        id: `${invoice.id}:write-off`,
        // The written-off invoice's number.
        number: invoice.number,
        amount: invoice.writtenOff,
      });
    }
  }
  for (const payment of payments) {
    entries.push({
      date: payment.paymentDate,
      createdAt: payment.createdAt,
      kind: 'payment',
      id: payment.id,
      number: payment.number,
      facts: {
        paymentMode: payment.mode,
        // The reference the business typed (a cheque's number) helps match a payment; a gateway's charge id means
        // nothing to people and stays on the payment's own page.
        paymentReference: payment.reference && payment.source === 'offline' ? payment.reference : null,
        retainerInvoiceNumber: payment.retainerNumber,
      },
      amount: payment.amount,
      testMode: payment.testMode === 1,
    });
  }

  const statement = buildStatement({
    openingBalance: customer.openingBalance,
    from: period.from,
    to: period.to,
    entries,
  });
  const reachesNow = !(await hasEntriesAfter(ctx, organizationId, customerId, period.to));
  return {
    ...statement,
    balance: reachesNow ? await readCustomerBalance(ctx, { organizationId, customerId }) : null,
    currency: customer.currency,
    customer: {
      id: customer.id,
      displayName: customer.displayName,
      companyName: customer.companyName,
      billingAddress: customer.billingAddress,
    },
  };
}

/** Whether an invoice, a write-off or a payment of the customer is dated after `date`. */
async function hasEntriesAfter(ctx: AppContext, organizationId: string, customerId: string, date: string) {
  const db = ctx.db.kysely;
  const [invoice, payment] = await Promise.all([
    db
      .selectFrom('invoices')
      .select('id')
      .where('organizationId', '=', organizationId)
      .where('customerId', '=', customerId)
      .where('status', 'not in', ['draft', 'void'])
      .where((eb) =>
        eb.or([eb('issueDate', '>', date), eb.and([eb('writtenOff', '>', 0), eb('writtenOffOn', '>', date)])]),
      )
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('customerPayments')
      .select('id')
      .where('organizationId', '=', organizationId)
      .where('customerId', '=', customerId)
      .where('paymentDate', '>', date)
      .limit(1)
      .executeTakeFirst(),
  ]);
  return invoice !== undefined || payment !== undefined;
}

/**
 * The statement as the API shows it: internal ids stay inside. Each line carries its facts (`dueDate`,
 * `paymentMode`, `paymentReference`, `retainerInvoiceNumber`, `testMode`) for a reader to write its details in their
 * own words, and `details`, those words in English as the API always gave them.
 */
export function presentStatement(statement: CustomerStatement) {
  const english = wordsFor('en');
  return {
    period: { from: statement.from, to: statement.to },
    customer: { name: statement.customer.displayName, companyName: statement.customer.companyName },
    summary: {
      currency: statement.currency,
      openingBalance: statement.openingBalance,
      invoiced: statement.invoiced,
      received: statement.received,
      receivedInTestMode: statement.receivedInTestMode,
      writtenOff: statement.writtenOff,
      balanceDue: statement.balanceDue,
    },
    balance: statement.balance,
    lines: statement.lines.map((line) => ({
      date: line.date,
      kind: line.kind,
      number: line.number,
      details: statementLineDetails(english, line),
      amount: line.amount,
      payment: line.payment,
      balance: line.balance,
      testMode: line.testMode,
      dueDate: line.dueDate,
      paymentMode: line.paymentMode,
      paymentReference: line.paymentReference,
      retainerInvoiceNumber: line.retainerInvoiceNumber,
    })),
  };
}
