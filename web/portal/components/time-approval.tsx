import { type FormEvent, useId, useRef, useState } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { refresh } from '../../ui/cache.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { usePortal } from '../portal-context.js';
import { ErrorScreen } from './error-screen.js';
import { Hours } from './project.js';
import { Skeleton } from './skeleton.js';

type Approval = 'awaiting_approval' | 'approved' | 'queried';

/** An entry's approval as a pill with its word (never colour alone). */
export function ApprovalPill({ approval }: { approval: Approval }) {
  const { t } = useI18n();
  const tone = approval === 'approved' ? 'success' : approval === 'queried' ? 'warning' : 'info';
  return <span className={`pill ${tone}`}>{t(`timeApproval.state.${approval}`)}</span>;
}

interface ThreadItem {
  id: string;
  author: 'client' | 'business';
  authorName: string | null;
  text: string;
  createdAt: string;
}

/** A time entry's queries and the business's answers, oldest first, as plain text. */
export function QueryThread({ queries }: { queries: ThreadItem[] }) {
  const { t } = useI18n();
  const { locale } = usePortal();
  if (queries.length === 0) return null;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <ul className="query-thread" aria-label={t('timeApproval.thread')}>
      {queries.map((item) => (
        <li key={item.id} className={item.author === 'business' ? 'query business' : 'query'}>
          <span className="small muted">
            {item.authorName ?? ''} · {when.format(new Date(item.createdAt))}
          </span>
          <span className="pre-line">{item.text}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * "Time to approve": the project's entries awaiting the client's approval (up to 100, newest first), each with
 * Approve and Query, and Approve all shown. A query asks for a message, which the business reads and answers.
 */
export function TimeToApprove({ projectId, onChanged }: { projectId: string; onChanged(): void }) {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const { mutate } = useSWRConfig();
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [querying, setQuerying] = useState<{ id: string; date: string } | null>(null);
  const awaiting = useSWR(['time-to-approve', slug, projectId], () =>
    data(
      api.GET('/api/portal/{slug}/projects/{id}/time-entries', {
        params: { path: { slug, id: projectId }, query: { approval: 'awaiting_approval', limit: 100 } },
      }),
    ),
  );

  async function changed(message: string) {
    setNotice(message);
    await refresh(mutate, 'project-time');
    await awaiting.mutate();
    onChanged();
  }

  async function approve(ids: string[]) {
    setBusy(true);
    setError('');
    setNotice('');
    try {
      const result = await data(
        api.POST('/api/portal/{slug}/projects/{id}/time-entries/approve', {
          params: { path: { slug, id: projectId } },
          body: { timeEntryIds: ids },
        }),
      );
      await changed(t.plural('timeApproval.approvedCount', result.approvedCount));
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.status === 429 ? t('timeApproval.rateLimited') : t('timeApproval.failed'),
      );
      await awaiting.mutate();
    } finally {
      setBusy(false);
    }
  }

  if (awaiting.error) return <ErrorScreen retry={() => awaiting.mutate()} />;
  if (!awaiting.data) return <Skeleton />;
  const rows = awaiting.data.data;

  return (
    <section className="time-to-approve" aria-labelledby="time-to-approve-title">
      <h2 id="time-to-approve-title">{t('timeApproval.title')}</h2>
      <p role="status" className={notice ? 'notice success' : 'visually-hidden'}>
        {notice}
      </p>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="empty">{t('timeApproval.none')}</p>
      ) : (
        <>
          <p className="muted">{t('timeApproval.intro')}</p>
          <table className="list">
            <caption className="visually-hidden">{t('timeApproval.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('doc.date')}</th>
                <th scope="col">{t('projects.task')}</th>
                <th scope="col">{t('doc.notes')}</th>
                <th scope="col" className="num">
                  {t('projects.hours')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('timeApproval.actions')}</span>
                </th>
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
                  <td data-label={t('timeApproval.actions')}>
                    <div className="row-buttons">
                      <button
                        type="button"
                        className="button secondary"
                        disabled={busy}
                        aria-label={t('timeApproval.approveOne', { date: formatDate(entry.date, locale) })}
                        onClick={() => approve([entry.id])}
                      >
                        {t('timeApproval.approve')}
                      </button>
                      <button
                        type="button"
                        className="button secondary"
                        disabled={busy}
                        aria-label={t('timeApproval.queryOne', { date: formatDate(entry.date, locale) })}
                        onClick={() => setQuerying({ id: entry.id, date: formatDate(entry.date, locale) })}
                      >
                        {t('timeApproval.query')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button
              type="button"
              className="button primary"
              disabled={busy}
              onClick={() => approve(rows.map((entry) => entry.id))}
            >
              {t.plural('timeApproval.approveAll', rows.length)}
            </button>
          </div>
        </>
      )}
      {querying && (
        <QueryDialog
          projectId={projectId}
          entry={querying}
          onClose={() => setQuerying(null)}
          onSent={() => {
            setQuerying(null);
            void changed(t('timeApproval.queried'));
          }}
        />
      )}
    </section>
  );
}

/** The query: a required message about one entry, in a native dialog (focus trapped and returned). */
function QueryDialog(props: {
  projectId: string;
  entry: { id: string; date: string };
  onClose(): void;
  onSent(): void;
}) {
  const { t } = useI18n();
  const { slug } = usePortal();
  const ids = useId();
  const [error, setError] = useState<{ message: string; field: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const opened = useRef(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const message = String(new FormData(event.currentTarget).get('message') ?? '').trim();
    if (!message) {
      setError({ message: t('timeApproval.messageMissing'), field: true });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await data(
        api.POST('/api/portal/{slug}/projects/{id}/time-entries/{entryId}/query', {
          params: { path: { slug, id: props.projectId, entryId: props.entry.id } },
          body: { message },
        }),
      );
      props.onSent();
    } catch (caught) {
      const status = caught instanceof ApiError ? caught.status : 0;
      setError({
        message: status === 429 ? t('timeApproval.queryRateLimited') : t('timeApproval.failed'),
        field: false,
      });
    } finally {
      setBusy(false);
    }
  }

  const titleId = `${ids}-title`;
  const errorId = `${ids}-error`;
  return (
    <dialog
      ref={(dialog) => {
        if (dialog && !opened.current) {
          opened.current = true;
          dialog.showModal();
        }
      }}
      aria-labelledby={titleId}
      className="dialog"
      onClose={props.onClose}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>{t('timeApproval.queryTitle', { date: props.entry.date })}</h2>
        <p>{t('timeApproval.queryBody')}</p>
        {error && (
          <p id={errorId} className="notice error" role="alert">
            {error.message}
          </p>
        )}
        <label className="field">
          <span>{t('timeApproval.message')}</span>
          <textarea
            name="message"
            rows={4}
            maxLength={5000}
            required
            onChange={() => error && setError(null)}
            aria-invalid={error?.field ? true : undefined}
            aria-describedby={error?.field ? errorId : undefined}
          />
        </label>
        <div className="dialog-actions">
          <button type="button" className="button secondary" onClick={props.onClose}>
            {t('timeApproval.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t('timeApproval.send')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
