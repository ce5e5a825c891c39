/** The door of retainer-invoices: what other capabilities may use. The rest of this folder is its own. */
export { lockRetainerInvoice, recomputeRetainerMoney } from './service.js';
