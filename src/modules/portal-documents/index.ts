/** The door of portal-documents: what other capabilities may use. The rest of this folder is its own. */

export { documentParties } from './parties.js';
export { partyFields } from './schemas.js';
export { markViewed } from './service.js';
