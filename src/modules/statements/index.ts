/** The door of statements: what other capabilities may use. The rest of this folder is its own. */
export { csvCell, STATEMENT_CSS_HASH, statementCsv, statementHtml } from './exports.js';
export { renderStatementPdf } from './pdf.js';
export { fileResponse, StatementQuery, StatementResponse } from './schemas.js';
export { type PeriodQuery, presentStatement, resolvePeriod, statementFor } from './service.js';
