/** The door of invoices: what other capabilities may use. The rest of this folder is its own. */
export { latestToday, markOverdueInvoices } from './jobs.js';
export { recomputeInvoiceMoney } from './money.js';
export { Invoice } from './schemas.js';
export { getInvoice, type InvoiceDetail, insertInvoice, sendInvoice } from './service.js';
