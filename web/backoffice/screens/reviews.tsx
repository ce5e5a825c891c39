import useSWRInfinite from 'swr/infinite';
import { api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { useBackOffice } from '../context.js';
import { formatDay } from '../format.js';
import { useI18n } from '../i18n.js';

type ReviewPage = paths['/api/v1/reviews']['get']['responses'][200]['content']['application/json'];

/** The clients' ratings of the organization (private to the business), newest first, with the average. */
export default function Reviews() {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const pages = useSWRInfinite<ReviewPage>(
    (index, previous: ReviewPage | null) =>
      index === 0 ? ['reviews', null] : previous?.nextCursor ? ['reviews', previous.nextCursor] : null,
    ([, cursor]: [string, string | null]) =>
      data(api.GET('/api/v1/reviews', { params: { query: cursor ? { cursor } : {} } })),
  );
  const rows = pages.data?.flatMap((page) => page.data) ?? [];
  const summary = pages.data?.[0]?.summary;
  const last = pages.data?.[pages.data.length - 1];
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  return (
    <section>
      <h1>{t('reviews.title')}</h1>
      {pages.error ? (
        <ErrorScreen retry={() => pages.mutate()} />
      ) : !pages.data ? (
        <Skeleton />
      ) : rows.length === 0 ? (
        <p className="empty">{t('reviews.empty')}</p>
      ) : (
        <>
          {summary && summary.averageRating !== null && (
            <p className="lead">
              {t.plural('reviews.summary', summary.count, { average: number.format(summary.averageRating) })}
            </p>
          )}
          <ul className="review-list">
            {rows.map((review) => (
              <li key={review.id} className="card">
                <p className="stars">
                  <span aria-hidden="true">
                    {'★'.repeat(review.rating)}
                    {'☆'.repeat(5 - review.rating)}
                  </span>
                  <span className="visually-hidden">{t('reviews.stars', { rating: review.rating })}</span>
                </p>
                <p className={review.comment ? 'pre-line' : 'muted'}>{review.comment ?? t('reviews.noComment')}</p>
                <p className="muted small">
                  {t('reviews.by', { name: review.contactPersonName, customer: review.customerName })} ·{' '}
                  <time dateTime={review.updatedAt}>{formatDay(review.updatedAt, locale, timeZone)}</time>
                </p>
              </li>
            ))}
          </ul>
          {last?.nextCursor && (
            <button type="button" className="button secondary" onClick={() => pages.setSize(pages.size + 1)}>
              {t('app.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
