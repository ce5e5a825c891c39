/** The door of projects: what other capabilities may use. The rest of this folder is its own. */
export { type QueryThreadItem, queryThreads } from './approval.js';
export { hoursOfMinutes } from './hours.js';
export { BillingMethod, ProjectStatus, TimeApprovalStatus, TimeEntryStatus } from './schemas.js';
export { lockProject } from './service.js';
