import type { ReactNode } from 'react';
import { formatDate } from './format.js';
import { Money } from './money.js';
import { useLocale } from './translate.js';

/** The amount that matters most on a document (what is due, or its total), and what can be done about it. */
interface HeadlineAmount {
  label: string;
  amount: number;
  currency: string;
  /** A short line under the amount (when it is due, until when an estimate holds). */
  note?: string | null | false;
  actions?: ReactNode;
}

/**
 * The top of an estimate, invoice or retainer invoice: its number as the page's heading, whom it is for (the back
 * office links the customer), its issue date and status, any further lines (`children`: reference, validity, who
 * viewed it…), and the headline amount when there is one. Each app passes its own words and status pill; dates and
 * money are shown in the organization's locale (the nearest I18nProvider).
 */
export function DocumentHeader({
  title,
  customer,
  issueDate,
  status,
  amount,
  children,
}: {
  title: string;
  customer?: ReactNode;
  issueDate: string;
  status: ReactNode;
  amount?: HeadlineAmount;
  children?: ReactNode;
}) {
  const locale = useLocale();
  return (
    <header className="document-header">
      <div>
        <h1>{title}</h1>
        {customer && <p>{customer}</p>}
        <p className="muted">
          {formatDate(issueDate, locale)} · {status}
        </p>
        {children}
      </div>
      {amount && (
        <div className="amount-due">
          <span className="muted">{amount.label}</span>
          <strong className="big-amount">
            <Money amount={amount.amount} currency={amount.currency} />
          </strong>
          {amount.note && <span className="muted small">{amount.note}</span>}
          {amount.actions}
        </div>
      )}
    </header>
  );
}
