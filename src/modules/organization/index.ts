/** The door of organization: what other capabilities may use. The rest of this folder is its own. */
export { createOrganization, SLUG_PATTERN } from './service.js';
export { organizationToday } from './today.js';
