import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../ui/i18n.js';
import type { MessageKey } from '../../ui/messages/en.js';
import { Money } from '../../ui/money.js';

/** Shared with the back office (web/ui/money.tsx): the locale comes from the nearest I18nProvider. */
export { Money };

const TONES: Record<string, string> = {
  overdue: 'danger',
  declined: 'danger',
  expired: 'muted',
  void: 'muted',
  paid: 'success',
  accepted: 'success',
  invoiced: 'success',
  partially_paid: 'warning',
  sent: 'info',
};

/** A status as a coloured pill with its words (never colour alone). */
export function StatusPill({ status, kind }: { status: string; kind: 'invoice' | 'estimate' }) {
  const { t } = useI18n();
  const key = (kind === 'estimate' ? `status.estimate.${status}` : `status.${status}`) as MessageKey;
  return <span className={`pill ${TONES[status] ?? 'info'}`}>{t(key)}</span>;
}

/** Filter chips over a list: links that set `?status=`, the current one marked for assistive technology. */
export function FilterChips(props: { label: string; options: Array<[string, string]>; current: string }) {
  return (
    <nav aria-label={props.label} className="chips">
      {props.options.map(([value, label]) => (
        <Link
          key={value}
          to={value === 'all' ? '?' : `?status=${value}`}
          className="chip"
          aria-current={props.current === value ? 'page' : undefined}
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}

interface Line {
  name: string;
  description: string | null;
  quantity: string;
  unit: string | null;
  rate: number;
  net: number;
}

interface Pricing {
  currency: string;
  lines: Line[];
  subtotal: number;
  discountTotal: number;
  taxes: Array<{ names: string[]; rate: string; amount: number }>;
  shipping: number;
  adjustment: number;
  adjustmentLabel: string | null;
  total: number;
}

/** The document as the business wrote it: lines, then the totals the server computed. */
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
          {document.lines.map((line, index) => (
            // Lines have no id in the portal's view; their order is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <tr key={index}>
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

/** One row of a totals list (a `div` of `dt` and `dd`, as HTML allows inside a `dl`). */
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
