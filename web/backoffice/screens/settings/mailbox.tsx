import { useState } from 'react';
import { Link, useParams } from 'react-router';
import useSWR from 'swr';
import { api, data } from '../../../ui/api.js';
import type { paths } from '../../../ui/api-types.js';
import { usePagedList } from '../../../ui/use-list.js';
import { ErrorScreen } from '../../components/error-screen.js';
import { SettingsFrame } from '../../components/settings-nav.js';
import { Skeleton } from '../../components/skeleton.js';
import { useBackOffice } from '../../context.js';
import { formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n.js';

type MailboxPage = paths['/api/v1/mailbox']['get']['responses'][200]['content']['application/json'];
type Status = MailboxPage['data'][number]['status'];

const PILL: Record<Status, string> = { pending: 'info', sending: 'info', sent: 'success', failed: 'danger' };

function StatusPill({ status }: { status: Status }) {
  const { t } = useI18n();
  return <span className={`pill ${PILL[status]}`}>{t(`mailbox.status.${status}` as 'mailbox.status.sent')}</span>;
}

/** Every e-mail Portico sent for the organization: with the embedded transport, the only place to read them. */
export default function Mailbox() {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const [transport, setTransport] = useState<MailboxPage['transport'] | null>(null);
  const list = usePagedList(['mailbox'], async (cursor) => {
    const page = await data(api.GET('/api/v1/mailbox', { params: { query: cursor ? { cursor } : {} } }));
    setTransport(page.transport);
    return page;
  });
  return (
    <SettingsFrame title={t('mailbox.title')}>
      {transport && <p className="notice">{transport === 'smtp' ? t('mailbox.smtp') : t('mailbox.embedded')}</p>}
      {list.error ? (
        <ErrorScreen retry={list.retry} />
      ) : list.loading ? (
        <Skeleton />
      ) : list.rows.length === 0 ? (
        <p className="empty">{t('mailbox.empty')}</p>
      ) : (
        <>
          <table className="list">
            <caption className="visually-hidden">{t('mailbox.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mailbox.subject')}</th>
                <th scope="col">{t('mailbox.to')}</th>
                <th scope="col">{t('mailbox.status')}</th>
                <th scope="col">{t('mailbox.created')}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((message) => (
                <tr key={message.id}>
                  <td data-label={t('mailbox.subject')}>
                    <Link to={`/settings/mailbox/${message.id}`}>{message.subject}</Link>
                    {message.attachments.length > 0 && (
                      <span className="muted small">
                        {' '}
                        · {t.plural('mailbox.attachments', message.attachments.length)}
                      </span>
                    )}
                  </td>
                  <td data-label={t('mailbox.to')}>{message.to}</td>
                  <td data-label={t('mailbox.status')}>
                    <StatusPill status={message.status} />
                  </td>
                  <td data-label={t('mailbox.created')}>
                    <time dateTime={message.createdAt}>{formatDateTime(message.createdAt, locale, timeZone)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.hasMore && (
            <button type="button" className="button secondary" onClick={list.more}>
              {t('app.more')}
            </button>
          )}
        </>
      )}
    </SettingsFrame>
  );
}

/**
 * One e-mail. The HTML body is shown in an iframe with `sandbox=""` (no scripts, no forms, no navigation, an
 * opaque origin), loaded from `/api/v1/mailbox/{id}/html`, whose own policy lets the e-mail's inline styles apply
 * (a `srcdoc` frame would inherit this page's policy, which blocks them): it is never put into this page's document.
 */
export function MailboxMessage() {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const { id = '' } = useParams();
  const [view, setView] = useState<'html' | 'text'>('html');
  const message = useSWR(['mailbox-message', id], () =>
    data(api.GET('/api/v1/mailbox/{id}', { params: { path: { id } } })),
  );
  const m = message.data;
  return (
    <SettingsFrame title={m?.subject ?? t('mailbox.message')}>
      <p>
        <Link to="/settings/mailbox">{t('mailbox.back')}</Link>
      </p>
      {message.error ? (
        <ErrorScreen retry={() => message.mutate()} />
      ) : !m ? (
        <Skeleton />
      ) : (
        <article className="mail-message">
          <dl className="facts">
            <div>
              <dt className="fact-label">{t('mailbox.to')}</dt>
              <dd className="fact-value">{m.to}</dd>
            </div>
            <div>
              <dt className="fact-label">{t('mailbox.status')}</dt>
              <dd className="fact-value">
                <StatusPill status={m.status} />
              </dd>
            </div>
            <div>
              <dt className="fact-label">{t('mailbox.created')}</dt>
              <dd className="fact-value">{formatDateTime(m.createdAt, locale, timeZone)}</dd>
            </div>
            {m.sentAt && (
              <div>
                <dt className="fact-label">{t('mailbox.sent')}</dt>
                <dd className="fact-value">{formatDateTime(m.sentAt, locale, timeZone)}</dd>
              </div>
            )}
            {m.attachments.length > 0 && (
              <div>
                <dt className="fact-label">{t('mailbox.attachmentsLabel')}</dt>
                <dd className="fact-value">{m.attachments.map((a) => a.filename).join(', ')}</dd>
              </div>
            )}
          </dl>
          {m.lastError && <p className="notice error">{m.lastError}</p>}
          <p className="muted small">{t('mailbox.redacted')}</p>
          <fieldset className="chips">
            <legend className="visually-hidden">{t('mailbox.view')}</legend>
            <button type="button" className="chip" aria-pressed={view === 'html'} onClick={() => setView('html')}>
              {t('mailbox.html')}
            </button>
            <button type="button" className="chip" aria-pressed={view === 'text'} onClick={() => setView('text')}>
              {t('mailbox.text')}
            </button>
          </fieldset>
          {view === 'html' ? (
            <iframe
              className="mail-body"
              sandbox=""
              src={`/api/v1/mailbox/${encodeURIComponent(m.id)}/html`}
              title={t('mailbox.bodyTitle')}
            />
          ) : (
            <pre className="mail-text">{m.text}</pre>
          )}
        </article>
      )}
    </SettingsFrame>
  );
}
