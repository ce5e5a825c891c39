import type { PaymentMode } from '../../src/domain/payment-modes.js';
import { formatDate } from './format.js';
import { Money } from './money.js';
import { useLocale } from './translate.js';

/** The words the table needs; both apps' catalogues have them under these keys. */
type StatementWord =
  | 'doc.date'
  | 'statement.details'
  | 'doc.amount'
  | 'statement.payments'
  | 'doc.balance'
  | 'statement.kind.opening_balance'
  | 'statement.line.due'
  | 'statement.line.writeOff'
  | 'statement.line.payment'
  | 'statement.line.retainerPayment'
  | 'statement.line.reference'
  | 'statement.line.testPayment';

type Translate = (key: StatementWord, values?: Record<string, string | number>) => string;

interface StatementLine {
  date: string;
  kind: 'opening_balance' | 'invoice' | 'payment' | 'write_off';
  number: string | null;
  amount: number;
  payment: number;
  balance: number;
  testMode: boolean;
  dueDate: string | null;
  paymentMode: PaymentMode | null;
  paymentReference: string | null;
  retainerInvoiceNumber: string | null;
}

/**
 * A line's details in the reader's words, written from its facts as the server writes them in PDFs: "Due 14 Apr
 * 2026", "Write-off of INV-00012", "Payment (Bank transfer), ref. 1042", "Retainer payment for RET-00003".
 */
function lineDetails(t: Translate, line: StatementLine, locale: string, modeName: (mode: PaymentMode) => string) {
  switch (line.kind) {
    case 'opening_balance':
      return t('statement.kind.opening_balance');
    case 'invoice':
      return line.dueDate ? t('statement.line.due', { date: formatDate(line.dueDate, locale) }) : '';
    case 'write_off':
      return t('statement.line.writeOff', { number: line.number ?? '' });
    case 'payment': {
      const what = line.retainerInvoiceNumber
        ? t('statement.line.retainerPayment', { number: line.retainerInvoiceNumber })
        : t('statement.line.payment', { mode: line.paymentMode ? modeName(line.paymentMode) : '' });
      const details = line.paymentReference
        ? t('statement.line.reference', { details: what, reference: line.paymentReference })
        : what;
      return line.testMode ? t('statement.line.testPayment', { details }) : details;
    }
    default:
      return '';
  }
}

/**
 * A statement of accounts' lines, oldest first, each with the running balance the server computed (nothing is
 * summed here). The portal names each line's transaction in a column of its own, which then heads the row
 * (`transaction`); otherwise the details head it. Used by the portal's statement screen and the back office's
 * customer statement. Each app names the payment modes (`modeName`) with its own catalogue's words.
 */
export function StatementLines<L extends StatementLine>({
  t,
  modeName,
  lines,
  currency,
  caption,
  transaction,
  boldBalance = false,
}: {
  t: Translate;
  modeName: (mode: PaymentMode) => string;
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
                <td data-label={t('statement.details')}>{lineDetails(t, line, locale, modeName)}</td>
              </>
            ) : (
              <th scope="row" data-label={t('statement.details')}>
                {lineDetails(t, line, locale, modeName)}
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
