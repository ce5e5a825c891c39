import { type CustomerBalance, netBalanceSide } from '../../src/domain/customer-balance.js';
import { formatMoney } from './format.js';
import { Money } from './money.js';
import { useLocale } from './translate.js';

/**
 * The one balance story (PRODUCT.md §3, `src/domain/customer-balance.ts`) as both apps show it: outstanding
 * invoices, credit available and the net balance, named the same on the portal's Home and statement and on the
 * business's customer page. A negative net balance reads as credit in the customer's favour, never as a negative
 * amount due. Both apps' catalogues have these keys (the business's says "in the customer's favour").
 */
export type BalanceWord =
  | 'balance.outstandingInvoices'
  | 'balance.creditAvailable'
  | 'balance.retainerCredit'
  | 'balance.broughtForward'
  | 'balance.netBalance'
  | 'balance.due'
  | 'balance.inFavour';

type Translate = (key: BalanceWord, values?: Record<string, string | number>) => string;

/**
 * The net balance in words — "$487.13 due", "Credit $1,812.87 in your favour", or "$0.00" — with the amount kept on
 * one line and the words free to wrap on a phone.
 */
export function NetBalance({ t, amount, currency }: { t: Translate; amount: number; currency: string }) {
  const locale = useLocale();
  const side = netBalanceSide(amount);
  const figure = formatMoney(Math.abs(amount), currency, locale);
  if (side === 'settled') return <span className="money">{figure}</span>;
  // The catalogue places the amount in the sentence; it is cut there so the amount alone stays unbroken.
  const [before = '', after = ''] = t(side === 'due' ? 'balance.due' : 'balance.inFavour', {
    amount: '\u0000',
  }).split('\u0000');
  return (
    <span className="net-balance" data-side={side}>
      {before}
      <span className="money">{figure}</span>
      {after}
    </span>
  );
}

/**
 * The three figures (and the balance brought forward when there is one), as a list of terms: outstanding invoices,
 * credit available, then the net balance they make.
 */
export function BalanceFigures({ t, balance }: { t: Translate; balance: CustomerBalance }) {
  const locale = useLocale();
  const { currency } = balance;
  return (
    <dl className="totals compact balance-figures">
      {balance.broughtForward !== 0 && (
        <div className="totals-row">
          <dt>{t('balance.broughtForward')}</dt>
          <dd>
            <Money amount={balance.broughtForward} currency={currency} />
          </dd>
        </div>
      )}
      <div className="totals-row">
        <dt>{t('balance.outstandingInvoices')}</dt>
        <dd>
          <Money amount={balance.outstandingInvoices} currency={currency} />
        </dd>
      </div>
      <div className="totals-row">
        <dt>
          {t('balance.creditAvailable')}
          {balance.retainerCredit > 0 && (
            <span className="muted small">
              {' '}
              ({t('balance.retainerCredit', { amount: formatMoney(balance.retainerCredit, currency, locale) })})
            </span>
          )}
        </dt>
        <dd>
          <Money amount={balance.creditAvailable} currency={currency} />
        </dd>
      </div>
      <div className="totals-row strong">
        <dt>{t('balance.netBalance')}</dt>
        <dd>
          <NetBalance t={t} amount={balance.netBalance} currency={currency} />
        </dd>
      </div>
    </dl>
  );
}
