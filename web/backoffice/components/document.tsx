import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Money } from '../../ui/money.js';
import { useBackOffice } from '../context.js';
import { formatDateTime, formatDay } from '../format.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages/en.js';

const TONES: Record<string, string> = {
  overdue: 'danger',
  declined: 'danger',
  expired: 'muted',
  void: 'muted',
  draft: 'muted',
  paid: 'success',
  accepted: 'success',
  invoiced: 'success',
  partially_paid: 'warning',
  sent: 'info',
};

/** A status as a coloured pill with its words (never colour alone). */
export function StatusPill({ status }: { status: string }) {
  const { t } = useI18n();
  return <span className={`pill ${TONES[status] ?? 'info'}`}>{t(`status.${status}` as MessageKey)}</span>;
}

/** Filter chips over a list: links that set `?status=` (keeping the other filters), the current one marked. */
export function FilterChips(props: { label: string; options: Array<[string, string]>; current: string }) {
  const [params] = useSearchParams();
  const to = (value: string) => {
    const next = new URLSearchParams(params);
    if (value === 'all') next.delete('status');
    else next.set('status', value);
    return `?${next.toString()}`;
  };
  return (
    <nav aria-label={props.label} className="chips">
      {props.options.map(([value, label]) => (
        <Link key={value} to={to(value)} className="chip" aria-current={props.current === value ? 'page' : undefined}>
          {label}
        </Link>
      ))}
    </nav>
  );
}

export function EyeIcon() {
  return (
    <svg className="eye" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 5C6.5 5 2.7 9.1 1.5 12c1.2 2.9 5 7 10.5 7s9.3-4.1 10.5-7C21.3 9.1 17.5 5 12 5zm0 11.5a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zm0-2.5a2 2 0 1 0 0-4 2 2 0 0 0 0 4z"
      />
    </svg>
  );
}

interface Viewable {
  viewedAt: string | null;
  viewedByName: string | null;
}

/** The sentence behind the eye: "Viewed by Alice Martin on 12 Mar 2026, 10:30". */
export function useViewedText(document: Viewable): string | null {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  if (!document.viewedAt) return null;
  const date = formatDateTime(document.viewedAt, locale, timeZone);
  return document.viewedByName
    ? t('doc.viewedBy', { name: document.viewedByName, date })
    : t('doc.viewedByClient', { date });
}

/** The eye in a list: the icon and the day; the whole sentence for screen readers and as a tooltip. */
export function ViewedCell({ document }: { document: Viewable }) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const text = useViewedText(document);
  if (!text) return <span className="muted small">{t('doc.notViewedShort')}</span>;
  return (
    <span className="viewed" title={text}>
      <EyeIcon />
      <span className="visually-hidden">{text}</span>
      <span aria-hidden="true">{formatDay(document.viewedAt, locale, timeZone)}</span>
    </span>
  );
}

/** The eye on a document: who viewed it and when, or that the client has not opened it yet. */
export function ViewedLine({ document, sent }: { document: Viewable; sent: boolean }) {
  const { t } = useI18n();
  const text = useViewedText(document);
  if (!text) return sent ? <p className="viewed muted">{t('doc.notViewed')}</p> : null;
  return (
    <p className="viewed viewed-line">
      <EyeIcon />
      <span>{text}</span>
    </p>
  );
}

interface Pricing {
  currency: string;
  lines: Array<{
    id: string;
    name: string;
    description: string | null;
    quantity: string;
    unit: string | null;
    rate: number;
    net: number;
  }>;
  subtotal: number;
  discountTotal: number;
  taxes: Array<{ names: string[]; rate: string; amount: number }>;
  shipping: number;
  adjustment: number;
  adjustmentLabel: string | null;
  total: number;
}

/** The document's lines, then the totals the server computed. */
export function DocumentBody({ document, after }: { document: Pricing; after?: ReactNode }) {
  const { t } = useI18n();
  const c = document.currency;
  return (
    <div className="document">
      <table className="lines">
        <thead>
          <tr>
            <th scope="col">{t('doc.item')}</th>
            <th scope="col" className="num">
              {t('doc.quantity')}
            </th>
            <th scope="col" className="num">
              {t('doc.rate')}
            </th>
            <th scope="col" className="num">
              {t('doc.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {document.lines.map((line) => (
            <tr key={line.id}>
              <td>
                <div>{line.name}</div>
                {line.description && <div className="muted small pre-line">{line.description}</div>}
              </td>
              <td className="num">
                {line.quantity}
                {line.unit ? ` ${line.unit}` : ''}
              </td>
              <td className="num">
                <Money amount={line.rate} currency={c} />
              </td>
              <td className="num">
                <Money amount={line.net} currency={c} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="totals">
        <TotalRow label={t('doc.subtotal')} amount={document.subtotal} currency={c} />
        {document.discountTotal > 0 && (
          <TotalRow label={t('doc.discount')} amount={-document.discountTotal} currency={c} />
        )}
        {document.taxes.map((tax) => (
          <TotalRow key={tax.rate} label={`${tax.names.join(', ')} (${tax.rate}%)`} amount={tax.amount} currency={c} />
        ))}
        {document.shipping !== 0 && <TotalRow label={t('doc.shipping')} amount={document.shipping} currency={c} />}
        {document.adjustment !== 0 && (
          <TotalRow label={document.adjustmentLabel ?? ''} amount={document.adjustment} currency={c} />
        )}
        <TotalRow label={t('doc.total')} amount={document.total} currency={c} strong />
        {after}
      </dl>
    </div>
  );
}

export function TotalRow(props: { label: string; amount: number; currency: string; strong?: boolean }) {
  return (
    <div className={props.strong ? 'totals-row strong' : 'totals-row'}>
      <dt>{props.label}</dt>
      <dd>
        <Money amount={props.amount} currency={props.currency} />
      </dd>
    </div>
  );
}

/** Notes and terms, as plain text (never interpreted as HTML). */
export function NotesAndTerms({ notes, terms }: { notes: string | null; terms: string | null }) {
  const { t } = useI18n();
  if (!notes && !terms) return null;
  return (
    <div className="notes">
      {notes && (
        <section>
          <h2 className="h3">{t('doc.notes')}</h2>
          <p className="pre-line">{notes}</p>
        </section>
      )}
      {terms && (
        <section>
          <h2 className="h3">{t('doc.terms')}</h2>
          <p className="pre-line">{terms}</p>
        </section>
      )}
    </div>
  );
}
