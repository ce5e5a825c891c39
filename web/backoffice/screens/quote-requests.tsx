import { useState } from 'react';
import { Link } from 'react-router';
import { useSWRConfig } from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { refresh } from '../../ui/cache.js';
import { usePagedList } from '../../ui/use-list.js';
import { useConfirm } from '../components/confirm.js';
import { FilterChips } from '../components/document.js';
import { PagedList, useStatusFilter } from '../components/paged-list.js';
import { useBackOffice } from '../context.js';
import { formatDay } from '../format.js';
import { useI18n } from '../i18n.js';

const FILTERS = ['open', 'estimate_created', 'dismissed', 'all'] as const;
const TONES = { open: 'info', estimate_created: 'success', dismissed: 'muted' } as const;

/**
 * Clients' quote requests (docs/requests.md), open ones first: each is made into an estimate ("Create estimate"
 * opens the estimate form with the customer and the words filled in) or dismissed.
 */
export default function QuoteRequests() {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const { mutate } = useSWRConfig();
  const confirm = useConfirm();
  const status = useStatusFilter(FILTERS);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const list = usePagedList(['quote-requests', status], (cursor) =>
    data(
      api.GET('/api/v1/quote-requests', {
        params: { query: { ...(status === 'all' ? {} : { status }), ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );

  async function dismiss(id: string) {
    if (!(await confirm.ask(t('quoteRequests.dismissConfirm'), { confirmLabel: t('quoteRequests.dismiss') }))) return;
    try {
      await data(api.POST('/api/v1/quote-requests/{id}/dismiss', { params: { path: { id } } }));
      setMessage({ kind: 'success', text: t('quoteRequests.dismissed') });
    } catch (caught) {
      setMessage({ kind: 'error', text: caught instanceof ApiError ? caught.message : t('app.error') });
    }
    refresh(mutate, 'quote-requests');
  }

  return (
    <section>
      <h1>{t('quoteRequests.title')}</h1>
      <p className="muted">{t('quoteRequests.intro')}</p>
      <FilterChips
        label={t('quoteRequests.filterLabel')}
        current={status}
        options={FILTERS.map((value) => [value, t(`quoteRequests.filter.${value}`)])}
      />
      <p role="status" className={message ? `notice ${message.kind}` : 'visually-hidden'}>
        {message?.text ?? ''}
      </p>
      <PagedList list={list} empty={t('quoteRequests.empty')}>
        {(rows) => (
          <ul className="review-list">
            {rows.map((request) => (
              <li key={request.id} className="card quote-request" aria-labelledby={`${request.id}-title`}>
                <p className="muted small">
                  <span className={`pill ${TONES[request.status]}`}>{t(`quoteRequests.status.${request.status}`)}</span>{' '}
                  <Link to={`/customers/${request.customer.id}`}>
                    {t('quoteRequests.from', {
                      person: request.contactPerson.name,
                      customer: request.customer.displayName,
                    })}
                  </Link>{' '}
                  ·{' '}
                  <time dateTime={request.createdAt}>
                    {t('quoteRequests.requestedOn', { date: formatDay(request.createdAt, locale, timeZone) })}
                  </time>
                </p>
                <h2 id={`${request.id}-title`} className="h3 pre-line">
                  {request.description}
                </h2>
                {request.details && (
                  <>
                    <h3 className="visually-hidden">{t('quoteRequests.details')}</h3>
                    <p className="pre-line">{request.details}</p>
                  </>
                )}
                {request.status === 'open' && (
                  <div className="actions">
                    <Link className="button primary" to={`/estimates/new?quoteRequest=${request.id}`}>
                      {t('quoteRequests.createEstimate')}
                    </Link>
                    <button type="button" className="button secondary" onClick={() => dismiss(request.id)}>
                      {t('quoteRequests.dismiss')}
                    </button>
                  </div>
                )}
                {request.estimateId && request.estimateNumber && (
                  <p>
                    <Link to={`/estimates/${request.estimateId}`}>
                      {t('quoteRequests.estimate', { number: request.estimateNumber })}
                    </Link>
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </PagedList>
      {confirm.dialog}
    </section>
  );
}
