import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { usePagedList } from '../../ui/use-list.js';
import { FilterChips } from '../components/document.js';
import { ListTable, PagedList, useStatusFilter } from '../components/paged-list.js';
import { RecurringStatusPill, useAutopayText, useScheduleText } from '../components/recurring-parts.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';

const FILTERS = ['all', 'active', 'stopped', 'expired'] as const;

/** Recurring invoices: the profiles that issue an invoice on a schedule, their next date and autopay. */
export default function RecurringProfiles() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const schedule = useScheduleText();
  const autopay = useAutopayText();
  const status = useStatusFilter(FILTERS);
  const list = usePagedList(['recurring-profiles', status], (cursor) =>
    data(
      api.GET('/api/v1/recurring-profiles', {
        params: { query: { ...(status === 'all' ? {} : { status }), ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );
  return (
    <section>
      <div className="page-head">
        <h1>{t('recurring.title')}</h1>
        <Link className="button primary" to="/recurring-profiles/new">
          {t('recurring.new')}
        </Link>
      </div>
      <p className="muted">{t('recurring.intro')}</p>
      <FilterChips
        label={t('recurring.filters')}
        current={status}
        options={FILTERS.map((value) => [
          value,
          value === 'all' ? t('recurring.filter.all') : t(`recurring.status.${value}`),
        ])}
      />
      <PagedList list={list} empty={status === 'all' ? t('recurring.empty') : t('recurring.emptyFilter')}>
        {(rows) => (
          <ListTable
            rows={rows}
            columns={[
              {
                label: t('recurring.name'),
                cell: (profile) => <Link to={`/recurring-profiles/${profile.id}`}>{profile.name}</Link>,
              },
              { label: t('doc.customer'), cell: (profile) => profile.customerName },
              { label: t('recurring.schedule'), cell: (profile) => schedule(profile) },
              {
                label: t('recurring.nextDate'),
                nowrap: true,
                cell: (profile) => (profile.nextDate ? formatDate(profile.nextDate, locale) : '—'),
              },
              { label: t('recurring.autopay'), cell: (profile) => autopay(profile.autopay) },
              { label: t('doc.status'), cell: (profile) => <RecurringStatusPill status={profile.status} /> },
            ]}
          />
        )}
      </PagedList>
    </section>
  );
}
