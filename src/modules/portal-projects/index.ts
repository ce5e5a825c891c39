/** The door of portal-projects: what other capabilities may use. The rest of this folder is its own. */
export { findPortalProject } from './service.js';
