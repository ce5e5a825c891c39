import { useId, useState } from 'react';
import { api, data } from '../../ui/api.js';
import { CommentThread } from '../../ui/comment-thread.js';
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
 * unless someone decides otherwise (see CommentThread).
 */
export function Comments({ subject, id }: { subject: ActivitySubject; id: string }) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const [showInPortal, setShowInPortal] = useState(false);
  const list = usePagedList(['comments', subject, id], (cursor) => listComments(subject, id, cursor));
  return (
    <CommentThread
      t={t}
      list={list}
      post={(text) => postComment(subject, id, text, showInPortal)}
      look={(comment: Comment) => {
        const fromClient = comment.authorType === 'contact_person';
        return {
          className: fromClient ? 'comment contact' : 'comment business',
          author: comment.authorName ?? t('comments.apiKey'),
          badge: fromClient ? (
            <span className="pill info">{t('comments.fromClient')}</span>
          ) : comment.showInPortal ? (
            <span className="pill success">{t('comments.visible')}</span>
          ) : (
            <span className="pill muted">{t('comments.internal')}</span>
          ),
          when: formatDateTime(comment.createdAt, locale, timeZone),
        };
      }}
      loading={<Skeleton />}
      failed={<ErrorScreen retry={() => list.retry()} />}
      className="comments"
      options={
        <label className="checkbox">
          <input
            type="checkbox"
            name="showInPortal"
            checked={showInPortal}
            onChange={(event) => setShowInPortal(event.target.checked)}
          />
          {t('comments.showInPortal')}
        </label>
      }
      onSent={() => setShowInPortal(false)}
    />
  );
}
