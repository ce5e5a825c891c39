import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import { usePagedList } from '../../ui/use-list.js';
import { FilterChips } from '../components/document.js';
import { ListTable, PagedList, useStatusFilter } from '../components/paged-list.js';
import { billingMethodKey, ProjectStatusPill } from '../components/project-parts.js';
import { useBackOffice } from '../context.js';
import { formatHours } from '../format.js';
import { useI18n } from '../i18n.js';

const FILTERS = ['all', 'active', 'inactive'] as const;

/** Projects: the work done for customers, its time logged, billed and still to bill. */
export default function Projects() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const status = useStatusFilter(FILTERS);
  const list = usePagedList(['projects', status], (cursor) =>
    data(
      api.GET('/api/v1/projects', {
        params: { query: { ...(status === 'all' ? {} : { status }), ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );
  return (
    <section>
      <div className="page-head">
        <h1>{t('projects.title')}</h1>
        <Link className="button primary" to="/projects/new">
          {t('projects.new')}
        </Link>
      </div>
      <FilterChips
        label={t('projects.filters')}
        current={status}
        options={FILTERS.map((value) => [
          value,
          value === 'all' ? t('projects.filter.all') : t(`projects.status.${value}`),
        ])}
      />
      <PagedList list={list} empty={status === 'all' ? t('projects.empty') : t('projects.emptyFilter')}>
        {(rows) => (
          <ListTable
            rows={rows}
            columns={[
              {
                label: t('projects.name'),
                cell: (project) => <Link to={`/projects/${project.id}`}>{project.name}</Link>,
              },
              { label: t('doc.customer'), cell: (project) => project.customerName },
              { label: t('projects.billingMethod'), cell: (project) => t(billingMethodKey(project.billingMethod)) },
              { label: t('doc.status'), cell: (project) => <ProjectStatusPill status={project.status} /> },
              {
                label: t('projects.loggedHours'),
                numeric: true,
                cell: (project) => formatHours(project.loggedMinutes, locale),
              },
              {
                label: t('projects.unbilledHours'),
                numeric: true,
                cell: (project) => formatHours(project.unbilledMinutes, locale),
              },
            ]}
          />
        )}
      </PagedList>
    </section>
  );
}
