/** The door of payment-webhooks: what other capabilities may use. The rest of this folder is its own. */
export { installSandboxWebhookSink } from './service.js';
