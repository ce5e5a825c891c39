/** The door of quote-requests: what other capabilities may use. The rest of this folder is its own. */
export { answerQuoteRequest, quoteRequestOfEstimate } from './service.js';
