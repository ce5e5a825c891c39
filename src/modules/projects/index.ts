/** The door of projects: what other capabilities may use. The rest of this folder is its own. */
export { hoursOfMinutes } from './hours.js';
export { BillingMethod, ProjectStatus, TimeEntryStatus } from './schemas.js';
