import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import { formatDate, formatMoney } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import type { MessageKey } from '../../ui/messages/en.js';
import { usePagedList } from '../../ui/use-list.js';
import { Money } from '../components/document.js';
import { ListTable, PagedList } from '../components/paged-list.js';
import { usePortal } from '../portal-context.js';

/** The payments the client's company made, newest first: a table on desktop, cards on phones. */
export default function Payments() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const list = usePagedList(['payments', slug], (cursor) =>
    data(api.GET('/api/portal/{slug}/payments', { params: { path: { slug }, query: cursor ? { cursor } : {} } })),
  );
  return (
    <section>
      <h1>{t('payments.title')}</h1>
      <PagedList list={list} empty={t('payments.empty')}>
        {(rows) => (
          <ListTable
            rows={rows}
            columns={[
              {
                label: t('doc.number'),
                nowrap: true,
                cell: (payment) => <Link to={`/payments/${payment.id}`}>{payment.number}</Link>,
              },
              { label: t('doc.date'), nowrap: true, cell: (payment) => formatDate(payment.date, locale) },
              {
                label: t('payments.mode'),
                cell: (payment) => (
                  <span>
                    {t(`mode.${payment.mode}` as MessageKey)}
                    {payment.testMode && (
                      <>
                        {' '}
                        <span className="pill warning">{t('testMode.payment')}</span>
                      </>
                    )}
                  </span>
                ),
              },
              { label: t('doc.reference'), cell: (payment) => payment.reference ?? '—' },
              {
                label: t('payments.appliedTo'),
                cell: (payment) => (
                  <span>
                    {payment.retainerPayment ? (
                      t('payments.retainerAdvance')
                    ) : (
                      <Money amount={payment.amount - payment.unapplied} currency={payment.currency} />
                    )}
                    {payment.unapplied > 0 && (
                      <span className="muted small">
                        {' '}
                        {t('payments.credit', { amount: formatMoney(payment.unapplied, payment.currency, locale) })}
                      </span>
                    )}
                  </span>
                ),
              },
              {
                label: t('doc.amount'),
                numeric: true,
                cell: (payment) => <Money amount={payment.amount} currency={payment.currency} />,
              },
            ]}
          />
        )}
      </PagedList>
    </section>
  );
}
