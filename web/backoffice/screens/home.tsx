import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { usePagedList } from '../../ui/use-list.js';
import { ErrorScreen } from '../components/error-screen.js';
import { HomeFigures } from '../components/home-figures.js';
import { Skeleton } from '../components/skeleton.js';
import { useBackOffice } from '../context.js';
import { formatDateTime } from '../format.js';
import { useI18n } from '../i18n.js';

type ActivityPage = paths['/api/v1/portal-activity']['get']['responses'][200]['content']['application/json'];
export type ActivityItem = ActivityPage['data'][number];

const DOCUMENT_PATHS: Partial<Record<string, string>> = { invoice: '/invoices/', estimate: '/estimates/' };

/**
 * Home: the business's figures (HomeFigures), then what clients did in the portal, newest first. While the page is open an EventSource on the activity
 * stream prepends new items and a polite live region reads them out; without it (or once it gives up) the list
 * is still there, paged, with a button to look again.
 */
export default function Home() {
  const { t } = useI18n();
  const { locale, timeZone, organization } = useBackOffice();
  const list = usePagedList(['portal-activity'], (cursor) =>
    data(api.GET('/api/v1/portal-activity', { params: { query: cursor ? { cursor } : {} } })),
  );
  const [live, setLive] = useState<ActivityItem[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [streaming, setStreaming] = useState<'connecting' | 'live' | 'off'>('connecting');
  const describe = useDescribe();
  const describeRef = useRef(describe);
  describeRef.current = describe;

  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setStreaming('off');
      return;
    }
    const source = new EventSource('/api/v1/portal-activity/stream');
    source.onopen = () => setStreaming('live');
    source.addEventListener('activity', (event) => {
      const item = JSON.parse((event as MessageEvent<string>).data) as ActivityItem;
      setLive((items) => (items.some((known) => known.id === item.id) ? items : [item, ...items]));
      setAnnouncement(describeRef.current(item));
    });
    source.addEventListener('end', () => {
      source.close();
      setStreaming('off');
    });
    source.onerror = () => {
      // The browser reconnects by itself unless the server refused the stream.
      if (source.readyState === EventSource.CLOSED) setStreaming('off');
    };
    return () => source.close();
  }, []);

  const known = new Set(live.map((item) => item.id));
  const rows = [...live, ...list.rows.filter((item) => !known.has(item.id))];

  return (
    <>
      <h1>{t('home.heading')}</h1>
      <HomeFigures />
      <section className="home-feed" aria-labelledby="home-feed">
        <div className="page-head">
          <h2 id="home-feed">{t('home.title')}</h2>
          <p className="muted small" data-testid="live-status">
            {streaming === 'live' ? t('home.live') : streaming === 'off' ? t('home.notLive') : t('home.connecting')}
          </p>
        </div>
        <p className="muted">{t('home.intro', { organization: organization.name })}</p>
        <div className="visually-hidden" aria-live="polite" role="status">
          {announcement}
        </div>
        {list.error ? (
          <ErrorScreen retry={list.retry} />
        ) : list.loading ? (
          <Skeleton />
        ) : rows.length === 0 ? (
          <p className="empty">{t('home.empty')}</p>
        ) : (
          <>
            <ul className="activity-feed">
              {rows.map((item) => {
                const documentPath = item.document ? DOCUMENT_PATHS[item.document.kind] : undefined;
                return (
                  <li key={item.id} className={`card activity-item event-${item.event}`}>
                    <p className="activity-sentence">{describe(item)}</p>
                    <p className="muted small">
                      <time dateTime={item.at}>{formatDateTime(item.at, locale, timeZone)}</time>
                      {item.customer && (
                        <>
                          {' · '}
                          <Link to={`/customers/${item.customer.id}`}>{item.customer.name}</Link>
                        </>
                      )}
                      {item.document && documentPath && (
                        <>
                          {' · '}
                          <Link to={`${documentPath}${item.document.id}`}>
                            {t('home.open', { what: documentWords(t, item.document) })}
                          </Link>
                        </>
                      )}
                    </p>
                  </li>
                );
              })}
            </ul>
            <div className="actions">
              {list.hasMore && (
                <button type="button" className="button secondary" onClick={list.more}>
                  {t('app.more')}
                </button>
              )}
              {streaming === 'off' && (
                <button type="button" className="button secondary" onClick={list.retry}>
                  {t('home.refresh')}
                </button>
              )}
            </div>
          </>
        )}
      </section>
    </>
  );
}

type T = ReturnType<typeof useI18n>['t'];

function documentWords(t: T, document: NonNullable<ActivityItem['document']>): string {
  const kind = t(`home.kind.${document.kind}` as 'home.kind.invoice');
  return document.number ? `${kind} ${document.number}` : kind;
}

/** One item in words: "Alice Baker viewed invoice INV-0001". */
function useDescribe() {
  const { t } = useI18n();
  return (item: ActivityItem): string => {
    const who = item.contactPerson?.name ?? t('home.someone');
    const what = item.document ? documentWords(t, item.document) : '';
    if (item.event === 'reviewed') return t('home.event.reviewed', { who, rating: item.rating ?? '?' });
    return t(`home.event.${item.event}` as 'home.event.viewed', { who, what });
  };
}
