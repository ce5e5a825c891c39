import { Link } from 'react-router';
import { usePagedList } from '../../portal/use-list.js';
import { api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { ErrorScreen, Skeleton } from '../app.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages/en.js';

/** Payments received, newest first: offline ones recorded here, online ones with the contact person who paid. */
export default function Payments() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const list = usePagedList(['payments', 'all'], (cursor) =>
    data(api.GET('/api/v1/payments', { params: { query: cursor ? { cursor } : {} } })),
  );
  return (
    <section>
      <div className="page-head">
        <h1>{t('payments.title')}</h1>
        <div className="actions">
          <Link className="button primary" to="/payments/new">
            {t('payments.record')}
          </Link>
          <Link className="button secondary" to="/payment-failures">
            {t('failures.title')}
          </Link>
        </div>
      </div>
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : list.rows.length === 0 ? (
        <p className="empty">{t('payments.empty')}</p>
      ) : (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('doc.number')}</th>
                <th scope="col">{t('doc.customer')}</th>
                <th scope="col">{t('doc.date')}</th>
                <th scope="col">{t('payments.how')}</th>
                <th scope="col" className="num">
                  {t('payments.amount')}
                </th>
                <th scope="col" className="num">
                  {t('payments.unapplied')}
                </th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((payment) => (
                <tr key={payment.id}>
                  <th scope="row" data-label={t('doc.number')}>
                    <Link to={`/payments/${payment.id}`}>{payment.number}</Link>
                  </th>
                  <td data-label={t('doc.customer')}>{payment.customerName}</td>
                  <td data-label={t('doc.date')}>{formatDate(payment.date, locale)}</td>
                  <td data-label={t('payments.how')}>
                    <PaidHow payment={payment} />
                  </td>
                  <td className="num" data-label={t('payments.amount')}>
                    <Money amount={payment.amount} currency={payment.currency} />
                  </td>
                  <td className="num" data-label={t('payments.unapplied')}>
                    <Money amount={payment.unapplied} currency={payment.currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.hasMore && (
            <button type="button" className="button secondary" onClick={() => list.more()}>
              {t('app.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** "Paid online by Alice Martin", or the mode of an offline payment ("Bank transfer"). */
export function PaidHow({ payment }: { payment: { source: string; paidByName: string | null; mode: string } }) {
  const { t } = useI18n();
  if (payment.source === 'portal') {
    return (
      <span>
        {payment.paidByName ? t('payments.paidOnlineBy', { name: payment.paidByName }) : t('payments.paidOnline')}
      </span>
    );
  }
  return <span>{t(`payments.mode.${payment.mode}` as MessageKey)}</span>;
}
