import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { usePagedList } from '../../ui/use-list.js';
import { FilterChips, Money, StatusPill } from '../components/document.js';
import { ListTable, PagedList, useStatusFilter } from '../components/paged-list.js';
import { usePortal } from '../portal-context.js';

const FILTERS = ['all', 'awaiting', 'accepted', 'declined', 'invoiced', 'expired'] as const;

export default function Estimates() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const status = useStatusFilter(FILTERS);
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
  return (
    <section>
      <h1>{t('estimates.title')}</h1>
      <FilterChips
        label={t('estimates.title')}
        current={status}
        options={FILTERS.map((value) => [value, t(`estimates.filter.${value}`)])}
      />
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
              { label: t('doc.date'), nowrap: true, cell: (estimate) => formatDate(estimate.issueDate, locale) },
              { label: t('doc.expires'), nowrap: true, cell: (estimate) => formatDate(estimate.expiryDate, locale) },
              { label: t('doc.status'), cell: (estimate) => <StatusPill status={estimate.status} kind="estimate" /> },
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
