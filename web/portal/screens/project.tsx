import { type KeyboardEvent, useEffect, useRef } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import type { MessageKey } from '../../ui/messages/en.js';
import { usePagedList } from '../../ui/use-list.js';
import { Comments } from '../components/comments.js';
import { ErrorScreen } from '../components/error-screen.js';
import { PagedList } from '../components/paged-list.js';
import { isDate, isReversed, PeriodForm } from '../components/period-form.js';
import { Hours, ProjectStatus } from '../components/project.js';
import { Skeleton } from '../components/skeleton.js';
import { ApprovalPill, QueryThread, TimeToApprove } from '../components/time-approval.js';
import { usePortal } from '../portal-context.js';
import NotFound from './not-found.js';

const TABS = ['tasks', 'timesheet', 'comments'] as const;
type Tab = (typeof TABS)[number];

/** One project: its hours, then tabs for its tasks, its timesheet and its comments. */
export default function Project() {
  const { t } = useI18n();
  const { slug } = usePortal();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  const current: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'tasks';
  const project = useSWR(['project', slug, id], () =>
    data(api.GET('/api/portal/{slug}/projects/{id}', { params: { path: { slug, id } } })),
  );
  // A tab reached with the keyboard takes the focus once it is shown.
  const focusShown = useRef(false);
  useEffect(() => {
    if (!focusShown.current) return;
    focusShown.current = false;
    tabs.current[TABS.indexOf(current)]?.focus();
  }, [current]);

  if (project.error) {
    if (project.error instanceof ApiError && project.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => project.mutate()} />;
  }
  if (!project.data) return <Skeleton />;
  const p = project.data;

  const select = (tab: Tab) => setParams(tab === 'tasks' ? {} : { tab }, { replace: true });
  // Arrow keys move between the tabs (and show the one reached), Home and End jump to the first and last.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.indexOf(current);
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % TABS.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + TABS.length) % TABS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? TABS.length - 1
              : -1;
    if (next < 0) return;
    event.preventDefault();
    focusShown.current = true;
    select(TABS[next] as Tab);
  };
  const labels: Record<Tab, MessageKey> = {
    tasks: 'projects.tasks',
    timesheet: 'projects.timesheet',
    comments: 'projects.comments',
  };

  return (
    <article className="project-page">
      <p className="small no-print">
        <Link to="/projects">{t('projects.all')}</Link>
      </p>
      <header className="document-header">
        <div>
          <h1>{p.name}</h1>
          <p>
            <ProjectStatus status={p.status} />
          </p>
          {p.description && <p className="muted pre-line">{p.description}</p>}
        </div>
      </header>
      <dl className="hours-summary">
        <div>
          <dt>{t('projects.logged')}</dt>
          <dd>
            <Hours hours={p.loggedHours} />
          </dd>
        </div>
        <div>
          <dt>{t('projects.billed')}</dt>
          <dd>
            <Hours hours={p.billedHours} />
          </dd>
        </div>
        <div>
          <dt>{t('projects.unbilled')}</dt>
          <dd>
            <Hours hours={p.unbilledHours} />
          </dd>
        </div>
      </dl>
      {p.requireTimeApproval && <TimeToApprove projectId={id} onChanged={() => project.mutate()} />}

      <div role="tablist" aria-label={t('projects.sections')} className="tabs" onKeyDown={onKeyDown}>
        {TABS.map((tab, index) => (
          <button
            key={tab}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${tab}`}
            aria-selected={current === tab}
            aria-controls={`panel-${tab}`}
            tabIndex={current === tab ? 0 : -1}
            className="tab"
            onClick={() => select(tab)}
          >
            {t(labels[tab])}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`panel-${current}`}
        aria-labelledby={`tab-${current}`}
        // The panel itself takes the focus (APG tabs): the tasks table has nothing focusable inside.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: see above
        tabIndex={0}
        className="tab-panel"
      >
        {current === 'tasks' && <Tasks projectId={id} />}
        {current === 'timesheet' && <Timesheet projectId={id} />}
        {current === 'comments' && <Comments subject="projects" id={id} />}
      </div>
    </article>
  );
}

function Tasks({ projectId }: { projectId: string }) {
  const { t } = useI18n();
  const { slug } = usePortal();
  const tasks = useSWR(['project-tasks', slug, projectId], () =>
    data(api.GET('/api/portal/{slug}/projects/{id}/tasks', { params: { path: { slug, id: projectId } } })),
  );
  if (tasks.error) return <ErrorScreen retry={() => tasks.mutate()} />;
  if (!tasks.data) return <Skeleton />;
  if (tasks.data.data.length === 0) return <p className="empty">{t('projects.noTasks')}</p>;
  return (
    <table className="list">
      <caption className="visually-hidden">{t('projects.tasks')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('projects.task')}</th>
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
        {tasks.data.data.map((task) => (
          <tr key={task.id}>
            <th scope="row" data-label={t('projects.task')}>
              {task.name}
            </th>
            <td className="num" data-label={t('projects.logged')}>
              <Hours hours={task.loggedHours} />
            </td>
            <td className="num" data-label={t('projects.billed')}>
              <Hours hours={task.billedHours} />
            </td>
            <td className="num" data-label={t('projects.unbilled')}>
              <Hours hours={task.unbilledHours} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Timesheet({ projectId }: { projectId: string }) {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const [params, setParams] = useSearchParams();
  const from = isDate(params.get('from')) ? (params.get('from') as string) : '';
  const to = isDate(params.get('to')) ? (params.get('to') as string) : '';
  // A period that ends before it starts (typed into the address) is not asked for; the form says what to change.
  const reversed = isReversed(from, to);
  const list = usePagedList(['project-time', slug, projectId, reversed ? '' : from, reversed ? '' : to], (cursor) =>
    data(
      api.GET('/api/portal/{slug}/projects/{id}/time-entries', {
        params: {
          path: { slug, id: projectId },
          query: {
            ...(from && !reversed ? { from } : {}),
            ...(to && !reversed ? { to } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    ),
  );

  function filter(period: { from: string; to: string }) {
    const next: Record<string, string> = { tab: 'timesheet' };
    if (isDate(period.from)) next.from = period.from;
    if (isDate(period.to)) next.to = period.to;
    setParams(next, { replace: true });
  }

  return (
    <>
      <PeriodForm from={from} to={to} onApply={filter} />
      {!reversed && (
        <PagedList list={list} empty={t('projects.noEntries')}>
          {(rows) => (
            <table className="list">
              <caption className="visually-hidden">{t('projects.timesheet')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('doc.date')}</th>
                  <th scope="col">{t('projects.task')}</th>
                  <th scope="col">{t('doc.notes')}</th>
                  <th scope="col" className="num">
                    {t('projects.hours')}
                  </th>
                  <th scope="col">{t('doc.status')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((entry) => (
                  <tr key={entry.id}>
                    <td className="nowrap" data-label={t('doc.date')}>
                      {formatDate(entry.date, locale)}
                    </td>
                    <td data-label={t('projects.task')}>{entry.taskName}</td>
                    <td data-label={t('doc.notes')}>
                      {entry.notes}
                      <QueryThread queries={entry.queries} />
                    </td>
                    <td className="num" data-label={t('projects.hours')}>
                      <Hours hours={entry.hours} />
                    </td>
                    <td data-label={t('doc.status')}>
                      <span className={`pill ${entry.status === 'invoiced' ? 'success' : 'info'}`}>
                        {t(`projects.entry.${entry.status}`)}
                      </span>
                      {entry.approval && entry.status === 'unbilled' && (
                        <>
                          {' '}
                          <ApprovalPill approval={entry.approval} />
                        </>
                      )}
                      {entry.invoiceId && entry.invoiceNumber && (
                        <>
                          {' '}
                          <Link to={`/invoices/${entry.invoiceId}`}>{entry.invoiceNumber}</Link>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </PagedList>
      )}
    </>
  );
}
