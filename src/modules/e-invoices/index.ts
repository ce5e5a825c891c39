/** The door of e-invoices: what other capabilities may use. The rest of this folder is its own. */

export type { EInvoiceFormat } from './render.js';
export { EInvoiceQuery, EInvoiceResponse } from './schemas.js';
export { checkEInvoice, eInvoiceAttachmentFormat, eInvoiceFile } from './service.js';
