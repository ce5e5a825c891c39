import { Link, useNavigate, useParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { ActionBar } from '../components/actions.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';
import NotFound from './not-found.js';
import { PaidHow } from './payments.js';

/** A payment: who paid and how, where it was applied, what is left as credit, and its receipt. */
export default function Payment() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const payment = useSWR(['payment', id], () => data(api.GET('/api/v1/payments/{id}', { params: { path: { id } } })));
  if (payment.error) {
    if (payment.error instanceof ApiError && payment.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => payment.mutate()} />;
  }
  if (!payment.data) return <Skeleton />;
  const p = payment.data;
  return (
    <article className="document-page">
      <p className="small no-print">
        <Link to="/payments">{t('doc.backTo', { list: t('payments.title') })}</Link>
      </p>
      <header className="document-header">
        <div>
          <h1>{t('payment.title', { number: p.number })}</h1>
          <p>
            <Link to={`/customers/${p.customerId}`}>{p.customerName}</Link>
          </p>
          <p className="muted">
            {formatDate(p.date, locale)} · <PaidHow payment={p} />
          </p>
          {p.reference && <p className="muted small">{t('doc.reference', { reference: p.reference })}</p>}
        </div>
        <div className="amount-due">
          <span className="muted">{t('payments.amount')}</span>
          <strong className="big-amount">
            <Money amount={p.amount} currency={p.currency} />
          </strong>
          {p.unapplied > 0 && (
            <span className="muted small">
              {t(p.retainerInvoiceId ? 'payment.retainerCredit' : 'payment.credit')}{' '}
              <Money amount={p.unapplied} currency={p.currency} />
            </span>
          )}
        </div>
      </header>
      <ActionBar
        label={t('doc.actions')}
        lists={['payments', 'invoices', 'customer']}
        actions={
          p.source === 'offline'
            ? [
                {
                  label: t('payment.delete'),
                  danger: true,
                  confirm: t('payment.deleteConfirm', { number: p.number }),
                  done: '',
                  run: async () => {
                    await data(api.DELETE('/api/v1/payments/{id}', { params: { path: { id: p.id } } }));
                    navigate('/payments');
                  },
                },
              ]
            : []
        }
        links={
          <a className="button secondary" href={`/api/v1/payments/${p.id}/receipt`}>
            {t('payment.receipt')}
          </a>
        }
      />
      <section aria-labelledby="payment-applied">
        <h2 id="payment-applied">{t('payment.applied')}</h2>
        {p.retainerInvoiceId && (
          <p>
            {t('payment.forRetainer')} <Link to={`/retainers/${p.retainerInvoiceId}`}>{p.retainerInvoiceNumber}</Link>
          </p>
        )}
        {p.allocations.length === 0 ? (
          !p.retainerInvoiceId && <p className="empty">{t('payment.notApplied')}</p>
        ) : (
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('payment.invoice')}</th>
                <th scope="col">{t('doc.date')}</th>
                <th scope="col">{t('payment.kind')}</th>
                <th scope="col" className="num">
                  {t('payments.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {p.allocations.map((a) => (
                <tr key={a.id}>
                  <th scope="row" data-label={t('payment.invoice')}>
                    <Link to={`/invoices/${a.invoiceId}`}>{a.invoiceNumber}</Link>
                  </th>
                  <td className="nowrap" data-label={t('doc.date')}>
                    {formatDate(a.appliedOn, locale)}
                  </td>
                  <td data-label={t('payment.kind')}>
                    {a.released
                      ? t('invoice.released')
                      : a.kind === 'credit'
                        ? t('invoice.fromCredit')
                        : t('payment.direct')}
                  </td>
                  <td className="num" data-label={t('payments.amount')}>
                    <Money amount={a.amount} currency={p.currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {p.notes && <p className="pre-line">{p.notes}</p>}
      </section>
    </article>
  );
}
