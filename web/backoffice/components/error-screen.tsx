import { LoadFailed } from '../../ui/screen-states.js';
import { useI18n } from '../i18n.js';

/** The failed state of a screen, in this app's words. */
export function ErrorScreen({ retry }: { retry?: () => void }) {
  const { t } = useI18n();
  return <LoadFailed message={t('app.error')} retryLabel={t('app.retry')} retry={retry} />;
}
