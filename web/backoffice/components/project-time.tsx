import { type FormEvent, useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { formatDate } from '../../ui/format.js';
import { usePagedList } from '../../ui/use-list.js';
import { useBackOffice } from '../context.js';
import { formatDateTime, formatHours } from '../format.js';
import { useI18n } from '../i18n.js';
import { useConfirm } from './confirm.js';
import { ActionMessage, Field, FormSummary, fieldId, SelectField, useActionMessage, useFormErrors } from './forms.js';
import { PagedList } from './paged-list.js';
import type { ProjectDetail, ProjectTask } from './project-parts.js';

type TimeEntry =
  paths['/api/v1/projects/{id}/time-entries']['get']['responses'][200]['content']['application/json']['data'][number];

const FILTERS = ['all', 'unbilled', 'invoiced'] as const;
type Filter = (typeof FILTERS)[number];

/** Today in the organization's time zone, as the API's date ("2026-03-15"). */
const todayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());

/** 90 minutes → "1:30": what the hours field shows when an entry is edited (exact, unlike "1.5" for 20 minutes). */
const clockOf = (minutes: number) => `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * A project's timesheet, latest first: log time on a task, see which entries are billed and which are not, and
 * change or delete the unbilled ones (invoiced time is part of the books).
 */
export function ProjectTime({ project, changed }: { project: ProjectDetail; changed(): Promise<unknown> }) {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const ids = useId();
  const outcome = useActionMessage();
  const [filter, setFilter] = useState<Filter>('all');
  const [editing, setEditing] = useState<TimeEntry | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [answering, setAnswering] = useState<TimeEntry | null>(null);
  const confirm = useConfirm();
  const list = usePagedList(['project-time', project.id, filter], (cursor) =>
    data(
      api.GET('/api/v1/projects/{id}/time-entries', {
        params: {
          path: { id: project.id },
          query: { ...(filter === 'all' ? {} : { status: filter }), ...(cursor ? { cursor } : {}) },
        },
      }),
    ),
  );
  const taskOf = (entry: TimeEntry) => project.tasks.find((task) => task.id === entry.taskId);
  const editButtonId = (entry: TimeEntry) => `${ids}-edit-${entry.id}`;

  async function afterChange() {
    await Promise.all([list.retry(), changed()]);
  }

  async function remove(entry: TimeEntry) {
    const date = formatDate(entry.date, locale);
    if (!(await confirm.ask(t('time.deleteConfirm', { date }), { confirmLabel: t('tasks.delete') }))) return;
    setBusy(true);
    outcome.clear();
    try {
      await data(
        api.DELETE('/api/v1/projects/{id}/time-entries/{entryId}', {
          params: { path: { id: project.id, entryId: entry.id } },
        }),
      );
      await afterChange();
      outcome.done(t('time.deleted'));
    } catch (caught) {
      outcome.failed(caught);
    } finally {
      setBusy(false);
    }
  }

  async function withdraw(entry: TimeEntry) {
    const date = formatDate(entry.date, locale);
    if (!(await confirm.ask(t('timeApproval.withdrawConfirm', { date }), { confirmLabel: t('timeApproval.withdraw') })))
      return;
    await resubmit(entry, undefined, t('timeApproval.withdrawn'));
  }

  async function resubmit(entry: TimeEntry, message: string | undefined, done: string) {
    setBusy(true);
    outcome.clear();
    try {
      await data(
        api.POST('/api/v1/projects/{id}/time-entries/{entryId}/resubmit', {
          params: { path: { id: project.id, entryId: entry.id } },
          body: message ? { message } : {},
        }),
      );
      setAnswering(null);
      await afterChange();
      outcome.done(done);
    } catch (caught) {
      outcome.failed(caught);
    } finally {
      setBusy(false);
    }
  }

  function closeForm(entry: TimeEntry | 'new', message?: string) {
    setEditing(null);
    if (message) outcome.done(message);
    const returnTo = entry === 'new' ? `${ids}-log` : editButtonId(entry);
    requestAnimationFrame(() => (document.getElementById(returnTo) ?? document.getElementById(`${ids}-log`))?.focus());
  }

  return (
    <section className="project-section" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('time.title')}</h2>
      {confirm.dialog}
      {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons, not a form fieldset */}
      <div className="chips" role="group" aria-label={t('time.filters')}>
        {FILTERS.map((value) => (
          <button
            key={value}
            type="button"
            className="chip"
            aria-pressed={filter === value}
            onClick={() => setFilter(value)}
          >
            {t(`time.filter.${value}`)}
          </button>
        ))}
      </div>
      {editing ? (
        <TimeEntryForm
          key={editing === 'new' ? 'new' : editing.id}
          project={project}
          entry={editing === 'new' ? null : editing}
          saved={async (message) => {
            await afterChange();
            closeForm(editing, message);
          }}
          cancel={() => closeForm(editing)}
        />
      ) : project.tasks.length === 0 ? (
        <p className="muted">{t('time.needsTask')}</p>
      ) : (
        <button
          id={`${ids}-log`}
          type="button"
          className="button primary"
          onClick={() => {
            outcome.clear();
            setEditing('new');
          }}
        >
          {t('time.log')}
        </button>
      )}
      {project.requireTimeApproval && <p className="muted small">{t('timeApproval.on')}</p>}
      {answering && (
        <AnswerForm
          key={answering.id}
          entry={answering}
          busy={busy}
          send={(message) => resubmit(answering, message, t('timeApproval.answered'))}
          cancel={() => setAnswering(null)}
        />
      )}
      <ActionMessage state={outcome} />
      <PagedList list={list} empty={filter === 'all' ? t('time.empty') : t('time.emptyFilter')}>
        {(rows) => (
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('doc.date')}</th>
                <th scope="col">{t('time.task')}</th>
                <th scope="col" className="num">
                  {t('time.hours')}
                </th>
                <th scope="col">{t('time.notes')}</th>
                <th scope="col">{t('doc.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('app.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((entry) => {
                const task = taskOf(entry);
                const date = formatDate(entry.date, locale);
                return (
                  <tr key={entry.id}>
                    <th scope="row" className="nowrap" data-label={t('doc.date')}>
                      {date}
                    </th>
                    <td data-label={t('time.task')}>{task?.name ?? ''}</td>
                    <td className="num" data-label={t('time.hours')}>
                      {formatHours(entry.minutes, locale)}
                    </td>
                    <td data-label={t('time.notes')}>
                      <span className="pre-line">{entry.notes}</span>
                      <EntryQueries entry={entry} />
                    </td>
                    <td data-label={t('doc.status')}>
                      <EntryStatus entry={entry} task={task} />
                      {entry.approval && entry.status === 'unbilled' && (
                        <>
                          {' '}
                          <ApprovalBadge approval={entry.approval} />
                        </>
                      )}
                    </td>
                    <td className="row-actions">
                      {entry.status === 'unbilled' && entry.approval === 'queried' && (
                        <button
                          type="button"
                          className="button secondary"
                          disabled={busy || editing !== null}
                          aria-label={t('timeApproval.answerLabel', { date })}
                          onClick={() => {
                            outcome.clear();
                            setAnswering(entry);
                          }}
                        >
                          {t('timeApproval.answer')}
                        </button>
                      )}
                      {entry.status === 'unbilled' && entry.approval === 'approved' && (
                        <button
                          type="button"
                          className="button secondary"
                          disabled={busy || editing !== null}
                          aria-label={t('timeApproval.withdrawLabel', { date })}
                          onClick={() => withdraw(entry)}
                        >
                          {t('timeApproval.withdraw')}
                        </button>
                      )}
                      {entry.status === 'unbilled' && entry.approval !== 'approved' && (
                        <>
                          <button
                            id={editButtonId(entry)}
                            type="button"
                            className="button secondary"
                            disabled={busy || editing !== null}
                            aria-label={t('time.editLabel', { date, task: task?.name ?? '' })}
                            onClick={() => {
                              outcome.clear();
                              setEditing(entry);
                            }}
                          >
                            {t('doc.edit')}
                          </button>
                          <button
                            type="button"
                            className="button secondary danger"
                            disabled={busy || editing !== null}
                            aria-label={t('time.deleteLabel', { date, task: task?.name ?? '' })}
                            onClick={() => remove(entry)}
                          >
                            {t('tasks.delete')}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </PagedList>
    </section>
  );
}

/** The client's approval of an entry, as a pill with its word. */
function ApprovalBadge({ approval }: { approval: NonNullable<TimeEntry['approval']> }) {
  const { t } = useI18n();
  const tone = approval === 'approved' ? 'success' : approval === 'queried' ? 'danger' : 'info';
  return <span className={`pill ${tone}`}>{t(`timeApproval.state.${approval}`)}</span>;
}

/** The client's queries about the entry and the business's answers, oldest first, as plain text. */
function EntryQueries({ entry }: { entry: TimeEntry }) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  if (entry.queries.length === 0) return null;
  return (
    <ul className="query-thread" aria-label={t('timeApproval.thread')}>
      {entry.queries.map((item) => (
        <li key={item.id} className={item.author === 'business' ? 'query business' : 'query'}>
          <span className="small muted">
            {item.author === 'client'
              ? t('timeApproval.fromClient', { name: item.authorName ?? '' })
              : (item.authorName ?? '')}{' '}
            · {formatDateTime(item.createdAt, locale, timeZone)}
          </span>
          <span className="pre-line">{item.text}</span>
        </li>
      ))}
    </ul>
  );
}

/** The answer to a client's query: shown in the portal, e-mailed to the client; the entry awaits approval again. */
function AnswerForm(props: { entry: TimeEntry; busy: boolean; send(message: string): void; cancel(): void }) {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const ids = useId();
  const [message, setMessage] = useState('');
  const [missing, setMissing] = useState(false);
  useEffect(() => document.getElementById(`${ids}-message`)?.focus(), [ids]);
  return (
    <form
      className="card project-form"
      aria-labelledby={`${ids}-title`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!message.trim()) {
          setMissing(true);
          return;
        }
        props.send(message.trim());
      }}
    >
      <h3 id={`${ids}-title`}>{t('timeApproval.answerTitle', { date: formatDate(props.entry.date, locale) })}</h3>
      <div className="field">
        <label htmlFor={`${ids}-message`}>{t('timeApproval.answerMessage')}</label>
        <textarea
          id={`${ids}-message`}
          rows={3}
          maxLength={5000}
          value={message}
          aria-invalid={missing ? true : undefined}
          aria-describedby={`${ids}-hint${missing ? ` ${ids}-error` : ''}`}
          onChange={(event) => {
            setMessage(event.target.value);
            setMissing(false);
          }}
        />
        <span id={`${ids}-hint`} className="muted small">
          {t('timeApproval.answerHint')}
        </span>
        {missing && (
          <span id={`${ids}-error`} className="field-error" role="alert">
            {t('form.required')}
          </span>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={props.busy}>
          {t('timeApproval.sendAnswer')}
        </button>
        <button type="button" className="button link" onClick={props.cancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Invoiced (with its invoice), unbilled, or not billable at all (a non-billable task's time). */
function EntryStatus({ entry, task }: { entry: TimeEntry; task: ProjectTask | undefined }) {
  const { t } = useI18n();
  if (entry.status === 'invoiced') {
    return (
      <>
        <span className="pill success">{t('time.status.invoiced')}</span>
        {entry.invoiceId && (
          <>
            {' '}
            <Link to={`/invoices/${entry.invoiceId}`}>{t('time.openInvoice')}</Link>
          </>
        )}
      </>
    );
  }
  if (task && !task.billable) return <span className="pill muted">{t('time.status.notBillable')}</span>;
  return <span className="pill warning">{t('time.status.unbilled')}</span>;
}

function TimeEntryForm(props: {
  project: ProjectDetail;
  entry: TimeEntry | null;
  saved(message: string): Promise<void>;
  cancel(): void;
}) {
  const { t } = useI18n();
  const { timeZone } = useBackOffice();
  const { project, entry } = props;
  const ids = useId();
  const form = useFormErrors();
  const [taskId, setTaskId] = useState(entry?.taskId ?? project.tasks[0]?.id ?? '');
  const [date, setDate] = useState(entry?.date ?? todayIn(timeZone));
  const [hours, setHours] = useState(entry ? clockOf(entry.minutes) : '');
  const [notes, setNotes] = useState(entry?.notes ?? '');
  const [busy, setBusy] = useState(false);
  const task = project.tasks.find((candidate) => candidate.id === taskId);

  // Opening the form takes the keyboard to its first field.
  useEffect(() => document.getElementById(fieldId('/entry/taskId'))?.focus(), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    form.clear();
    const found: Record<string, string> = {};
    if (!taskId) found['/entry/taskId'] = t('form.required');
    if (!date) found['/entry/date'] = t('form.required');
    if (!hours.trim()) found['/entry/hours'] = t('form.required');
    if (!form.local(found)) return;
    const body = { taskId, date, hours: hours.trim(), notes: notes.trim() || null };
    setBusy(true);
    try {
      if (entry) {
        await data(
          api.PATCH('/api/v1/projects/{id}/time-entries/{entryId}', {
            params: { path: { id: project.id, entryId: entry.id } },
            body,
          }),
        );
      } else {
        await data(api.POST('/api/v1/projects/{id}/time-entries', { params: { path: { id: project.id } }, body }));
      }
      await props.saved(entry ? t('time.saved') : t('time.logged'));
    } catch (caught) {
      setBusy(false);
      form.fromApi(caught, (path) => `/entry${path}`);
    }
  }

  return (
    <form className="card project-form" aria-labelledby={`${ids}-title`} onSubmit={submit} noValidate>
      <h3 id={`${ids}-title`}>{entry ? t('time.editTitle') : t('time.log')}</h3>
      <FormSummary form={form} />
      <div className="form-grid">
        <SelectField
          path="/entry/taskId"
          label={t('time.task')}
          value={taskId}
          error={form.errors['/entry/taskId']}
          onChange={setTaskId}
          options={project.tasks.map((candidate): [string, string] => [
            candidate.id,
            candidate.billable ? candidate.name : t('time.taskNotBillable', { name: candidate.name }),
          ])}
        />
        <Field
          path="/entry/date"
          type="date"
          required
          label={t('doc.date')}
          value={date}
          error={form.errors['/entry/date']}
          onChange={setDate}
        />
        <Field
          path="/entry/hours"
          required
          inputMode="decimal"
          label={t('time.hours')}
          hint={t('time.hoursHint')}
          value={hours}
          maxLength={5}
          error={form.errors['/entry/hours']}
          onChange={setHours}
        />
        <Field
          path="/entry/notes"
          multiline
          className="wide-field"
          label={t('time.notes')}
          value={notes}
          maxLength={2000}
          error={form.errors['/entry/notes']}
          onChange={setNotes}
        />
      </div>
      {task && (
        <p className="muted small" role="status">
          {task.billable ? t('time.billableTask') : t('time.notBillableTask')}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t('app.saving') : entry ? t('app.save') : t('time.logButton')}
        </button>
        <button type="button" className="button link" onClick={props.cancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}
