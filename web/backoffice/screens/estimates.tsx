import { Link, useSearchParams } from 'react-router';
import { usePagedList } from '../../portal/use-list.js';
import { api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { ErrorScreen, Skeleton } from '../app.js';
import { FilterChips, StatusPill, ViewedCell } from '../components/document.js';
import { useViewedFilter, ViewedFilter } from '../components/viewed-filter.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';

const FILTERS = ['all', 'draft', 'sent', 'accepted', 'declined', 'invoiced', 'expired'] as const;
type Filter = (typeof FILTERS)[number];

export default function Estimates() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const [params] = useSearchParams();
  const status = (FILTERS as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as Filter)
    : 'all';
  const customerId = params.get('customerId') ?? undefined;
  const viewed = useViewedFilter();
  const list = usePagedList(['estimates', status, customerId, viewed.choice], (cursor) =>
    data(
      api.GET('/api/v1/estimates', {
        params: {
          query: {
            ...(status === 'all' ? {} : { status }),
            ...(customerId ? { customerId } : {}),
            ...viewed.query,
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    ),
  );
  return (
    <section>
      <div className="page-head">
        <h1>{t('estimates.title')}</h1>
        <Link className="button primary" to={`/estimates/new${customerId ? `?customerId=${customerId}` : ''}`}>
          {t('estimates.new')}
        </Link>
      </div>
      <FilterChips
        label={t('estimates.title')}
        current={status}
        options={FILTERS.map((value) => [value, t(`estimates.filter.${value}`)])}
      />
      <ViewedFilter />
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : list.rows.length === 0 ? (
        <p className="empty">{t('estimates.empty')}</p>
      ) : (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('doc.number')}</th>
                <th scope="col">{t('doc.customer')}</th>
                <th scope="col">{t('doc.date')}</th>
                <th scope="col">{t('doc.expiry')}</th>
                <th scope="col">{t('doc.status')}</th>
                <th scope="col">{t('doc.viewed')}</th>
                <th scope="col" className="num">
                  {t('doc.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((estimate) => (
                <tr key={estimate.id}>
                  <th scope="row" data-label={t('doc.number')}>
                    <Link to={`/estimates/${estimate.id}`}>{estimate.number}</Link>
                  </th>
                  <td data-label={t('doc.customer')}>{estimate.customer.displayName}</td>
                  <td data-label={t('doc.date')}>{formatDate(estimate.issueDate, locale)}</td>
                  <td data-label={t('doc.expiry')}>{formatDate(estimate.expiryDate, locale)}</td>
                  <td data-label={t('doc.status')}>
                    <StatusPill status={estimate.status} />
                  </td>
                  <td data-label={t('doc.viewed')}>
                    <ViewedCell document={estimate} />
                  </td>
                  <td className="num" data-label={t('doc.total')}>
                    <Money amount={estimate.total} currency={estimate.currency} />
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
