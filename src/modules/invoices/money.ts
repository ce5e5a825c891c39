import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { documentBalance } from '../../domain/balance.js';
import { invoiceStatusFor } from '../../domain/invoice-states.js';

/**
 * Re-derives an invoice's money columns from its live allocations (payments at receipt, credits applied
 * later) and its write-off, and its status from them. Every change that moves money onto or off an invoice
 * calls this inside its transaction, so the stored balance is never out of step with the allocations.
 */
export async function recomputeInvoiceMoney(
  trx: Transaction<Database>,
  organizationId: string,
  invoiceId: string,
  today: string,
  now: string,
): Promise<void> {
  const invoice = await trx
    .selectFrom('invoices')
    .select(['status', 'total', 'writtenOff', 'dueDate'])
    .where('id', '=', invoiceId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirstOrThrow();
  const sums = await trx
    .selectFrom('paymentAllocations')
    .select((eb) => [
      eb.fn
        .coalesce(
          eb.fn.sum<number>(eb.case().when('kind', '=', 'payment').then(eb.ref('amount')).else(0).end()),
          eb.lit(0),
        )
        .as('payments'),
      eb.fn
        .coalesce(
          eb.fn.sum<number>(eb.case().when('kind', '=', 'credit').then(eb.ref('amount')).else(0).end()),
          eb.lit(0),
        )
        .as('credits'),
    ])
    .where('invoiceId', '=', invoiceId)
    .where('organizationId', '=', organizationId)
    .where('releasedAt', 'is', null)
    .executeTakeFirstOrThrow();
  const paymentsApplied = Number(sums.payments);
  const creditsApplied = Number(sums.credits);
  // A void invoice is owed by nobody: its allocations are released and it shows no balance.
  const balance =
    invoice.status === 'void'
      ? 0
      : documentBalance({ total: invoice.total, paymentsApplied, creditsApplied, writtenOff: invoice.writtenOff });
  const status = invoiceStatusFor({
    status: invoice.status,
    total: invoice.total,
    balance,
    dueDate: invoice.dueDate,
    today,
  });
  await trx
    .updateTable('invoices')
    .set({ paymentsApplied, creditsApplied, balance, status, updatedAt: now })
    .where('id', '=', invoiceId)
    .where('organizationId', '=', organizationId)
    .execute();
}
