import { useI18n } from '../../ui/i18n.js';

/** What stands in for a screen while its code or data loads: grey bars, announced once as "Loading". */
export function Skeleton() {
  const { t } = useI18n();
  return (
    <div className="skeleton" role="status" aria-live="polite">
      <span className="visually-hidden">{t('app.loading')}</span>
      <div className="skeleton-bar wide" />
      <div className="skeleton-bar" />
      <div className="skeleton-bar" />
    </div>
  );
}
