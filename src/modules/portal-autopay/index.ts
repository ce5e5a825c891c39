/** The door of portal-autopay: what other capabilities may use. The rest of this folder is its own. */
export { chargeAutopayInvoices } from './charges.js';
export { completeAutopaySetupFromWebhook } from './service.js';
