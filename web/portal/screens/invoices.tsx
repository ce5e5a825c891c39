import { Link, useSearchParams } from 'react-router';
import { api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { ErrorScreen, Skeleton } from '../app.js';
import { FilterChips, Money, StatusPill } from '../components/document.js';
import { usePortal } from '../portal-context.js';
import { usePagedList } from '../use-list.js';

const FILTERS = ['all', 'unpaid', 'overdue', 'partially_paid', 'paid', 'void'] as const;
type Filter = (typeof FILTERS)[number];

export default function Invoices() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const [params] = useSearchParams();
  const status = (FILTERS as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as Filter)
    : 'all';
  const list = usePagedList(['invoices', slug, status], (cursor) =>
    data(
      api.GET('/api/portal/{slug}/invoices', {
        params: {
          path: { slug },
          query: { ...(status === 'all' ? {} : { status }), ...(cursor ? { cursor } : {}) },
        },
      }),
    ),
  );
  const rows = list.rows;
  return (
    <section>
      <h1>{t('invoices.title')}</h1>
      <FilterChips
        label={t('invoices.title')}
        current={status}
        options={FILTERS.map((value) => [value, t(`invoices.filter.${value}`)])}
      />
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : rows.length === 0 ? (
        <p className="empty">{t('invoices.empty')}</p>
      ) : (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('doc.number')}</th>
                <th scope="col">{t('doc.date')}</th>
                <th scope="col">{t('doc.due')}</th>
                <th scope="col">{t('doc.status')}</th>
                <th scope="col" className="num">
                  {t('doc.total')}
                </th>
                <th scope="col" className="num">
                  {t('doc.balance')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((invoice) => (
                <tr key={invoice.id}>
                  <th scope="row" data-label={t('doc.number')}>
                    <Link to={`/invoices/${invoice.id}`}>{invoice.number}</Link>
                  </th>
                  <td data-label={t('doc.date')}>{formatDate(invoice.issueDate, locale)}</td>
                  <td data-label={t('doc.due')}>{formatDate(invoice.dueDate, locale)}</td>
                  <td data-label={t('doc.status')}>
                    <StatusPill status={invoice.status} kind="invoice" />
                  </td>
                  <td className="num" data-label={t('doc.total')}>
                    <Money amount={invoice.total} currency={invoice.currency} />
                  </td>
                  <td className="num" data-label={t('doc.balance')}>
                    <Money amount={invoice.balance} currency={invoice.currency} />
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
