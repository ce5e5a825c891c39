/**
 * The payment error codes of PRODUCT.md §6: when a portal payment cannot go through, the client sees a plain
 * sentence with the code, and the business sees what went wrong and what to do about it.
 *
 * CP1xxx/CP2001 are Portico-side checks made by the payment flow before any gateway call; CP3xxx/CP4xxx are
 * reported by the gateway (src/payments/gateway.ts) as structured failures.
 */
export const PAYMENT_ERROR_CODES = [
  'CP1003',
  'CP1004',
  'CP2001',
  'CP3001',
  'CP3002',
  'CP3003',
  'CP3004',
  'CP3005',
  'CP4001',
  'CP4002',
  'CP4003',
] as const;

export type PaymentErrorCode = (typeof PAYMENT_ERROR_CODES)[number];

/** The codes a gateway may report; the others come from Portico's own checks. */
export type GatewayErrorCode = Extract<PaymentErrorCode, `CP3${string}` | `CP4${string}`>;

export interface PaymentErrorEntry {
  code: PaymentErrorCode;
  /** Who detects it: Portico before calling the gateway, or the gateway. */
  source: 'portico' | 'gateway';
  /** Shown to the client in the portal, with the code; says nothing about the merchant's setup. */
  clientMessage: string;
  /** Shown to the business: what went wrong (PRODUCT.md §6). */
  whatWentWrong: string;
  /** Shown to the business: what it can do (PRODUCT.md §6). */
  whatToDo: string;
}

const CLIENT_CONTACT = 'Please contact the business, or try again later.';

export const PAYMENT_ERRORS: Readonly<Record<PaymentErrorCode, PaymentErrorEntry>> = {
  CP1003: {
    code: 'CP1003',
    source: 'portico',
    clientMessage: `This payment cannot be made because the customer record it belongs to no longer exists. ${CLIENT_CONTACT}`,
    whatWentWrong: 'The portal or payment is tied to a customer that was deleted.',
    whatToDo: 'Verify that the customer still exists.',
  },
  CP1004: {
    code: 'CP1004',
    source: 'portico',
    clientMessage: `This payment cannot be made because the recurring profile it belongs to no longer exists. ${CLIENT_CONTACT}`,
    whatWentWrong: 'The payment is tied to a recurring profile that was deleted.',
    whatToDo: 'Verify that the recurring profile still exists.',
  },
  CP2001: {
    code: 'CP2001',
    source: 'portico',
    clientMessage: `Online payments are not fully set up for this business yet. ${CLIENT_CONTACT}`,
    whatWentWrong: 'The organization has no default tax set up.',
    whatToDo: 'Create a default tax.',
  },
  CP3001: {
    code: 'CP3001',
    source: 'gateway',
    clientMessage: `Paying with a saved card is not available for this business. ${CLIENT_CONTACT}`,
    whatWentWrong: 'Reference transactions are not enabled in the merchant account.',
    whatToDo: 'Enable reference transactions at the payment gateway.',
  },
  CP3002: {
    code: 'CP3002',
    source: 'gateway',
    clientMessage: `Online payments are temporarily unavailable for this business. ${CLIENT_CONTACT}`,
    whatWentWrong: 'The payment gateway credentials are invalid, or the merchant account changed.',
    whatToDo: 'Re-enter the payment gateway credentials.',
  },
  CP3003: {
    code: 'CP3003',
    source: 'gateway',
    clientMessage: 'The payment was declined. Please use another card or contact the business.',
    whatWentWrong: "The payment was declined by the merchant account's fraud filters.",
    whatToDo: 'Check the transaction at the gateway, and moderate the fraud filters if it was legitimate.',
  },
  CP3004: {
    code: 'CP3004',
    source: 'gateway',
    clientMessage:
      'The card could not be verified against your billing address. Please check the address and try again.',
    whatWentWrong: "The payment gateway could not verify the customer's address.",
    whatToDo: 'Configure the address fields required for card verification.',
  },
  CP3005: {
    code: 'CP3005',
    source: 'gateway',
    clientMessage:
      'A payment of the same amount with the same card was made a few minutes ago. Please try again in a few minutes.',
    whatWentWrong: 'A payment of the same amount with the same card was made within a few minutes of a previous one.',
    whatToDo: 'Ask the client to retry in a few minutes.',
  },
  CP4001: {
    code: 'CP4001',
    source: 'gateway',
    clientMessage: `The amount is below the minimum this business can accept online. ${CLIENT_CONTACT}`,
    whatWentWrong: "The amount is below the payment gateway's minimum (often after discounts or credits).",
    whatToDo: 'Keep the amount above the gateway minimum.',
  },
  CP4002: {
    code: 'CP4002',
    source: 'gateway',
    clientMessage: `Automatic payments are not available for this business. ${CLIENT_CONTACT}`,
    whatWentWrong: 'The payment gateway does not support recurring payments.',
    whatToDo: 'Use a payment gateway that supports recurring payments.',
  },
  CP4003: {
    code: 'CP4003',
    source: 'gateway',
    clientMessage: `Online payments in this currency are not available for this business. ${CLIENT_CONTACT}`,
    whatWentWrong: 'No configured payment gateway supports the transaction currency.',
    whatToDo: 'Configure a payment gateway that supports the currency.',
  },
};

export function isPaymentErrorCode(code: string): code is PaymentErrorCode {
  return (PAYMENT_ERROR_CODES as readonly string[]).includes(code);
}

/** The catalogue entry of a CP code; undefined for card-level decline codes (`card_declined`, …). */
export function paymentErrorOf(code: string): PaymentErrorEntry | undefined {
  return isPaymentErrorCode(code) ? PAYMENT_ERRORS[code] : undefined;
}

/**
 * Card-level outcomes: not the merchant's setup but the client's card. The client sees these sentences; the
 * business needs to do nothing but may see the code.
 */
export const CARD_DECLINE_MESSAGES: Readonly<Record<string, string>> = {
  card_declined: 'The card was declined. Please use another card.',
  insufficient_funds: 'The card has insufficient funds. Please use another card.',
  incorrect_cvc: "The card's security code is incorrect.",
  expired_card: 'The card has expired. Please use another card.',
  invalid_number: 'The card number is not valid.',
  invalid_expiry: "The card's expiry date is not valid.",
  invalid_cvc: "The card's security code is not valid.",
  authentication_failed: 'The card could not be authenticated. Please try again or use another card.',
  authentication_required: 'The card needs you to confirm the payment. Please pay online to confirm it.',
  checkout_expired: 'The payment page expired before the card was entered. Please start again.',
  checkout_cancelled: 'The payment was cancelled on the payment page; nothing was charged. You can pay again.',
  processing_error: 'The payment could not be processed. Please try again.',
};

/** The sentence for the client, whatever the failure code. */
export function clientMessageOf(code: string): string {
  return paymentErrorOf(code)?.clientMessage ?? CARD_DECLINE_MESSAGES[code] ?? 'The payment could not be completed.';
}
