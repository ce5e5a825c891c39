/** The door of webhooks: what other capabilities may use. The rest of this folder is its own. */
export { deliverDueWebhooks } from './delivery.js';
export { queueAuditEvent, queueHistoryEvent } from './events.js';
