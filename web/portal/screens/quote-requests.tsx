import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { usePortal } from '../portal-context.js';
import NotFound from './not-found.js';

/** Request a quote (docs/requests.md): a short form, and the client's own requests with where each stands. */
export default function QuoteRequests() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const id = useId();
  const mine = useSWR(['quote-requests', slug], () =>
    data(api.GET('/api/portal/{slug}/quote-requests', { params: { path: { slug } } })),
  );
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (mine.error) {
    if (mine.error instanceof ApiError && mine.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => mine.mutate()} />;
  }
  if (mine.data === undefined) return <Skeleton />;

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const description = String(fields.get('description') ?? '').trim();
    const details = String(fields.get('details') ?? '').trim();
    setSent(false);
    if (!description) {
      setError(t('quote.descriptionRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await data(
        api.POST('/api/portal/{slug}/quote-requests', {
          params: { path: { slug } },
          body: { description, details: details || null },
        }),
      );
      form.reset();
      setSent(true);
      await mine.mutate();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('app.error'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="narrow-page">
      <h1>{t('quote.title')}</h1>
      <p>{t('quote.intro')}</p>
      <p role="status" className={sent ? 'notice success' : 'visually-hidden'}>
        {sent ? t('quote.sent') : ''}
      </p>
      <form onSubmit={send} className="card" noValidate>
        {error && (
          <p className="notice error" role="alert" id={`${id}-error`}>
            {error}
          </p>
        )}
        <label className="field">
          <span>{t('quote.description')}</span>
          <textarea
            name="description"
            rows={3}
            maxLength={2000}
            required
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </label>
        <label className="field">
          <span>{t('quote.details')}</span>
          <textarea name="details" rows={5} maxLength={5000} aria-describedby={`${id}-details-hint`} />
          <span id={`${id}-details-hint`} className="field-hint">
            {t('quote.detailsHint')}
          </span>
        </label>
        <button type="submit" className="button primary" disabled={busy}>
          {t('quote.submit')}
        </button>
      </form>

      <h2 className="h3">{t('quote.mine')}</h2>
      {mine.data.data.length === 0 ? (
        <p className="muted">{t('quote.none')}</p>
      ) : (
        <ul className="rows quote-requests">
          {mine.data.data.map((request) => (
            <li key={request.id}>
              <div>
                <p className="pre-line">{request.description}</p>
                <p className="muted small">
                  {t('quote.requestedOn', { date: formatDate(request.createdAt.slice(0, 10), locale) })}
                </p>
              </div>
              {request.estimateId ? (
                <Link to={`/estimates/${request.estimateId}`}>{t('quote.viewEstimate')}</Link>
              ) : (
                <span className="pill info">{t(`quote.status.${request.status}`)}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
