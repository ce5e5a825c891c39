import { en, type MessageKey } from './messages/en.js';
import { createI18n } from './translate.js';

/** The languages the portal speaks; the organization's locale picks one, English when it is none of them. */
export const { I18nProvider, useI18n } = createI18n<MessageKey>(en, {
  fr: () => import('./messages/fr.js').then((m) => m.fr),
});

export { browserLocale } from './translate.js';
