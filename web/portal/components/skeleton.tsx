import { useI18n } from '../../ui/i18n.js';
import { LoadingBars } from '../../ui/screen-states.js';

/** The loading state of a screen, in this app's words. */
export function Skeleton() {
  const { t } = useI18n();
  return <LoadingBars label={t('app.loading')} />;
}
