import { Link, useNavigate, useParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { formatMoney } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { ActionBar } from '../components/actions.js';
import { Comments, History } from '../components/activity.js';
import { ErrorScreen } from '../components/error-screen.js';
import { billingMethodKey, ProjectPortalNote, ProjectStatusPill, projectKey } from '../components/project-parts.js';
import { ProjectTasks } from '../components/project-tasks.js';
import { ProjectTime } from '../components/project-time.js';
import { Skeleton } from '../components/skeleton.js';
import { useBackOffice } from '../context.js';
import { formatHours } from '../format.js';
import { useI18n } from '../i18n.js';
import NotFound from './not-found.js';

/** One project: its hours, its tasks, its timesheet, its comments with the client and its history. */
export default function Project() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const project = useSWR(projectKey(id), () => data(api.GET('/api/v1/projects/{id}', { params: { path: { id } } })));
  if (project.error) {
    if (project.error instanceof ApiError && project.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => project.mutate()} />;
  }
  if (!project.data) return <Skeleton />;
  const p = project.data;
  const path = { params: { path: { id: p.id } } };
  const update = async (call: Promise<typeof p>) => project.mutate(await call, { revalidate: false });
  const invoiceable = p.billingMethod !== 'fixed' && p.totals.unbilledMinutes > 0;
  const actions = [
    ...(invoiceable
      ? [
          {
            label: t('projects.invoice'),
            primary: true,
            done: '',
            run: async () => {
              const invoice = await data(api.POST('/api/v1/projects/{id}/invoice', { ...path, body: {} }));
              navigate(`/invoices/${invoice.id}`);
            },
          },
        ]
      : []),
    p.status === 'active'
      ? {
          label: t('projects.deactivate'),
          done: t('projects.deactivated'),
          run: () => update(data(api.POST('/api/v1/projects/{id}/deactivate', path))),
        }
      : {
          label: t('projects.activate'),
          done: t('projects.activated'),
          run: () => update(data(api.POST('/api/v1/projects/{id}/activate', path))),
        },
    {
      label: t('projects.delete'),
      danger: true,
      confirm: t('projects.deleteConfirm', { name: p.name }),
      done: '',
      run: async () => {
        await data(api.DELETE('/api/v1/projects/{id}', path));
        navigate('/projects');
      },
    },
  ];
  return (
    <article className="document-page">
      <p className="small">
        <Link to="/projects">{t('doc.backTo', { list: t('projects.title') })}</Link>
      </p>
      <header className="document-header">
        <div>
          <h1>{p.name}</h1>
          <p>
            <Link to={`/customers/${p.customerId}`}>{p.customerName}</Link>
          </p>
          <p className="muted">
            {t(billingMethodKey(p.billingMethod))}
            {p.billingMethod === 'project_hours' && p.rate !== null && (
              <> · {t('projects.ratePerHour', { rate: formatMoney(p.rate, p.currency, locale) })}</>
            )}{' '}
            · <ProjectStatusPill status={p.status} />
          </p>
          {p.description && <p className="pre-line">{p.description}</p>}
          <ProjectPortalNote />
        </div>
        {p.totals.unbilledAmount !== null && (
          <div className="amount-due">
            <span className="muted">{t('projects.unbilledAmount')}</span>
            <strong className="big-amount">
              <Money amount={p.totals.unbilledAmount} currency={p.currency} />
            </strong>
            {p.totals.approvedAmount !== null && (
              <span className="muted small">
                {t('timeApproval.approvedAmount')} <Money amount={p.totals.approvedAmount} currency={p.currency} />
              </span>
            )}
          </div>
        )}
      </header>
      <ActionBar
        label={t('projects.actions')}
        lists={['projects', 'invoices', 'project-time']}
        actions={actions}
        links={
          <Link className="button secondary" to={`/projects/${p.id}/edit`}>
            {t('doc.edit')}
          </Link>
        }
      />
      <section className="project-section" aria-labelledby="project-hours">
        <h2 id="project-hours">{t('projects.hours')}</h2>
        <dl className="hours-summary">
          <div>
            <dt>{t('projects.loggedHours')}</dt>
            <dd>{formatHours(p.totals.loggedMinutes, locale)}</dd>
          </div>
          <div>
            <dt>{t('projects.billableHours')}</dt>
            <dd>{formatHours(p.totals.billableMinutes, locale)}</dd>
          </div>
          <div>
            <dt>{t('projects.billedHours')}</dt>
            <dd>{formatHours(p.totals.billedMinutes, locale)}</dd>
          </div>
          <div>
            <dt>{t('projects.unbilledHours')}</dt>
            <dd>{formatHours(p.totals.unbilledMinutes, locale)}</dd>
          </div>
        </dl>
      </section>
      <ProjectTasks project={p} changed={() => project.mutate()} />
      <ProjectTime project={p} changed={() => project.mutate()} />
      <div className="activity-columns">
        <Comments subject="projects" id={p.id} />
        <History subject="projects" id={p.id} />
      </div>
    </article>
  );
}
