import { LoadingBars } from '../../ui/screen-states.js';
import { useI18n } from '../i18n.js';

/** The loading state of a screen, in this app's words. */
export function Skeleton() {
  const { t } = useI18n();
  return <LoadingBars label={t('app.loading')} />;
}
