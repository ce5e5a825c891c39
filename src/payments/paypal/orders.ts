import type { Order, OrdersCapture } from '@paypal/paypal-server-sdk';
import { digitsToMinor, exponentOf, minorToPlainDecimal } from '../../domain/currencies.js';
import type { GatewayFailure, GatewayPayment, PaymentStatus } from '../gateway.js';

/**
 * PayPal's Orders v2 in our words. A payment is an order with intent CAPTURE: created by Portico, approved by the
 * payer on PayPal's page, then captured by Portico (the capture is the money). The order's id is the attempt's
 * `gatewayPaymentId`; its purchase unit carries our reference.
 */

/** PayPal's amount spelling ("12.34", "1234" for JPY): the currency's own decimals. Null for a currency Portico does not know. */
export function paypalValue(minor: number, currency: string): string | null {
  const exponent = exponentOf(currency);
  return exponent === undefined ? null : minorToPlainDecimal(minor, exponent);
}

/** PayPal's amount back into minor units; null when it is not one of the currency's amounts. */
export function minorOfPayPal(value: string | undefined, currency: string | undefined): number | null {
  const exponent = currency ? exponentOf(currency) : undefined;
  const match = /^(\d{1,15})(?:\.(\d{1,3}))?$/.exec(value ?? '');
  if (exponent === undefined || !match) return null;
  const minor = digitsToMinor(match[1] ?? '', match[2] ?? '', exponent);
  return minor === null ? null : Number(minor);
}

/**
 * The purchase unit's `custom_id`: the organization and our reference. PayPal echoes it on the order, on each
 * capture and on each refund (and so in every webhook event), which is how an event finds its attempt.
 */
export const customIdOf = (organizationId: string, reference: string): string => `${organizationId}/${reference}`;

export function fromCustomId(customId: string | undefined): { organizationId: string; reference: string } | null {
  const [organizationId, reference, ...rest] = (customId ?? '').split('/');
  return organizationId && reference && rest.length === 0 ? { organizationId, reference } : null;
}

/** The link PayPal's payer follows to approve the order. */
export const approvalLinkOf = (order: Pick<Order, 'links'>): string | undefined =>
  order.links?.find((link) => link.rel === 'payer-action' || link.rel === 'approve')?.href;

function captureOutcome(capture: OrdersCapture): { status: PaymentStatus; failure?: GatewayFailure } {
  switch (capture.status as string | undefined) {
    case 'COMPLETED':
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED':
      return { status: 'succeeded' };
    case 'PENDING':
      // PayPal holds the money for review (an eCheck, a payment under review): it comes, or is denied, later.
      return { status: 'processing' };
    default:
      return {
        status: 'failed',
        failure: {
          code: 'card_declined',
          message: `PayPal did not take the payment (${capture.status ?? 'unknown'}).`,
        },
      };
  }
}

/** An order as PayPal reports it, in our words. An approved order is `requires_action` until it is captured. */
export function paymentOfOrder(order: Order): GatewayPayment {
  const unit = order.purchaseUnits?.[0];
  const currency = unit?.amount?.currencyCode ?? '';
  const capture = unit?.payments?.captures?.[0];
  const refunded = (unit?.payments?.refunds ?? [])
    .filter((refund) => (refund.status as string | undefined) === 'COMPLETED')
    .reduce((sum, refund) => sum + (minorOfPayPal(refund.amount?.value, currency) ?? 0), 0);
  const base = {
    gatewayPaymentId: order.id ?? null,
    reference: unit?.referenceId ?? fromCustomId(unit?.customId)?.reference ?? null,
    amount: minorOfPayPal(unit?.amount?.value, currency) ?? 0,
    currency,
    amountRefunded: refunded,
  };
  if (capture) return { ...base, ...captureOutcome(capture) };
  if ((order.status as string | undefined) === 'VOIDED') {
    return {
      ...base,
      status: 'failed',
      failure: { code: 'checkout_cancelled', message: 'The PayPal order was voided.' },
    };
  }
  const redirectUrl = approvalLinkOf(order);
  return { ...base, status: 'requires_action', ...(redirectUrl ? { redirectUrl } : {}) };
}
