import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import { useI18n } from '../../ui/i18n.js';
import { ErrorScreen, Skeleton } from '../app.js';
import { Hours, ProjectStatus } from '../components/project.js';
import { usePortal } from '../portal-context.js';
import { usePagedList } from '../use-list.js';

/** The customer's projects with their billable hours (when the organization shows projects). */
export default function Projects() {
  const { t } = useI18n();
  const { slug } = usePortal();
  const list = usePagedList(['projects', slug], (cursor) =>
    data(api.GET('/api/portal/{slug}/projects', { params: { path: { slug }, query: cursor ? { cursor } : {} } })),
  );
  return (
    <section>
      <h1>{t('projects.title')}</h1>
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : list.rows.length === 0 ? (
        <p className="empty">{t('projects.empty')}</p>
      ) : (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('projects.project')}</th>
                <th scope="col">{t('doc.status')}</th>
                <th scope="col" className="num">
                  {t('projects.logged')}
                </th>
                <th scope="col" className="num">
                  {t('projects.billed')}
                </th>
                <th scope="col" className="num">
                  {t('projects.unbilled')}
                </th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((project) => (
                <tr key={project.id}>
                  <th scope="row" data-label={t('projects.project')}>
                    <Link to={`/projects/${project.id}`}>{project.name}</Link>
                  </th>
                  <td data-label={t('doc.status')}>
                    <ProjectStatus status={project.status} />
                  </td>
                  <td className="num" data-label={t('projects.logged')}>
                    <Hours hours={project.loggedHours} />
                  </td>
                  <td className="num" data-label={t('projects.billed')}>
                    <Hours hours={project.billedHours} />
                  </td>
                  <td className="num" data-label={t('projects.unbilled')}>
                    <Hours hours={project.unbilledHours} />
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
