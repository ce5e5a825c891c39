import { formatMoney } from './format.js';
import { useLocale } from './translate.js';

/** An amount in its currency, in the organization's locale, in tabular figures. */
export function Money({ amount, currency }: { amount: number; currency: string }) {
  const locale = useLocale();
  return <span className="money">{formatMoney(amount, currency, locale)}</span>;
}
