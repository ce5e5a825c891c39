import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import { formatDate, formatMoney } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import type { MessageKey } from '../../ui/messages/en.js';
import { ErrorScreen, Skeleton } from '../app.js';
import { Money } from '../components/document.js';
import { usePortal } from '../portal-context.js';
import { usePagedList } from '../use-list.js';

/** The payments the client's company made, newest first: a table on desktop, cards on phones. */
export default function Payments() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const list = usePagedList(['payments', slug], (cursor) =>
    data(api.GET('/api/portal/{slug}/payments', { params: { path: { slug }, query: cursor ? { cursor } : {} } })),
  );
  const rows = list.rows;
  return (
    <section>
      <h1>{t('payments.title')}</h1>
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : rows.length === 0 ? (
        <p className="empty">{t('payments.empty')}</p>
      ) : (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('doc.number')}</th>
                <th scope="col">{t('doc.date')}</th>
                <th scope="col">{t('payments.mode')}</th>
                <th scope="col">{t('doc.reference')}</th>
                <th scope="col">{t('payments.appliedTo')}</th>
                <th scope="col" className="num">
                  {t('doc.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((payment) => (
                <tr key={payment.id}>
                  <th scope="row" data-label={t('doc.number')}>
                    <Link to={`/payments/${payment.id}`}>{payment.number}</Link>
                  </th>
                  <td data-label={t('doc.date')}>{formatDate(payment.date, locale)}</td>
                  <td data-label={t('payments.mode')}>{t(`mode.${payment.mode}` as MessageKey)}</td>
                  <td data-label={t('doc.reference')}>{payment.reference ?? '—'}</td>
                  <td data-label={t('payments.appliedTo')}>
                    <span>
                      {payment.retainerPayment ? (
                        t('payments.retainerAdvance')
                      ) : (
                        <Money amount={payment.amount - payment.unapplied} currency={payment.currency} />
                      )}
                      {payment.unapplied > 0 && (
                        <span className="muted small">
                          {' '}
                          {t('payments.credit', {
                            amount: formatMoney(payment.unapplied, payment.currency, locale),
                          })}
                        </span>
                      )}
                    </span>
                  </td>
                  <td className="num" data-label={t('doc.amount')}>
                    <Money amount={payment.amount} currency={payment.currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.hasMore && (
            <button type="button" className="button secondary" onClick={() => list.more()}>
              {t('doc.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
