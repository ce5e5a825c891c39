import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, data } from '../../ui/api.js';
import { Money } from '../../ui/money.js';
import { useBackOffice } from '../context.js';
import { formatHours } from '../format.js';
import { useI18n } from '../i18n.js';
import { useConfirm } from './confirm.js';
import {
  ActionMessage,
  Field,
  FormSummary,
  fieldId,
  moneyText,
  parseMoney,
  useActionMessage,
  useFormErrors,
} from './forms.js';
import type { ProjectDetail, ProjectTask } from './project-parts.js';

/**
 * A project's tasks with the hours logged, billed and unbilled on each, and the form that adds one or edits one.
 * A task's own rate matters only when the project bills each task at its rate.
 */
export function ProjectTasks({ project, changed }: { project: ProjectDetail; changed(): Promise<unknown> }) {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const ids = useId();
  const outcome = useActionMessage();
  const [editing, setEditing] = useState<ProjectTask | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = useConfirm();
  const byTask = project.billingMethod === 'task_hours';
  const editButtonId = (task: ProjectTask) => `${ids}-edit-${task.id}`;

  async function remove(task: ProjectTask) {
    const sure = await confirm.ask(t('tasks.deleteConfirm', { name: task.name }), { confirmLabel: t('tasks.delete') });
    if (!sure) return;
    setBusy(true);
    outcome.clear();
    try {
      await data(
        api.DELETE('/api/v1/projects/{id}/tasks/{taskId}', { params: { path: { id: project.id, taskId: task.id } } }),
      );
      await changed();
      outcome.done(t('tasks.deleted', { name: task.name }));
    } catch (caught) {
      outcome.failed(caught);
    } finally {
      setBusy(false);
    }
  }

  function closeForm(task: ProjectTask | 'new', message?: string) {
    setEditing(null);
    if (message) outcome.done(message);
    const returnTo = task === 'new' ? `${ids}-add` : editButtonId(task);
    // The button that opened the form is back once it closes: focus returns there.
    requestAnimationFrame(() => document.getElementById(returnTo)?.focus());
  }

  return (
    <section className="project-section" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('tasks.title')}</h2>
      {confirm.dialog}
      {project.tasks.length === 0 ? (
        <p className="empty">{t('tasks.empty')}</p>
      ) : (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('tasks.name')}</th>
              {byTask && (
                <th scope="col" className="num">
                  {t('tasks.rate')}
                </th>
              )}
              <th scope="col">{t('tasks.billable')}</th>
              <th scope="col" className="num">
                {t('projects.loggedHours')}
              </th>
              <th scope="col" className="num">
                {t('projects.billedHours')}
              </th>
              <th scope="col" className="num">
                {t('projects.unbilledHours')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('app.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {project.tasks.map((task) => (
              <tr key={task.id}>
                <th scope="row" data-label={t('tasks.name')}>
                  {task.name}
                  {task.description && <div className="muted small pre-line">{task.description}</div>}
                </th>
                {byTask && (
                  <td className="num" data-label={t('tasks.rate')}>
                    <Money amount={task.rate} currency={project.currency} />
                  </td>
                )}
                <td data-label={t('tasks.billable')}>{task.billable ? t('tasks.yes') : t('tasks.no')}</td>
                <td className="num" data-label={t('projects.loggedHours')}>
                  {formatHours(task.loggedMinutes, locale)}
                </td>
                <td className="num" data-label={t('projects.billedHours')}>
                  {formatHours(task.billedMinutes, locale)}
                </td>
                <td className="num" data-label={t('projects.unbilledHours')}>
                  {formatHours(task.unbilledMinutes, locale)}
                </td>
                <td className="row-actions">
                  <button
                    id={editButtonId(task)}
                    type="button"
                    className="button secondary"
                    disabled={busy || editing !== null}
                    aria-label={t('tasks.editLabel', { name: task.name })}
                    onClick={() => setEditing(task)}
                  >
                    {t('doc.edit')}
                  </button>
                  <button
                    type="button"
                    className="button secondary danger"
                    disabled={busy || editing !== null}
                    aria-label={t('tasks.deleteLabel', { name: task.name })}
                    onClick={() => remove(task)}
                  >
                    {t('tasks.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ActionMessage state={outcome} />
      {editing ? (
        <TaskForm
          key={editing === 'new' ? 'new' : editing.id}
          project={project}
          task={editing === 'new' ? null : editing}
          saved={async (message) => {
            await changed();
            closeForm(editing, message);
          }}
          cancel={() => closeForm(editing)}
        />
      ) : (
        <button
          id={`${ids}-add`}
          type="button"
          className="button secondary"
          onClick={() => {
            outcome.clear();
            setEditing('new');
          }}
        >
          {t('tasks.add')}
        </button>
      )}
    </section>
  );
}

function TaskForm(props: {
  project: ProjectDetail;
  task: ProjectTask | null;
  saved(message: string): Promise<void>;
  cancel(): void;
}) {
  const { t } = useI18n();
  const { project, task } = props;
  const ids = useId();
  const form = useFormErrors();
  const [name, setName] = useState(task?.name ?? '');
  const [description, setDescription] = useState(task?.description ?? '');
  const [rate, setRate] = useState(task ? moneyText(task.rate, project.currency, true) : '');
  const [billable, setBillable] = useState(task?.billable ?? true);
  const [busy, setBusy] = useState(false);
  const byTask = project.billingMethod === 'task_hours';

  // Opening the form takes the keyboard to its first field.
  useEffect(() => document.getElementById(fieldId('/task/name'))?.focus(), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    form.clear();
    const amount = parseMoney(rate, project.currency);
    const found: Record<string, string> = {};
    if (!name.trim()) found['/task/name'] = t('form.required');
    if (byTask && amount === null) found['/task/rate'] = t('edit.badAmount');
    if (!form.local(found)) return;
    const body = {
      name: name.trim(),
      description: description.trim() || null,
      billable,
      ...(byTask ? { rate: amount ?? 0 } : {}),
    };
    setBusy(true);
    try {
      if (task) {
        await data(
          api.PATCH('/api/v1/projects/{id}/tasks/{taskId}', {
            params: { path: { id: project.id, taskId: task.id } },
            body,
          }),
        );
      } else {
        await data(api.POST('/api/v1/projects/{id}/tasks', { params: { path: { id: project.id } }, body }));
      }
      await props.saved(task ? t('tasks.saved', { name: body.name }) : t('tasks.added', { name: body.name }));
    } catch (caught) {
      setBusy(false);
      form.fromApi(caught, (path) => `/task${path}`);
    }
  }

  return (
    <form className="card project-form" aria-labelledby={`${ids}-title`} onSubmit={submit} noValidate>
      <h3 id={`${ids}-title`}>{task ? t('tasks.editTitle', { name: task.name }) : t('tasks.add')}</h3>
      <FormSummary form={form} />
      <div className="form-grid">
        <Field
          path="/task/name"
          required
          label={t('tasks.name')}
          value={name}
          maxLength={200}
          error={form.errors['/task/name']}
          onChange={setName}
        />
        {byTask && (
          <Field
            path="/task/rate"
            inputMode="decimal"
            label={t('projects.hourlyRate', { currency: project.currency })}
            value={rate}
            error={form.errors['/task/rate']}
            onChange={setRate}
          />
        )}
        <Field
          path="/task/description"
          multiline
          className="wide-field"
          label={t('projects.description')}
          value={description}
          maxLength={5000}
          error={form.errors['/task/description']}
          onChange={setDescription}
        />
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={billable} onChange={(event) => setBillable(event.target.checked)} />
        {t('tasks.billableLabel')}
      </label>
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t('app.saving') : task ? t('app.save') : t('tasks.addButton')}
        </button>
        <button type="button" className="button link" onClick={props.cancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}
