import { createI18n } from '../ui/translate.js';
import { en, type MessageKey } from './messages/en.js';

/** The back office's languages: the organization's locale picks one, English when it is none of them. */
export const { I18nProvider, useI18n } = createI18n<MessageKey>(en, {
  fr: () => import('./messages/fr.js').then((m) => m.fr),
});
