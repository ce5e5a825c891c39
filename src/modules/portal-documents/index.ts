/** The door of portal-documents: what other capabilities may use. The rest of this folder is its own. */
export { markViewed } from './service.js';
