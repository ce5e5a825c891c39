import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import { useI18n } from '../../ui/i18n.js';
import { usePagedList } from '../../ui/use-list.js';
import { ListTable, PagedList } from '../components/paged-list.js';
import { Hours, ProjectStatus } from '../components/project.js';
import { usePortal } from '../portal-context.js';

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
      <PagedList list={list} empty={t('projects.empty')}>
        {(rows) => (
          <ListTable
            rows={rows}
            columns={[
              {
                label: t('projects.project'),
                cell: (project) => <Link to={`/projects/${project.id}`}>{project.name}</Link>,
              },
              { label: t('doc.status'), cell: (project) => <ProjectStatus status={project.status} /> },
              { label: t('projects.logged'), numeric: true, cell: (project) => <Hours hours={project.loggedHours} /> },
              { label: t('projects.billed'), numeric: true, cell: (project) => <Hours hours={project.billedHours} /> },
              {
                label: t('projects.unbilled'),
                numeric: true,
                cell: (project) => <Hours hours={project.unbilledHours} />,
              },
            ]}
          />
        )}
      </PagedList>
    </section>
  );
}
