/** The door of documents: what other capabilities may use. The rest of this folder is its own. */
export { byBusiness, byClient, bySystem, changeDocument, type DocumentKind, lockDocument } from './change.js';
export { type MoneyHistoryEntry, writeMoneyHistory } from './history.js';
export {
  byIssueDate,
  documentHeadJson,
  type FilterArgs,
  foundDocuments,
  listFilters,
  organizationOf,
  withListFilters,
} from './list.js';
export { flagOf, givenFields } from './patch.js';
export { type PdfDocumentKind, renderDocumentPdf, renderPaymentReceiptPdf } from './pdf.js';
export {
  LIVE_ATTEMPT_STATUSES,
  PendingPayment,
  PortalPendingPayment,
  pendingPaymentsOn,
  presentForClient,
} from './pending-payments.js';
export { CustomerSummary, Discount, pricingInputFields, pricingOutputFields, TaxAmount } from './schemas.js';
export { emailSentDocument, recordSentAgain, sentDescription, sentDocumentRecipients } from './send-by-email.js';
export {
  customerForDocument,
  defaultTerms,
  deleteLines,
  documentFigures,
  documentSettings,
  insertLines,
  type LineRow,
  type LineSource,
  linesFromRows,
  linesOf,
  type PricingTerms,
  presentPricing,
  priceDocument,
  replaceLines,
  resolveLines,
  type TotalsColumns,
  termsFrom,
  termsFromRow,
} from './service.js';
export { visibleToCustomer } from './visibility.js';
