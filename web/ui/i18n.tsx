import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { en, type MessageKey } from './messages/en.js';
import { fr } from './messages/fr.js';

/** The languages the portal speaks; the organization's locale picks one, English when it is none of them. */
const catalogues: Record<string, Record<MessageKey, string>> = { en, fr };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  locale: string;
  t: Translate;
}

function translator(locale: string): Translate {
  const catalogue = catalogues[locale.split('-')[0]?.toLowerCase() ?? 'en'] ?? en;
  return (key, values) => {
    const text: string = catalogue[key] ?? en[key];
    return values ? text.replace(/\{(\w+)\}/g, (all, name: string) => String(values[name] ?? all)) : text;
  };
}

const I18nContext = createContext<I18n>({ locale: 'en', t: translator('en') });

export function I18nProvider({ locale, children }: { locale: string; children: ReactNode }) {
  const value = useMemo(() => ({ locale, t: translator(locale) }), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = () => useContext(I18nContext);

/** The browser's language before the organization's is known (the sign-in screens). */
export const browserLocale = () => (typeof navigator === 'undefined' ? 'en' : navigator.language || 'en');
