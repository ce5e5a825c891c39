import { type FormEvent, useState } from 'react';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { usePortal } from '../portal-context.js';
import NotFound from './not-found.js';

const STARS = [1, 2, 3, 4, 5] as const;

/** Rate us: 1–5 stars (a radio group: arrow keys move the rating) and a comment; shows the review already sent. */
export default function Review() {
  const { t } = useI18n();
  const { slug, locale, identity } = usePortal();
  const review = useSWR(['review', slug], () =>
    data(api.GET('/api/portal/{slug}/review', { params: { path: { slug } } })),
  );
  const [rating, setRating] = useState<number | null>(null);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = identity.organization.name;

  if (review.error) {
    if (review.error instanceof ApiError && review.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => review.mutate()} />;
  }
  if (review.data === undefined) return <Skeleton />;
  const mine = review.data;
  const chosen = rating ?? mine?.rating ?? 0;

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const comment = String(new FormData(event.currentTarget).get('comment') ?? '').trim();
    if (!chosen) return;
    setBusy(true);
    setSent(false);
    setError(null);
    try {
      const saved = await data(
        api.PUT('/api/portal/{slug}/review', {
          params: { path: { slug } },
          body: { rating: chosen, comment: comment || null },
        }),
      );
      await review.mutate(saved, { revalidate: false });
      setSent(true);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('app.error'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="narrow-page">
      <h1>{t('review.title')}</h1>
      <p>{t('review.intro', { name })}</p>
      {mine && (
        <p className="notice">
          {t('review.current', { name, rating: mine.rating, date: formatDate(mine.updatedAt.slice(0, 10), locale) })}
        </p>
      )}
      <p role="status" className={sent ? 'notice success' : 'visually-hidden'}>
        {sent ? t('review.sent') : ''}
      </p>
      <form onSubmit={send} className="card">
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
        <fieldset className="stars">
          <legend>{t('review.rating')}</legend>
          <div className="stars-row">
            {STARS.map((count) => (
              <label key={count} className={count <= chosen ? 'star on' : 'star'}>
                <input
                  type="radio"
                  name="rating"
                  value={count}
                  required
                  checked={chosen === count}
                  onChange={() => setRating(count)}
                  aria-label={t('review.stars', { count })}
                />
                <span aria-hidden="true">★</span>
              </label>
            ))}
          </div>
          <p className="small muted" aria-hidden="true">
            {chosen ? t('review.stars', { count: chosen }) : ''}
          </p>
        </fieldset>
        <label className="field">
          <span>{t('review.comment')}</span>
          <textarea name="comment" rows={4} maxLength={2000} defaultValue={mine?.comment ?? ''} />
        </label>
        <button type="submit" className="button primary" disabled={busy || !chosen}>
          {t('review.send')}
        </button>
      </form>
    </section>
  );
}
