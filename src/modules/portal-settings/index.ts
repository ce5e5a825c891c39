/** The door of portal-settings: what other capabilities may use. The rest of this folder is its own. */
export { loadPortalSettings, portalUrlOf } from './settings.js';
