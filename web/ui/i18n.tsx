import { PORTAL_CATALOGUES } from './messages/catalogues.js';
import { en, type MessageKey } from './messages/en.js';
import { createI18n } from './translate.js';

/**
 * The languages the portal speaks: the signed-in contact's choice, else the organization's locale, English when
 * it is none of them (`contactLocale`, src/domain/languages.ts); before sign-in, the browser's language.
 */
export const { I18nProvider, useI18n } = createI18n<MessageKey>(en, PORTAL_CATALOGUES);

export { browserLocale } from './translate.js';
