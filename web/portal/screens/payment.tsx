import { Link, useParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import type { MessageKey } from '../../ui/messages/en.js';
import { Money } from '../components/document.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { usePortal } from '../portal-context.js';
import NotFound from './not-found.js';

/** One payment: amount, date, mode, reference, the invoices (or retainer) it paid, and its receipt. */
export default function Payment() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const { id = '' } = useParams();
  const payment = useSWR(['payment', slug, id], () =>
    data(api.GET('/api/portal/{slug}/payments/{id}', { params: { path: { slug, id } } })),
  );
  if (payment.error) {
    if (payment.error instanceof ApiError && payment.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => payment.mutate()} />;
  }
  if (!payment.data) return <Skeleton />;
  const p = payment.data;
  const c = p.currency;
  return (
    <article className="document-page">
      <header className="document-header">
        <div>
          <h1>{t('payment.title', { number: p.number })}</h1>
          <p className="muted">{formatDate(p.date, locale)}</p>
          {p.paidBy && <p className="muted small">{t('payment.paidBy', { name: p.paidBy.name })}</p>}
          {p.testMode && <p className="pill warning">{t('testMode.payment')}</p>}
        </div>
        <div className="amount-due">
          <span className="muted">{t('payment.amount')}</span>
          <strong className="big-amount">
            <Money amount={p.amount} currency={c} />
          </strong>
        </div>
      </header>
      <dl className="facts">
        <div>
          <dt className="fact-label">{t('doc.date')}</dt>
          <dd className="fact-value">{formatDate(p.date, locale)}</dd>
        </div>
        <div>
          <dt className="fact-label">{t('payments.mode')}</dt>
          <dd className="fact-value">{t(`mode.${p.mode}` as MessageKey)}</dd>
        </div>
        {p.reference && (
          <div>
            <dt className="fact-label">{t('doc.reference')}</dt>
            <dd className="fact-value">{p.reference}</dd>
          </div>
        )}
        {p.retainerInvoice && (
          <div>
            <dt className="fact-label">{t('payment.retainer')}</dt>
            <dd className="fact-value">
              <Link to={`/retainers/${p.retainerInvoice.id}`}>{p.retainerInvoice.number}</Link>
            </dd>
          </div>
        )}
      </dl>

      <section className="related" aria-labelledby="payment-invoices">
        <h2 id="payment-invoices">{t('payment.invoices')}</h2>
        {p.invoices.length === 0 ? (
          <p className="muted">{t('payment.noInvoices')}</p>
        ) : (
          <table className="lines">
            <thead>
              <tr>
                <th scope="col">{t('doc.number')}</th>
                <th scope="col">{t('payment.invoiceDate')}</th>
                <th scope="col" className="phone-hidden">
                  {t('payment.appliedOn')}
                </th>
                <th scope="col" className="num">
                  {t('doc.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {p.invoices.map((invoice) => (
                <tr key={`${invoice.invoiceId}-${invoice.appliedOn}`}>
                  <td>
                    <Link to={`/invoices/${invoice.invoiceId}`}>{invoice.number}</Link>
                  </td>
                  <td>{formatDate(invoice.date, locale)}</td>
                  <td className="phone-hidden">{formatDate(invoice.appliedOn.slice(0, 10), locale)}</td>
                  <td className="num">
                    <Money amount={invoice.amount} currency={c} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {p.unapplied > 0 && (
          <dl className="totals">
            <div className="totals-row">
              <dt className="fact-label">{t('payment.unapplied')}</dt>
              <dd className="fact-value">
                <Money amount={p.unapplied} currency={c} />
              </dd>
            </div>
          </dl>
        )}
      </section>

      <div className="actions no-print">
        <a
          className="button primary"
          href={`/api/portal/${encodeURIComponent(slug)}/payments/${encodeURIComponent(p.id)}/receipt`}
          download
        >
          {t('payment.receipt')}
        </a>
        <button type="button" className="button secondary" onClick={() => window.print()}>
          {t('doc.print')}
        </button>
      </div>
    </article>
  );
}
