import { Link, useSearchParams } from 'react-router';
import { api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { ErrorScreen, Skeleton } from '../app.js';
import { FilterChips, Money, StatusPill } from '../components/document.js';
import { usePortal } from '../portal-context.js';
import { usePagedList } from '../use-list.js';

const FILTERS = ['all', 'unpaid', 'paid', 'void'] as const;
type Filter = (typeof FILTERS)[number];

/** The retainer invoices (requests for an advance): a table on desktop, cards on phones. */
export default function Retainers() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const [params] = useSearchParams();
  const status = (FILTERS as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as Filter)
    : 'all';
  const list = usePagedList(['retainer-invoices', slug, status], (cursor) =>
    data(
      api.GET('/api/portal/{slug}/retainer-invoices', {
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
      <h1>{t('retainers.title')}</h1>
      <FilterChips
        label={t('retainers.title')}
        current={status}
        options={FILTERS.map((value) => [value, t(`retainers.filter.${value}`)])}
      />
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : rows.length === 0 ? (
        <p className="empty">{t('retainers.empty')}</p>
      ) : (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('doc.number')}</th>
                <th scope="col">{t('doc.date')}</th>
                <th scope="col">{t('doc.reference')}</th>
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
              {rows.map((retainer) => (
                <tr key={retainer.id}>
                  <th scope="row" data-label={t('doc.number')}>
                    <Link to={`/retainers/${retainer.id}`}>{retainer.number}</Link>
                  </th>
                  <td data-label={t('doc.date')}>{formatDate(retainer.issueDate, locale)}</td>
                  <td data-label={t('doc.reference')}>{retainer.reference ?? '—'}</td>
                  <td data-label={t('doc.status')}>
                    <StatusPill status={retainer.status} kind="invoice" />
                  </td>
                  <td className="num" data-label={t('doc.total')}>
                    <Money amount={retainer.total} currency={retainer.currency} />
                  </td>
                  <td className="num" data-label={t('doc.balance')}>
                    <Money amount={retainer.balance} currency={retainer.currency} />
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
