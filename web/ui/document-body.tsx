import type { ReactNode } from 'react';
import { Money } from './money.js';

/** The words these parts need; both apps' catalogues have them under these keys. */
export type DocumentWord =
  | 'doc.item'
  | 'doc.quantity'
  | 'doc.rate'
  | 'doc.amount'
  | 'doc.subtotal'
  | 'doc.discount'
  | 'doc.shipping'
  | 'doc.total'
  | 'doc.notes'
  | 'doc.terms';
type Words = (key: DocumentWord) => string;

export interface DocumentPricing {
  currency: string;
  lines: Array<{
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

/**
 * An estimate's or invoice's lines, then the totals the server computed (nothing is summed here), then `after`
 * (paid, balance…). Each app passes its own `t` (web/portal and web/backoffice components/document.tsx).
 */
export function DocumentBody({ document, after, t }: { document: DocumentPricing; after?: ReactNode; t: Words }) {
  const c = document.currency;
  return (
    <div className="document">
      <table className="lines">
        <thead>
          <tr>
            <th scope="col">{t('doc.item')}</th>
            <th scope="col" className="num qty-rate">
              {t('doc.quantity')}
            </th>
            <th scope="col" className="num qty-rate">
              {t('doc.rate')}
            </th>
            <th scope="col" className="num">
              {t('doc.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {document.lines.map((line, index) => (
            // The client's view of a line has no id; in both views the lines' order is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <tr key={index}>
              <td>
                <div>{line.name}</div>
                {line.description && <div className="muted small pre-line">{line.description}</div>}
                {/* On a phone the quantity and rate columns give way to this line, so the table fits. */}
                <div className="muted small line-math">
                  {line.quantity}
                  {line.unit ? ` ${line.unit}` : ''} × <Money amount={line.rate} currency={c} />
                </div>
              </td>
              <td className="num qty-rate">
                {line.quantity}
                {line.unit ? ` ${line.unit}` : ''}
              </td>
              <td className="num qty-rate">
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
export function NotesAndTerms({ notes, terms, t }: { notes: string | null; terms: string | null; t: Words }) {
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
