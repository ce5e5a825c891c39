/** The door of portal-payments: what other capabilities may use. The rest of this folder is its own. */
export { appliedInvoicesOf } from './service.js';
