import { useI18n } from '../i18n.js';

/** A screen whose data could not be loaded: says so, and offers another try when one can help. */
export function ErrorScreen({ retry }: { retry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="notice error" role="alert">
      <p>{t('app.error')}</p>
      {retry && (
        <button type="button" className="button secondary" onClick={retry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}
