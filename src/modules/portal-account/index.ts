/** The door of portal-account: what other capabilities may use. The rest of this folder is its own. */
export { Account } from './schemas.js';
export { getAccount } from './service.js';
