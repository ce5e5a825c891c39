import type { paths } from '../../ui/api-types.js';
import { useI18n } from '../i18n.js';

/** What the recurring profile screens share: the profile's types, its schedule, status and autopay in words. */

export type RecurringProfileDetail =
  paths['/api/v1/recurring-profiles/{id}']['get']['responses'][200]['content']['application/json'];
export type Frequency = RecurringProfileDetail['frequency'];
type Autopay = RecurringProfileDetail['autopay'];

export const FREQUENCIES: Frequency[] = ['weekly', 'monthly', 'quarterly', 'yearly'];

/** The SWR key of one recurring profile (its detail with the invoices it generated). */
export const recurringProfileKey = (id: string) => ['recurring-profile', id] as const;

/** "Every month", "Every 2 weeks". */
export function useScheduleText() {
  const { t } = useI18n();
  return (profile: { frequency: Frequency; intervalCount: number }) =>
    profile.intervalCount === 1
      ? t(`recurring.every.${profile.frequency}`)
      : t(`recurring.everyN.${profile.frequency}`, { count: profile.intervalCount });
}

/** Active, paused or finished, as a pill with its word. */
export function RecurringStatusPill({ status }: { status: RecurringProfileDetail['status'] }) {
  const { t } = useI18n();
  const tone = status === 'active' ? 'success' : status === 'stopped' ? 'warning' : 'muted';
  return <span className={`pill ${tone}`}>{t(`recurring.status.${status}`)}</span>;
}

/** Autopay as the business reads it: off, waiting for the client's card, or on with the card's brand and end. */
export function useAutopayText() {
  const { t } = useI18n();
  return (autopay: Autopay) => {
    if (autopay.status !== 'on') return t(`recurring.autopay.${autopay.status}`);
    if (!autopay.card) return t('recurring.autopay.on');
    const { brand, last4, expMonth, expYear } = autopay.card;
    const expiry = `${String(expMonth).padStart(2, '0')}/${String(expYear % 100).padStart(2, '0')}`;
    const name = BRAND_NAMES[brand.toLowerCase()] ?? t('recurring.autopay.card');
    return t('recurring.autopay.onWith', { brand: name, last4, expiry });
  };
}

/** Card brands as people write them; any other is "Card", never the gateway's code. */
const BRAND_NAMES: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
};
