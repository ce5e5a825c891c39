/** The door of payments: what other capabilities may use. The rest of this folder is its own. */

export { PaymentModeSchema } from './schemas.js';
export { writeReceivedPayment } from './service.js';
