import { sql } from 'kysely';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { type Placeholders, prepared } from '../../db/database.js';
import { type CustomerBalance, customerBalance } from '../../domain/customer-balance.js';
import { notFound } from '../../domain/errors.js';

type Scoped = { organizationId: string; customerId: string };

/**
 * The customer's balance figures in one statement, compiled once (Home reads it on every visit): the balances of its
 * unpaid invoices from the customer figures kept with the books (migration 0010), and its unapplied payments. Both in
 * the customer's currency: credit or invoices left in another currency (the customer's currency changed since)
 * cannot be netted with it.
 */
const balanceFiguresOf = prepared((db, args: Placeholders<Scoped>) =>
  db
    .selectFrom('customers as c')
    .select((eb) => {
      const unapplied = (retainerOnly: boolean) =>
        eb
          .selectFrom('customerPayments as p')
          .select((p) => p.fn.coalesce(p.fn.sum<number>('p.unapplied'), p.lit(0)).as('amount'))
          .where('p.organizationId', '=', args.organizationId)
          .where('p.customerId', '=', args.customerId)
          .whereRef('p.currency', '=', 'c.currency')
          // A literal 0: the payments holding credit have an index of their own (customer_payments_credit_idx).
          .where('p.unapplied', '>', sql.lit(0))
          .$if(retainerOnly, (q) => q.where('p.retainerInvoiceId', 'is not', null));
      return [
        'c.currency',
        'c.openingBalance',
        eb
          .selectFrom('customerOpenTotals as t')
          .select((t) => t.fn.coalesce(t.fn.sum<number>('t.balance'), t.lit(0)).as('amount'))
          .where('t.organizationId', '=', args.organizationId)
          .where('t.customerId', '=', args.customerId)
          .where('t.kind', '=', 'invoice')
          .whereRef('t.currency', '=', 'c.currency')
          .as('outstandingInvoices'),
        unapplied(false).as('creditAvailable'),
        unapplied(true).as('retainerCredit'),
      ];
    })
    .where('c.organizationId', '=', args.organizationId)
    .where('c.id', '=', args.customerId),
);

/** The customer's balance now, told the one way (`src/domain/customer-balance.ts`); null for no such customer. */
export async function readCustomerBalance(ctx: AppContext, scoped: Scoped): Promise<CustomerBalance | null> {
  const [row] = await balanceFiguresOf(ctx.db, scoped);
  if (!row) return null;
  // Sums come back as text from PostgreSQL (bigint).
  return customerBalance({
    currency: row.currency,
    outstandingInvoices: Number(row.outstandingInvoices ?? 0),
    creditAvailable: Number(row.creditAvailable ?? 0),
    retainerCredit: Number(row.retainerCredit ?? 0),
    broughtForward: row.openingBalance,
  });
}

/** The business's view of one of its customers' balance: another organization's customer is a 404. */
export async function getCustomerBalance(ctx: AppContext, scope: OrgScope, customerId: string) {
  const balance = await readCustomerBalance(ctx, { organizationId: scope.organizationId, customerId });
  if (!balance) throw notFound('customer');
  return balance;
}
