import { Link, useSearchParams } from 'react-router';
import { usePagedList } from '../../portal/use-list.js';
import { api, data } from '../../ui/api.js';
import { ErrorScreen, Skeleton } from '../app.js';
import { FilterChips } from '../components/document.js';
import { billingMethodKey, ProjectStatusPill } from '../components/project-parts.js';
import { useBackOffice } from '../context.js';
import { formatHours } from '../format.js';
import { useI18n } from '../i18n.js';

const FILTERS = ['all', 'active', 'inactive'] as const;
type Filter = (typeof FILTERS)[number];

/** Projects: the work done for customers, its time logged, billed and still to bill. */
export default function Projects() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const [params] = useSearchParams();
  const status = (FILTERS as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as Filter)
    : 'all';
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
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : list.rows.length === 0 ? (
        <p className="empty">{status === 'all' ? t('projects.empty') : t('projects.emptyFilter')}</p>
      ) : (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('projects.name')}</th>
                <th scope="col">{t('doc.customer')}</th>
                <th scope="col">{t('projects.billingMethod')}</th>
                <th scope="col">{t('doc.status')}</th>
                <th scope="col" className="num">
                  {t('projects.loggedHours')}
                </th>
                <th scope="col" className="num">
                  {t('projects.unbilledHours')}
                </th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((project) => (
                <tr key={project.id}>
                  <th scope="row" data-label={t('projects.name')}>
                    <Link to={`/projects/${project.id}`}>{project.name}</Link>
                  </th>
                  <td data-label={t('doc.customer')}>{project.customerName}</td>
                  <td data-label={t('projects.billingMethod')}>{t(billingMethodKey(project.billingMethod))}</td>
                  <td data-label={t('doc.status')}>
                    <ProjectStatusPill status={project.status} />
                  </td>
                  <td className="num" data-label={t('projects.loggedHours')}>
                    {formatHours(project.loggedMinutes, locale)}
                  </td>
                  <td className="num" data-label={t('projects.unbilledHours')}>
                    {formatHours(project.unbilledMinutes, locale)}
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
