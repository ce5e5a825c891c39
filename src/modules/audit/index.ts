/** The door of audit: what other capabilities may use. The rest of this folder is its own. */
export { recordAudit } from './service.js';
