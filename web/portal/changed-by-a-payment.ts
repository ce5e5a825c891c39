/** The cached answers a payment changes (its settling, or its cancelling): balances, statuses, lists, the statement. */
export const CHANGED_BY_A_PAYMENT = [
  'home',
  'invoices',
  'invoice',
  'retainer-invoices',
  'retainer-invoice',
  'payments',
  'payment',
  'statement',
  'pay',
] as const;
