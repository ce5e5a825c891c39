/**
 * Every event an outgoing webhook endpoint may ask for (docs/webhooks.md). Imports nothing: the back office's
 * Settings → Webhooks offers the same list (Vite bundles this file into the web app as it is).
 */
export const WEBHOOK_EVENTS = [
  'estimate.sent',
  'estimate.viewed',
  'estimate.accepted',
  'estimate.declined',
  'estimate.changes_requested',
  'invoice.sent',
  'invoice.viewed',
  'invoice.paid',
  'invoice.overdue',
  'invoice.voided',
  'payment.recorded',
  'payment.deleted',
  'comment.created',
  'quote.requested',
  'portal_access.invited',
  'portal_access.accepted',
  'portal_access.disabled',
  'portal_access.enabled',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
