import { api, data } from '../../ui/api.js';
import { CommentThread } from '../../ui/comment-thread.js';
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
 * The comment thread of a document or project as the client sees it (their own comments marked "you"), and a box
 * to add to it (see CommentThread).
 */
export function Comments({ subject, id }: { subject: CommentSubject; id: string }) {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const list = usePagedList(['comments', slug, subject, id], (cursor) => listComments(slug, subject, id, cursor));
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <CommentThread
      t={t}
      list={list}
      post={(text) => postComment(slug, subject, id, text)}
      look={(comment: Comment) => ({
        className: comment.mine ? 'comment mine' : `comment ${comment.authorType}`,
        author: comment.authorName,
        badge: comment.mine && <span className="pill info">{t('comments.you')}</span>,
        when: when.format(new Date(comment.createdAt)),
      })}
      loading={<Skeleton />}
      failed={<ErrorScreen retry={() => list.retry()} />}
      className="comments no-print"
    />
  );
}
