import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';

/**
 * The translation machinery both web apps share. Each app has its own catalogues (English complete, other
 * languages translating the same keys); `createI18n` binds a provider and a hook to them, typed by the English
 * catalogue's keys. English is bundled; other languages are loaded when a locale needs them, so they cost the
 * first load nothing. The locale itself lives in one shared context, so shared components (Money…) format in the
 * organization's locale whichever app renders them.
 */

export type TranslateOf<Key extends string> = (key: Key, values?: Record<string, string | number>) => string;

const LocaleContext = createContext('en');

/** The locale of the nearest I18nProvider (the organization's, once signed in). */
export const useLocale = () => useContext(LocaleContext);

type Catalogue<Key extends string> = Record<Key, string>;

export function createI18n<Key extends string>(
  english: Catalogue<Key>,
  others: Record<string, () => Promise<Catalogue<Key>>>,
) {
  type Translate = TranslateOf<Key>;
  const loaded: Record<string, Catalogue<Key>> = { en: english };
  const languageOf = (locale: string) => {
    const language = locale.split('-')[0]?.toLowerCase() ?? 'en';
    return language in others || language === 'en' ? language : 'en';
  };

  function translator(catalogue: Catalogue<Key>): Translate {
    return (key, values) => {
      const text: string = catalogue[key] ?? english[key];
      return values ? text.replace(/\{(\w+)\}/g, (all, name: string) => String(values[name] ?? all)) : text;
    };
  }

  const I18nContext = createContext<{ locale: string; t: Translate }>({ locale: 'en', t: translator(english) });

  // createI18n runs once per app, at module level (web/ui/i18n.tsx, web/backoffice/i18n.ts): one stable component.
  // biome-ignore lint/correctness/noComponentHookFactories: see above
  function I18nProvider({ locale, children }: { locale: string; children: ReactNode }) {
    const language = languageOf(locale);
    const [catalogue, setCatalogue] = useState<Catalogue<Key> | undefined>(loaded[language]);
    useEffect(() => {
      if (loaded[language]) return setCatalogue(loaded[language]);
      let current = true;
      const load = others[language];
      load?.()
        .then((result) => {
          loaded[language] = result;
          if (current) setCatalogue(result);
        })
        .catch(() => current && setCatalogue(english));
      return () => {
        current = false;
      };
    }, [language]);
    const value = useMemo(() => ({ locale, t: translator(catalogue ?? english) }), [locale, catalogue]);
    // Until another language's strings arrive (a few KB, once), render nothing rather than flash English.
    if (!catalogue) return null;
    return (
      <LocaleContext.Provider value={locale}>
        <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
      </LocaleContext.Provider>
    );
  }

  // biome-ignore lint/correctness/noComponentHookFactories: one stable hook per app, as above
  const useI18n = () => useContext(I18nContext);
  return { I18nProvider, useI18n };
}

/** The browser's language before the organization's is known (the sign-in screens). */
export const browserLocale = () => (typeof navigator === 'undefined' ? 'en' : navigator.language || 'en');
