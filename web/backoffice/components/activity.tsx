import { type FormEvent, useId, useState } from 'react';
import { ApiError, api, data } from '../../ui/api.js';
import { usePagedList } from '../../ui/use-list.js';
import { useBackOffice } from '../context.js';
import { formatDateTime } from '../format.js';
import { useI18n } from '../i18n.js';
import { ErrorScreen } from './error-screen.js';
import { Skeleton } from './skeleton.js';

/** What has a comment thread and a history in the back office: the API's path segment of each. */
export type ActivitySubject = 'invoices' | 'estimates' | 'retainer-invoices' | 'projects';

function listComments(subject: ActivitySubject, id: string, cursor: string | undefined) {
  const params = { path: { id }, query: cursor ? { cursor } : {} };
  switch (subject) {
    case 'invoices':
      return data(api.GET('/api/v1/invoices/{id}/comments', { params }));
    case 'estimates':
      return data(api.GET('/api/v1/estimates/{id}/comments', { params }));
    case 'retainer-invoices':
      return data(api.GET('/api/v1/retainer-invoices/{id}/comments', { params }));
    case 'projects':
      return data(api.GET('/api/v1/projects/{id}/comments', { params }));
  }
}

function postComment(subject: ActivitySubject, id: string, text: string, showInPortal: boolean) {
  const request = { params: { path: { id } }, body: { text, showInPortal } };
  switch (subject) {
    case 'invoices':
      return data(api.POST('/api/v1/invoices/{id}/comments', request));
    case 'estimates':
      return data(api.POST('/api/v1/estimates/{id}/comments', request));
    case 'retainer-invoices':
      return data(api.POST('/api/v1/retainer-invoices/{id}/comments', request));
    case 'projects':
      return data(api.POST('/api/v1/projects/{id}/comments', request));
  }
}

function listHistory(subject: ActivitySubject, id: string, cursor: string | undefined) {
  const params = { path: { id }, query: cursor ? { cursor } : {} };
  switch (subject) {
    case 'invoices':
      return data(api.GET('/api/v1/invoices/{id}/history', { params }));
    case 'estimates':
      return data(api.GET('/api/v1/estimates/{id}/history', { params }));
    case 'retainer-invoices':
      return data(api.GET('/api/v1/retainer-invoices/{id}/history', { params }));
    case 'projects':
      return data(api.GET('/api/v1/projects/{id}/history', { params }));
  }
}

type Comment = Awaited<ReturnType<typeof postComment>>;

/** What happened to the document, oldest first: created, sent, viewed, accepted, paid… and by whom. */
export function History({ subject, id }: { subject: ActivitySubject; id: string }) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const ids = useId();
  const list = usePagedList(['history', subject, id], (cursor) => listHistory(subject, id, cursor));
  return (
    <section className="history" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('history.title')}</h2>
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : list.rows.length === 0 ? (
        <p className="muted">{t('history.empty')}</p>
      ) : (
        <ol className="timeline">
          {list.rows.map((entry) => (
            <li key={entry.id}>
              <p>{entry.description}</p>
              <p className="muted small">
                <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt, locale, timeZone)}</time>
                {' · '}
                {entry.actorName ? t('history.by', { name: entry.actorName }) : t('history.system')}
                {entry.shownInPortal && (
                  <>
                    {' · '}
                    {t('history.inPortal')}
                  </>
                )}
              </p>
            </li>
          ))}
        </ol>
      )}
      {list.hasMore && (
        <button type="button" className="button secondary" onClick={() => list.more()}>
          {t('app.more')}
        </button>
      )}
    </section>
  );
}

/**
 * The comment thread as the business sees it — the client's comments, the team's replies, and which of them the
 * client can see — and a composer whose "Display in client portal" box starts unticked: a reply is internal
 * unless someone decides otherwise.
 */
export function Comments({ subject, id }: { subject: ActivitySubject; id: string }) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const ids = useId();
  const [text, setText] = useState('');
  const [showInPortal, setShowInPortal] = useState(false);
  const [error, setError] = useState<{ message: string; field: boolean } | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [posted, setPosted] = useState<Comment[]>([]);
  const list = usePagedList(['comments', subject, id], (cursor) => listComments(subject, id, cursor));
  const shown = new Set(list.rows.map((comment) => comment.id));
  const thread = [...list.rows, ...posted.filter((comment) => !shown.has(comment.id))];

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = text.trim();
    setStatus('');
    if (!body) {
      setError({ message: t('comments.required'), field: true });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const comment = await postComment(subject, id, body, showInPortal);
      setPosted((current) => [...current, comment]);
      setText('');
      setShowInPortal(false);
      setStatus(t('comments.sent'));
      list.retry();
    } catch (caught) {
      setError({
        message: caught instanceof ApiError && caught.status !== 500 ? caught.message : t('app.error'),
        field: caught instanceof ApiError && caught.status === 400,
      });
    } finally {
      setBusy(false);
    }
  }

  const titleId = `${ids}-title`;
  const fieldId = `${ids}-text`;
  const hintId = `${ids}-hint`;
  const errorId = `${ids}-error`;
  return (
    <section className="comments" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('comments.title')}</h2>
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : thread.length === 0 ? (
        <p className="muted">{t('comments.empty')}</p>
      ) : (
        <ol className="comment-thread">
          {thread.map((comment) => {
            const fromClient = comment.authorType === 'contact_person';
            return (
              <li key={comment.id} className={fromClient ? 'comment contact' : 'comment business'}>
                <p className="comment-meta">
                  <span className="strong">{comment.authorName ?? t('comments.apiKey')}</span>
                  {fromClient ? (
                    <span className="pill info">{t('comments.fromClient')}</span>
                  ) : comment.showInPortal ? (
                    <span className="pill success">{t('comments.visible')}</span>
                  ) : (
                    <span className="pill muted">{t('comments.internal')}</span>
                  )}
                  <time className="muted small" dateTime={comment.createdAt}>
                    {formatDateTime(comment.createdAt, locale, timeZone)}
                  </time>
                </p>
                <p className="comment-text">{comment.text}</p>
              </li>
            );
          })}
        </ol>
      )}
      {list.hasMore && (
        <button type="button" className="button secondary" onClick={() => list.more()}>
          {t('comments.more')}
        </button>
      )}
      <form className="comment-form" onSubmit={send} noValidate>
        <div className="field">
          <label htmlFor={fieldId}>{t('comments.label')}</label>
          <textarea
            id={fieldId}
            name="text"
            rows={3}
            maxLength={5000}
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-invalid={error?.field ? true : undefined}
            aria-describedby={error?.field ? `${errorId} ${hintId}` : hintId}
          />
          <span id={hintId} className="muted small">
            {t('comments.hint')}
          </span>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            name="showInPortal"
            checked={showInPortal}
            onChange={(event) => setShowInPortal(event.target.checked)}
          />
          {t('comments.showInPortal')}
        </label>
        {error && (
          <p id={errorId} className="notice error" role="alert">
            {error.message}
          </p>
        )}
        <p className="visually-hidden" role="status">
          {status}
        </p>
        <button type="submit" className="button primary" disabled={busy}>
          {t('comments.send')}
        </button>
      </form>
    </section>
  );
}
