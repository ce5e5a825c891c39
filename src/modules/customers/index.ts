/** The door of customers: what other capabilities may use. The rest of this folder is its own. */
export { readCustomerBalance } from './balance.js';
export { contactName, contactNameSql } from './contact-name.js';
export { contactEmailLocale, contactLanguage } from './language.js';
export { ContactPerson, ContactPersonParams, CustomerBalance } from './schemas.js';
export { getCustomer } from './service.js';
