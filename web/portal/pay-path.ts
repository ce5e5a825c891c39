/** Where "Pay" leads: `?invoices=a,b`, `?retainer=r`, or `?all=USD` (every outstanding invoice in USD). */
export function payPath(
  target: { invoices: string[] } | { retainer: string } | { all: string },
  options: { other?: boolean; amount?: number } = {},
): string {
  const params = new URLSearchParams();
  if ('invoices' in target) params.set('invoices', target.invoices.join(','));
  else if ('retainer' in target) params.set('retainer', target.retainer);
  else params.set('all', target.all);
  if (options.other) params.set('other', '1');
  if (options.amount !== undefined) params.set('amount', String(options.amount));
  return `/pay?${params}`;
}
