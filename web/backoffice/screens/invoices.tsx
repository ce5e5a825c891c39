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

const FILTERS = ['all', 'draft', 'unpaid', 'overdue', 'partially_paid', 'paid', 'void'] as const;

export default function Invoices() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const [params] = useSearchParams();
  const status = useStatusFilter(FILTERS);
  const customerId = params.get('customerId') ?? undefined;
  const viewed = useViewedFilter();
  const list = usePagedList(['invoices', status, customerId, viewed.choice], (cursor) =>
    data(
      api.GET('/api/v1/invoices', {
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
        <h1>{t('invoices.title')}</h1>
        <Link className="button primary" to={`/invoices/new${customerId ? `?customerId=${customerId}` : ''}`}>
          {t('invoices.new')}
        </Link>
      </div>
      <FilterChips
        label={t('invoices.title')}
        current={status}
        options={FILTERS.map((value) => [value, t(`invoices.filter.${value}`)])}
      />
      <ViewedFilter />
      <PagedList list={list} empty={t('invoices.empty')}>
        {(rows) => (
          <ListTable
            rows={rows}
            columns={[
              {
                label: t('doc.number'),
                nowrap: true,
                cell: (invoice) => <Link to={`/invoices/${invoice.id}`}>{invoice.number}</Link>,
              },
              { label: t('doc.customer'), cell: (invoice) => invoice.customer.displayName },
              { label: t('doc.date'), nowrap: true, cell: (invoice) => formatDate(invoice.issueDate, locale) },
              { label: t('doc.due'), nowrap: true, cell: (invoice) => formatDate(invoice.dueDate, locale) },
              { label: t('doc.status'), cell: (invoice) => <StatusPill status={invoice.status} /> },
              { label: t('doc.viewed'), cell: (invoice) => <ViewedCell document={invoice} /> },
              {
                label: t('doc.total'),
                numeric: true,
                cell: (invoice) => <Money amount={invoice.total} currency={invoice.currency} />,
              },
              {
                label: t('doc.balance'),
                numeric: true,
                cell: (invoice) => <Money amount={invoice.balance} currency={invoice.currency} />,
              },
            ]}
          />
        )}
      </PagedList>
    </section>
  );
}
