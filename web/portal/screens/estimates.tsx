import { Link, useSearchParams } from 'react-router';
import { api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { ErrorScreen, Skeleton } from '../app.js';
import { FilterChips, Money, StatusPill } from '../components/document.js';
import { usePortal } from '../portal-context.js';
import { usePagedList } from '../use-list.js';

const FILTERS = ['all', 'awaiting', 'accepted', 'declined', 'invoiced', 'expired'] as const;
type Filter = (typeof FILTERS)[number];

export default function Estimates() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const [params] = useSearchParams();
  const status = (FILTERS as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as Filter)
    : 'all';
  const list = usePagedList(['estimates', slug, status], (cursor) =>
    data(
      api.GET('/api/portal/{slug}/estimates', {
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
      <h1>{t('estimates.title')}</h1>
      <FilterChips
        label={t('estimates.title')}
        current={status}
        options={FILTERS.map((value) => [value, t(`estimates.filter.${value}`)])}
      />
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : rows.length === 0 ? (
        <p className="empty">{t('estimates.empty')}</p>
      ) : (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('doc.number')}</th>
                <th scope="col">{t('doc.date')}</th>
                <th scope="col">{t('doc.expires')}</th>
                <th scope="col">{t('doc.status')}</th>
                <th scope="col" className="num">
                  {t('doc.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((estimate) => (
                <tr key={estimate.id}>
                  <th scope="row" data-label={t('doc.number')}>
                    <Link to={`/estimates/${estimate.id}`}>{estimate.number}</Link>
                  </th>
                  <td data-label={t('doc.date')}>{formatDate(estimate.issueDate, locale)}</td>
                  <td data-label={t('doc.expires')}>{formatDate(estimate.expiryDate, locale)}</td>
                  <td data-label={t('doc.status')}>
                    <StatusPill status={estimate.status} kind="estimate" />
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
              {t('doc.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
