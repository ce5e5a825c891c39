import { Link, useSearchParams } from 'react-router';
import { useI18n } from '../i18n.js';
import { EyeIcon } from './document.js';

export type ViewedChoice = 'any' | 'true' | 'false';

/** The list's "viewed by client" choice from `?viewed=`, as the API's filter (undefined: any). */
export function useViewedFilter(): { choice: ViewedChoice; query: { viewed?: boolean } } {
  const [params] = useSearchParams();
  const value = params.get('viewed');
  if (value === 'true') return { choice: 'true', query: { viewed: true } };
  if (value === 'false') return { choice: 'false', query: { viewed: false } };
  return { choice: 'any', query: {} };
}

/** Chips for "Viewed by client: Any · Viewed · Not viewed", beside the eye of the list's Viewed column. */
export function ViewedFilter() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const { choice } = useViewedFilter();
  const to = (value: ViewedChoice) => {
    const next = new URLSearchParams(params);
    if (value === 'any') next.delete('viewed');
    else next.set('viewed', value);
    next.delete('cursor');
    return `?${next.toString()}`;
  };
  return (
    <nav aria-label={t('viewedFilter.label')} className="chips viewed-filter">
      <span className="muted small" aria-hidden="true">
        <EyeIcon /> {t('viewedFilter.label')}
      </span>
      {(['any', 'true', 'false'] as const).map((value) => (
        <Link key={value} to={to(value)} className="chip" aria-current={choice === value ? 'page' : undefined}>
          {t(`viewedFilter.${value}`)}
        </Link>
      ))}
    </nav>
  );
}
