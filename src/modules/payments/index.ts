/** The door of payments: what other capabilities may use. The rest of this folder is its own. */
export { writeReceivedPayment } from './service.js';
