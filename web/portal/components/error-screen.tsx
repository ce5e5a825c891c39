import { useI18n } from '../../ui/i18n.js';
import { LoadFailed } from '../../ui/screen-states.js';

/** The failed state of a screen, in this app's words. */
export function ErrorScreen({ retry }: { retry?: () => void }) {
  const { t } = useI18n();
  return <LoadFailed message={t('app.error')} retryLabel={t('app.retry')} retry={retry} />;
}
