import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { usePagedList } from '../../ui/use-list.js';
import { FilterChips, StatusPill } from '../components/document.js';
import { ListTable, PagedList, useStatusFilter } from '../components/paged-list.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';

const FILTERS = ['all', 'draft', 'sent', 'partially_paid', 'paid', 'void'] as const;

/** Retainer invoices: advances a client pays before the work; what they pay becomes retainer credit. */
export default function Retainers() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const status = useStatusFilter(FILTERS);
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
              { label: t('doc.customer'), cell: (retainer) => retainer.customerName },
              { label: t('doc.date'), nowrap: true, cell: (retainer) => formatDate(retainer.issueDate, locale) },
              { label: t('doc.status'), cell: (retainer) => <StatusPill status={retainer.status} /> },
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
