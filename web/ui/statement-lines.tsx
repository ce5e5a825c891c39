import { formatDate } from './format.js';
import { Money } from './money.js';
import { useLocale } from './translate.js';

/** The words the table needs; both apps' catalogues have them under these keys. */
type StatementWord = 'doc.date' | 'statement.details' | 'doc.amount' | 'statement.payments' | 'doc.balance';

interface StatementLine {
  date: string;
  details: string;
  amount: number;
  payment: number;
  balance: number;
}

/**
 * A statement of accounts' lines, oldest first, each with the running balance the server computed (nothing is
 * summed here). The portal names each line's transaction in a column of its own, which then heads the row
 * (`transaction`); otherwise the details head it. Used by the portal's statement screen and the back office's
 * customer statement.
 */
export function StatementLines<L extends StatementLine>({
  t,
  lines,
  currency,
  caption,
  transaction,
  boldBalance = false,
}: {
  t: (key: StatementWord) => string;
  lines: L[];
  currency: string;
  /** The table's name for screen readers, when the page's heading does not already say it. */
  caption?: string;
  transaction?: { label: string; name: (line: L) => string };
  boldBalance?: boolean;
}) {
  const locale = useLocale();
  return (
    <table className="list statement-lines">
      {caption && <caption className="visually-hidden">{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{t('doc.date')}</th>
          {transaction && <th scope="col">{transaction.label}</th>}
          <th scope="col">{t('statement.details')}</th>
          <th scope="col" className="num">
            {t('doc.amount')}
          </th>
          <th scope="col" className="num">
            {t('statement.payments')}
          </th>
          <th scope="col" className="num">
            {t('doc.balance')}
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line, index) => (
          // Lines have no id; their order (date, then creation) is their identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <tr key={index}>
            <td className="nowrap" data-label={t('doc.date')}>
              {formatDate(line.date, locale)}
            </td>
            {transaction ? (
              <>
                <th scope="row" className="nowrap" data-label={transaction.label}>
                  {transaction.name(line)}
                </th>
                <td data-label={t('statement.details')}>{line.details}</td>
              </>
            ) : (
              <th scope="row" data-label={t('statement.details')}>
                {line.details}
              </th>
            )}
            <td className="num" data-label={t('doc.amount')}>
              {line.amount !== 0 && <Money amount={line.amount} currency={currency} />}
            </td>
            <td className="num" data-label={t('statement.payments')}>
              {line.payment !== 0 && <Money amount={line.payment} currency={currency} />}
            </td>
            <td className={boldBalance ? 'num strong' : 'num'} data-label={t('doc.balance')}>
              <Money amount={line.balance} currency={currency} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
