/** The door of estimates: what other capabilities may use. The rest of this folder is its own. */
export { expireEstimates } from './jobs.js';
export { ESTIMATE } from './service.js';
