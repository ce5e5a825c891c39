import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';

/**
 * The translation machinery both web apps share. Each app has its own catalogues (English complete, other
 * languages translating the same keys); `createI18n` binds a provider and a hook to them, typed by the English
 * catalogue's keys. English is bundled; other languages are loaded when a locale needs them, so they cost the
 * first load nothing. The locale itself lives in one shared context, so shared components (Money…) format in the
 * organization's locale whichever app renders them.
 */

type Values = Record<string, string | number>;

/**
 * A translate function. `t.plural(base, count, values)` picks the catalogue's `base.one`, `base.other` (and in
 * languages that have them `base.few`, `base.many`…) by `Intl.PluralRules` for the locale, so "1 review" and
 * "2 reviews" each read right — and French's "0 avis", "1,5" follow French rules. `{count}` is formatted.
 */
export type TranslateOf<Key extends string> = ((key: Key, values?: Values) => string) & {
  plural: (base: PluralBase<Key>, count: number, values?: Values) => string;
};

/** The keys that have plural forms: `reviews.summary` when the catalogue has `reviews.summary.other`. */
export type PluralBase<Key extends string> = Key extends `${infer Base}.other` ? Base : never;

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

  function translator(catalogue: Catalogue<Key>, locale: string): Translate {
    const t = (key: Key, values?: Values) => {
      const text: string = catalogue[key] ?? english[key];
      return values ? text.replace(/\{(\w+)\}/g, (all, name: string) => String(values[name] ?? all)) : text;
    };
    const rules = new Intl.PluralRules(locale);
    const numbers = new Intl.NumberFormat(locale);
    const plural = (base: PluralBase<Key>, count: number, values: Values = {}) => {
      const form = `${base}.${rules.select(count)}` as Key;
      const key = form in catalogue ? form : (`${base}.other` as Key);
      return t(key, { ...values, count: numbers.format(count) });
    };
    return Object.assign(t, { plural });
  }

  const I18nContext = createContext<{ locale: string; t: Translate }>({
    locale: 'en',
    t: translator(english, 'en'),
  });

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
    const value = useMemo(() => ({ locale, t: translator(catalogue ?? english, locale) }), [locale, catalogue]);
    // The page says which language it is in, for screen readers, hyphenation and the right CJK glyphs.
    const shown = catalogue === loaded[language] ? language : 'en';
    useEffect(() => {
      if (typeof document !== 'undefined') document.documentElement.lang = shown;
    }, [shown]);
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
