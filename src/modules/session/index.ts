/** The door of session: what other capabilities may use. The rest of this folder is its own. */
export { Identity } from './schemas.js';
export { identityOf } from './service.js';
