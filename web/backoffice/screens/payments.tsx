import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { usePagedList } from '../../ui/use-list.js';
import { ListTable, PagedList } from '../components/paged-list.js';
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
              { label: t('doc.customer'), cell: (payment) => payment.customerName },
              { label: t('doc.date'), nowrap: true, cell: (payment) => formatDate(payment.date, locale) },
              { label: t('payments.how'), cell: (payment) => <PaidHow payment={payment} /> },
              {
                label: t('payments.amount'),
                numeric: true,
                cell: (payment) => <Money amount={payment.amount} currency={payment.currency} />,
              },
              {
                label: t('payments.unapplied'),
                numeric: true,
                cell: (payment) => <Money amount={payment.unapplied} currency={payment.currency} />,
              },
            ]}
          />
        )}
      </PagedList>
    </section>
  );
}

/**
 * "Paid online by Alice Martin", or the mode of an offline payment ("Bank transfer"); a payment made through a
 * gateway in test mode says so ("Test payment — no money moved").
 */
export function PaidHow({
  payment,
}: {
  payment: { source: string; paidByName: string | null; mode: string; testMode: boolean };
}) {
  const { t } = useI18n();
  if (payment.source === 'portal') {
    return (
      <span>
        {payment.paidByName ? t('payments.paidOnlineBy', { name: payment.paidByName }) : t('payments.paidOnline')}
        {payment.testMode && (
          <>
            {' '}
            <span className="pill warning">{t('payments.testPayment')}</span>
          </>
        )}
      </span>
    );
  }
  return <span>{t(`payments.mode.${payment.mode}` as MessageKey)}</span>;
}
