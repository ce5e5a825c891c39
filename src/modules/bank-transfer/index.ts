/** The door of bank-transfer: what other capabilities may use. The rest of this folder is its own. */
export { CHANGE_WARNING_DAYS, invoiceBankTransfer, qrCodePng } from './for-invoice.js';
