import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ApiError } from './api.js';
import type { PagedListState } from './paged-list.js';

/** The words the thread needs; both apps' catalogues have them under these keys (each in its own voice). */
type CommentWord =
  | 'comments.title'
  | 'comments.empty'
  | 'comments.more'
  | 'comments.label'
  | 'comments.hint'
  | 'comments.send'
  | 'comments.sent'
  | 'comments.required'
  | 'app.error';

interface ThreadComment {
  id: string;
  createdAt: string;
  text: string;
}

/** How one comment is shown: its look (`comment mine`, `comment business`…), author, badge and time. */
interface CommentLook {
  className: string;
  author: string;
  badge: ReactNode;
  when: string;
}

/**
 * A comment thread, oldest first, and the form to add to it. Comments are plain text: rendered as text (line
 * breaks kept), never as HTML. A comment just sent shows at once, before the thread is fetched again (and stays at
 * the end while newer pages are not loaded yet). While it is being sent the form is held (its fields disabled, like
 * every form of the house), so nothing typed or ticked meanwhile is wiped when the sent comment clears it. Each app
 * binds its words, its API calls, how a comment is shown and any option of its own in the form (`options`, reset by
 * `onSent`): web/portal/components/comments.tsx, web/backoffice/components/activity.tsx.
 */
export function CommentThread<C extends ThreadComment>({
  t,
  list,
  post,
  look,
  loading,
  failed,
  className,
  options,
  onSent,
}: {
  t: (key: CommentWord) => string;
  list: PagedListState<C>;
  post: (text: string) => Promise<C>;
  look: (comment: C) => CommentLook;
  loading: ReactNode;
  failed: ReactNode;
  className: string;
  options?: ReactNode;
  onSent?: () => void;
}) {
  const ids = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<{ message: string; field: boolean } | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [posted, setPosted] = useState<C[]>([]);
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
      const comment = await post(body);
      setPosted((current) => [...current, comment]);
      setText('');
      onSent?.();
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
    <section className={className} aria-labelledby={titleId}>
      <h2 id={titleId}>{t('comments.title')}</h2>
      {list.loading ? (
        loading
      ) : list.error ? (
        failed
      ) : thread.length === 0 ? (
        <p className="muted">{t('comments.empty')}</p>
      ) : (
        <ol className="comment-thread">
          {thread.map((comment) => {
            const shownAs = look(comment);
            return (
              <li key={comment.id} className={shownAs.className}>
                <p className="comment-meta">
                  <span className="strong">{shownAs.author}</span>
                  {shownAs.badge}
                  <time className="muted small" dateTime={comment.createdAt}>
                    {shownAs.when}
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
        <fieldset className="comment-fields" disabled={busy}>
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
          {options}
          {error && (
            <p id={errorId} className="notice error" role="alert">
              {error.message}
            </p>
          )}
          <p className="visually-hidden" role="status">
            {status}
          </p>
          <button type="submit" className="button primary">
            {t('comments.send')}
          </button>
        </fieldset>
      </form>
    </section>
  );
}
