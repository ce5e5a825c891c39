import { type FormEvent, useId, useState } from 'react';
import { ApiError, api, data } from '../../ui/api.js';
import { useI18n } from '../../ui/i18n.js';
import { usePagedList } from '../../ui/use-list.js';
import { usePortal } from '../portal-context.js';
import { ErrorScreen } from './error-screen.js';
import { Skeleton } from './skeleton.js';

/** What can carry a comment thread in the portal: the API's path segment of each. */
export type CommentSubject = 'estimates' | 'invoices' | 'retainer-invoices' | 'projects';

type Comment = Awaited<ReturnType<typeof postComment>>;

function listComments(slug: string, subject: CommentSubject, id: string, cursor: string | undefined) {
  const params = { path: { slug, id }, query: cursor ? { cursor } : {} };
  switch (subject) {
    case 'estimates':
      return data(api.GET('/api/portal/{slug}/estimates/{id}/comments', { params }));
    case 'invoices':
      return data(api.GET('/api/portal/{slug}/invoices/{id}/comments', { params }));
    case 'retainer-invoices':
      return data(api.GET('/api/portal/{slug}/retainer-invoices/{id}/comments', { params }));
    case 'projects':
      return data(api.GET('/api/portal/{slug}/projects/{id}/comments', { params }));
  }
}

function postComment(slug: string, subject: CommentSubject, id: string, text: string) {
  const request = { params: { path: { slug, id } }, body: { text } };
  switch (subject) {
    case 'estimates':
      return data(api.POST('/api/portal/{slug}/estimates/{id}/comments', request));
    case 'invoices':
      return data(api.POST('/api/portal/{slug}/invoices/{id}/comments', request));
    case 'retainer-invoices':
      return data(api.POST('/api/portal/{slug}/retainer-invoices/{id}/comments', request));
    case 'projects':
      return data(api.POST('/api/portal/{slug}/projects/{id}/comments', request));
  }
}

/**
 * The comment thread of a document or project, oldest first, and a box to add to it. Comments are plain text:
 * rendered as text (line breaks kept), never as HTML. A comment just sent shows at once, before the thread is
 * fetched again (and stays at the end while newer pages are not loaded yet).
 */
export function Comments({ subject, id }: { subject: CommentSubject; id: string }) {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const ids = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<{ message: string; field: boolean } | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [posted, setPosted] = useState<Comment[]>([]);
  const list = usePagedList(['comments', slug, subject, id], (cursor) => listComments(slug, subject, id, cursor));

  const shown = new Set(list.rows.map((comment) => comment.id));
  const thread = [...list.rows, ...posted.filter((comment) => !shown.has(comment.id))];
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });

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
      const comment = await postComment(slug, subject, id, body);
      setPosted((current) => [...current, comment]);
      setText('');
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
    <section className="comments no-print" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('comments.title')}</h2>
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : thread.length === 0 ? (
        <p className="muted">{t('comments.empty')}</p>
      ) : (
        <ol className="comment-thread">
          {thread.map((comment) => (
            <li key={comment.id} className={comment.mine ? 'comment mine' : `comment ${comment.authorType}`}>
              <p className="comment-meta">
                <span className="strong">{comment.authorName}</span>
                {comment.mine && <span className="pill info">{t('comments.you')}</span>}
                <time className="muted small" dateTime={comment.createdAt}>
                  {when.format(new Date(comment.createdAt))}
                </time>
              </p>
              <p className="comment-text">{comment.text}</p>
            </li>
          ))}
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
          <p id={hintId} className="muted small field-hint">
            {t('comments.hint')}
          </p>
        </div>
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
