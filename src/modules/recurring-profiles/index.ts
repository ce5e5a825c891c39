/** The door of recurring-profiles: what other capabilities may use. The rest of this folder is its own. */
export { AUTOPAY_OFF, autopaySummaries } from './autopay-summary.js';
export { AutopayState, CardOnFile, Frequency } from './schemas.js';
export { isPastEnd, type RecurringProfileRow, ruleOf, type Template } from './service.js';
