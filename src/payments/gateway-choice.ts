import type { GatewayErrorCode } from '../domain/payment-errors.js';

/** What one of the organization's gateways takes (PRODUCT.md §6), whatever its kind. */
export interface GatewayCapabilities {
  /** ISO 4217 codes; null: every currency. */
  currencies: string[] | null;
  /** Minor units of the payment's currency. */
  minimumAmount: number;
  /** Saves cards for later charges (reference transactions). */
  referenceTransactions: boolean;
  /** Charges saved cards automatically for recurring profiles. */
  recurring: boolean;
}

/**
 * The kind of payment: a one-off payment on the gateway's page; one that also saves the card for later
 * (`reference`); or a card saved, or charged, for a recurring profile's automatic payments (`recurring`).
 */
export type PaymentUse = 'one_off' | 'reference' | 'recurring';

export interface PaymentNeed {
  currency: string;
  /** Minor units; null when no amount is charged yet (a card saved for later). */
  amount: number | null;
  use: PaymentUse;
}

/**
 * Pay Now's choice among the organization's gateways: the first (in their order) that takes the currency, the kind of
 * payment and the amount. When none does, the refusal says what the whole set lacks, in that order: nothing takes
 * the currency (CP4003); nothing that takes it saves cards (CP3001) or charges them automatically (CP4002);
 * the amount is below the minimum of every gateway left (CP4001).
 */
export function chooseGateway<G extends GatewayCapabilities>(
  gateways: readonly G[],
  need: PaymentNeed,
): { gateway: G } | { refusal: GatewayErrorCode } {
  const currency = need.currency.toUpperCase();
  const takesCurrency = gateways.filter((g) => g.currencies === null || g.currencies.includes(currency));
  if (takesCurrency.length === 0) return { refusal: 'CP4003' };
  const takesUse = takesCurrency.filter((g) => {
    if (need.use === 'one_off') return true;
    if (need.use === 'reference') return g.referenceTransactions;
    return g.referenceTransactions && g.recurring;
  });
  if (takesUse.length === 0) {
    const saves = takesCurrency.some((g) => g.referenceTransactions);
    return { refusal: need.use === 'recurring' && saves ? 'CP4002' : 'CP3001' };
  }
  const amount = need.amount;
  const takesAmount = amount === null ? takesUse : takesUse.filter((g) => amount >= g.minimumAmount);
  const [first] = takesAmount;
  return first ? { gateway: first } : { refusal: 'CP4001' };
}
