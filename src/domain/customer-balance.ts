/**
 * The one balance story (PRODUCT.md §3): wherever a customer's balance is shown — the portal's Home and statement
 * (screen, PDF, page), the business's customer page — it is told with the same figures, named the same way:
 *
 * - *outstanding invoices*: the balances of the customer's unpaid invoices;
 * - *credit available*: the payments not applied to any invoice, retainer payments included;
 * - *net balance* = balance brought forward + outstanding invoices − credit available, which is the statement's
 *   last running balance (the statement counts every invoice and every payment whole; applying a payment or a
 *   credit moves money between these two figures and changes neither the net balance nor the statement).
 *
 * The balance brought forward is the customer's own opening balance, entered when it was set up (what was owed
 * before Portico); it is usually zero, and shown only when it is not. A negative net balance is credit in the
 * customer's favour, never a negative "balance due".
 */
import { assertMinorUnits } from './money.js';

export interface CustomerBalance {
  /** The customer's currency: every figure is in it. */
  currency: string;
  outstandingInvoices: number;
  creditAvailable: number;
  /** The part of `creditAvailable` that came from retainer payments. */
  retainerCredit: number;
  broughtForward: number;
  netBalance: number;
}

export function customerBalance(figures: Omit<CustomerBalance, 'netBalance'>): CustomerBalance {
  for (const key of ['outstandingInvoices', 'creditAvailable', 'retainerCredit', 'broughtForward'] as const) {
    assertMinorUnits(figures[key], `/${key}`);
  }
  return {
    ...figures,
    netBalance: figures.broughtForward + figures.outstandingInvoices - figures.creditAvailable,
  };
}

/** How a net balance reads: an amount due, credit in the customer's favour, or nothing either way. */
export type NetBalanceSide = 'due' | 'credit' | 'settled';

export const netBalanceSide = (netBalance: number): NetBalanceSide =>
  netBalance > 0 ? 'due' : netBalance < 0 ? 'credit' : 'settled';
