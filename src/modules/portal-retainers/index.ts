/** The door of portal-retainers: what other capabilities may use. The rest of this folder is its own. */
export { PortalRetainerStatus } from './schemas.js';
export { UNPAID_RETAINER_STATUSES } from './service.js';
