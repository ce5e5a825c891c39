import { Link, useSearchParams } from 'react-router';
import { usePagedList } from '../../portal/use-list.js';
import { api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { ErrorScreen, Skeleton } from '../app.js';
import { FilterChips, StatusPill } from '../components/document.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';

const FILTERS = ['all', 'draft', 'sent', 'partially_paid', 'paid', 'void'] as const;
type Filter = (typeof FILTERS)[number];

/** Retainer invoices: advances a client pays before the work; what they pay becomes retainer credit. */
export default function Retainers() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const [params] = useSearchParams();
  const status = (FILTERS as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as Filter)
    : 'all';
  const list = usePagedList(['retainers', status], (cursor) =>
    data(
      api.GET('/api/v1/retainer-invoices', {
        params: { query: { ...(status === 'all' ? {} : { status }), ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );
  return (
    <section>
      <div className="page-head">
        <h1>{t('retainers.title')}</h1>
        <Link className="button primary" to="/retainers/new">
          {t('retainers.new')}
        </Link>
      </div>
      <FilterChips
        label={t('retainers.title')}
        current={status}
        options={FILTERS.map((value) => [value, value === 'all' ? t('invoices.filter.all') : t(`status.${value}`)])}
      />
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : list.rows.length === 0 ? (
        <p className="empty">{t('retainers.empty')}</p>
      ) : (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('doc.number')}</th>
                <th scope="col">{t('doc.customer')}</th>
                <th scope="col">{t('doc.date')}</th>
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
              {list.rows.map((retainer) => (
                <tr key={retainer.id}>
                  <th scope="row" data-label={t('doc.number')}>
                    <Link to={`/retainers/${retainer.id}`}>{retainer.number}</Link>
                  </th>
                  <td data-label={t('doc.customer')}>{retainer.customerName}</td>
                  <td data-label={t('doc.date')}>{formatDate(retainer.issueDate, locale)}</td>
                  <td data-label={t('doc.status')}>
                    <StatusPill status={retainer.status} />
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
              {t('app.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
