/**
 * The languages Portico speaks to a client (issue 19): the portal, the e-mails and the PDFs. A contact person may
 * choose one (`contact_persons.language`); without a choice they follow their organization's locale ("fr-CA" →
 * French), and English when that is none of these. Adding a language: docs/languages.md.
 */
export const LANGUAGES = ['en', 'fr', 'de', 'es', 'ja'] as const;

export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, as a language picker shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  fr: 'Français',
  de: 'Deutsch',
  es: 'Español',
  ja: '日本語',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language of a locale ("fr-CA" → "fr"), English when Portico does not speak it. */
export function languageOfLocale(locale: string | null | undefined): Language {
  const language = (locale ?? '').split('-')[0]?.toLowerCase();
  return isLanguage(language) ? language : 'en';
}

/**
 * The locale a contact person is written to in: their chosen language when they chose one — with the
 * organization's region when it speaks the same language ("fr" in an "fr-CA" organization stays "fr-CA") — else
 * the organization's locale.
 */
export function contactLocale(language: string | null | undefined, organizationLocale: string): string {
  if (!isLanguage(language)) return organizationLocale;
  return languageOfLocale(organizationLocale) === language ? organizationLocale : language;
}
