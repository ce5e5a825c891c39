/** The door of customers: what other capabilities may use. The rest of this folder is its own. */
export { contactName, contactNameSql } from './contact-name.js';
export { ContactPerson, ContactPersonParams } from './schemas.js';
export { getCustomer } from './service.js';
