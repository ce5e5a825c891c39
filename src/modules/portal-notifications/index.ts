/** The door of portal-notifications: what other capabilities may use. The rest of this folder is its own. */
export { notifyClientOfAutopayFailure } from './autopay-failed.js';
export { emailCustomerOfBusinessReply } from './business-reply.js';
export { notifyBusinessOfPortalActivity } from './service.js';
