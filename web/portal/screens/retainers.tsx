import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { usePagedList } from '../../ui/use-list.js';
import { FilterChips, Money, StatusPill } from '../components/document.js';
import { ListTable, PagedList, useStatusFilter } from '../components/paged-list.js';
import { usePortal } from '../portal-context.js';

const FILTERS = ['all', 'unpaid', 'paid', 'void'] as const;

/** The retainer invoices (requests for an advance): a table on desktop, cards on phones. */
export default function Retainers() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const status = useStatusFilter(FILTERS);
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
  return (
    <section>
      <h1>{t('retainers.title')}</h1>
      <FilterChips
        label={t('retainers.title')}
        current={status}
        options={FILTERS.map((value) => [value, t(`retainers.filter.${value}`)])}
      />
      <PagedList list={list} empty={t('retainers.empty')}>
        {(rows) => (
          <ListTable
            rows={rows}
            columns={[
              {
                label: t('doc.number'),
                nowrap: true,
                cell: (retainer) => <Link to={`/retainers/${retainer.id}`}>{retainer.number}</Link>,
              },
              { label: t('doc.date'), nowrap: true, cell: (retainer) => formatDate(retainer.issueDate, locale) },
              { label: t('doc.reference'), cell: (retainer) => retainer.reference ?? '—' },
              { label: t('doc.status'), cell: (retainer) => <StatusPill status={retainer.status} kind="invoice" /> },
              {
                label: t('doc.total'),
                numeric: true,
                cell: (retainer) => <Money amount={retainer.total} currency={retainer.currency} />,
              },
              {
                label: t('doc.balance'),
                numeric: true,
                cell: (retainer) => <Money amount={retainer.balance} currency={retainer.currency} />,
              },
            ]}
          />
        )}
      </PagedList>
    </section>
  );
}
