import { useI18n } from '../../ui/i18n.js';
import { usePortal } from '../portal-context.js';

/** Decimal hours from the API ("1.5", "0.3333") in the organization's locale, exactly (never through a float). */
export function Hours({ hours }: { hours: string }) {
  const { locale } = usePortal();
  const format = new Intl.NumberFormat(locale, { minimumFractionDigits: 0, maximumFractionDigits: 2 });
  // Intl formats decimal strings exactly; the cast is for TypeScript's older signature.
  return <span className="money">{format.format(hours as unknown as number)}</span>;
}

/** A project's status as a pill with its word. */
export function ProjectStatus({ status }: { status: 'active' | 'inactive' }) {
  const { t } = useI18n();
  return <span className={`pill ${status === 'active' ? 'success' : 'muted'}`}>{t(`projects.status.${status}`)}</span>;
}
