import type { GatewayEvent, GatewayEventType, GatewayFailure, PaymentStatus } from '../gateway.js';
import { fromCustomId, minorOfPayPal } from './orders.js';

/**
 * PayPal's webhook events in our words. PayPal sends the order's events (CHECKOUT.ORDER.APPROVED: the payer
 * approved, Portico must capture) and the capture's (PAYMENT.CAPTURE.COMPLETED / PENDING / DENIED / DECLINED /
 * REFUNDED); each resource carries our `custom_id` (organization/reference), and a capture names its order in
 * `supplementary_data.related_ids.order_id`, the id the attempt keeps.
 */

// biome-ignore lint/suspicious/noExplicitAny: a webhook event is open-ended JSON, read field by field
type Json = Record<string, any>;

/** The headers PayPal signs a delivery with; verified by PayPal itself (verify-webhook-signature). */
export const TRANSMISSION_HEADERS = {
  authAlgo: 'paypal-auth-algo',
  certUrl: 'paypal-cert-url',
  transmissionId: 'paypal-transmission-id',
  transmissionSig: 'paypal-transmission-sig',
  transmissionTime: 'paypal-transmission-time',
} as const;

const CAPTURE_EVENTS: Record<string, { type: GatewayEventType; status: PaymentStatus; failure?: GatewayFailure }> = {
  'PAYMENT.CAPTURE.COMPLETED': { type: 'payment.succeeded', status: 'succeeded' },
  'PAYMENT.CAPTURE.PENDING': { type: 'payment.processing', status: 'processing' },
  'PAYMENT.CAPTURE.DENIED': {
    type: 'payment.failed',
    status: 'failed',
    failure: { code: 'card_declined', message: 'PayPal denied the payment after holding it.' },
  },
  'PAYMENT.CAPTURE.DECLINED': {
    type: 'payment.failed',
    status: 'failed',
    failure: { code: 'card_declined', message: 'PayPal declined the payment.' },
  },
  'PAYMENT.CAPTURE.REFUNDED': { type: 'payment.refunded', status: 'succeeded' },
};

/** A verified event body in our words (throws nothing: what it cannot read is `other`, and so left alone). */
export function eventOfPayPal(event: Json): GatewayEvent {
  const resource: Json = typeof event.resource === 'object' && event.resource !== null ? event.resource : {};
  const gatewayType = String(event.event_type ?? '');
  const base = {
    id: String(event.id ?? ''),
    gatewayType,
    createdAt: typeof event.create_time === 'string' ? event.create_time : new Date(0).toISOString(),
  };
  const other: GatewayEvent = {
    ...base,
    type: 'other',
    organizationId: null,
    reference: null,
    gatewayPaymentId: null,
    amount: null,
    currency: null,
    status: null,
  };
  if (gatewayType === 'CHECKOUT.ORDER.APPROVED') {
    const unit: Json = resource.purchase_units?.[0] ?? {};
    const ours = fromCustomId(unit.custom_id);
    if (!ours) return other;
    return {
      ...base,
      type: 'payment.approved',
      organizationId: ours.organizationId,
      reference: ours.reference,
      gatewayPaymentId: typeof resource.id === 'string' ? resource.id : null,
      amount: minorOfPayPal(unit.amount?.value, unit.amount?.currency_code),
      currency: unit.amount?.currency_code ?? null,
      status: 'requires_action',
    };
  }
  const outcome = CAPTURE_EVENTS[gatewayType];
  const ours = fromCustomId(resource.custom_id);
  if (!outcome || !ours) return other;
  const orderId = resource.supplementary_data?.related_ids?.order_id;
  const amount = minorOfPayPal(resource.amount?.value, resource.amount?.currency_code);
  return {
    ...base,
    ...outcome,
    organizationId: ours.organizationId,
    reference: ours.reference,
    gatewayPaymentId: typeof orderId === 'string' ? orderId : null,
    amount,
    currency: resource.amount?.currency_code ?? null,
    // A refund's resource is the refund: its amount is what went back.
    ...(outcome.type === 'payment.refunded' && amount !== null ? { amountRefunded: amount } : {}),
  };
}
