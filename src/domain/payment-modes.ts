/** How a payment was received: what the business records by hand, and `card` for a gateway's payments. */
export const PAYMENT_MODES = ['cash', 'bank_transfer', 'check', 'card', 'other'] as const;

export type PaymentMode = (typeof PAYMENT_MODES)[number];

export const isPaymentMode = (value: unknown): value is PaymentMode =>
  typeof value === 'string' && (PAYMENT_MODES as readonly string[]).includes(value);
