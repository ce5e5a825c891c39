import { Link, useSearchParams } from 'react-router';
import { api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { usePagedList } from '../../ui/use-list.js';
import { FilterChips, StatusPill, ViewedCell } from '../components/document.js';
import { ListTable, PagedList, useStatusFilter } from '../components/paged-list.js';
import { useViewedFilter, ViewedFilter } from '../components/viewed-filter.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';

const FILTERS = ['all', 'draft', 'sent', 'changes_requested', 'accepted', 'declined', 'invoiced', 'expired'] as const;

export default function Estimates() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const [params] = useSearchParams();
  const status = useStatusFilter(FILTERS);
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
      <PagedList list={list} empty={t('estimates.empty')}>
        {(rows) => (
          <ListTable
            rows={rows}
            columns={[
              {
                label: t('doc.number'),
                nowrap: true,
                cell: (estimate) => <Link to={`/estimates/${estimate.id}`}>{estimate.number}</Link>,
              },
              { label: t('doc.customer'), cell: (estimate) => estimate.customer.displayName },
              { label: t('doc.date'), nowrap: true, cell: (estimate) => formatDate(estimate.issueDate, locale) },
              { label: t('doc.expiry'), nowrap: true, cell: (estimate) => formatDate(estimate.expiryDate, locale) },
              { label: t('doc.status'), cell: (estimate) => <StatusPill status={estimate.status} /> },
              { label: t('doc.viewed'), cell: (estimate) => <ViewedCell document={estimate} /> },
              {
                label: t('doc.total'),
                numeric: true,
                cell: (estimate) => <Money amount={estimate.total} currency={estimate.currency} />,
              },
            ]}
          />
        )}
      </PagedList>
    </section>
  );
}
