import { contactLocale, type Language, languageOfLocale } from '../domain/languages.js';
import { currencyExponent, formatMoneyPlain } from '../domain/money.js';
import { de } from './messages/de.js';
import { en, type ServerMessageKey } from './messages/en.js';
import { es } from './messages/es.js';
import { fr } from './messages/fr.js';
import { ja } from './messages/ja.js';

/**
 * The words and formats of one reader: an e-mail's recipient, a PDF's reader. `wordsFor("de-AT")` translates
 * the server's keys into German and formats dates and amounts the Austrian way, through Intl.
 *
 * English keeps the forms Portico always printed — ISO dates on PDFs ("2026-03-15"), "15 March 2026" in
 * e-mails, amounts with a point and commas ("USD 1,234.56") — because English is read in countries that order
 * day and month oppositely; every other language follows its locale ("15.03.2026", "USD 1.234,56").
 */
export const SERVER_CATALOGUES: Record<Language, Record<ServerMessageKey, string>> = { en, fr, de, es, ja };

export type { ServerMessageKey };

type Values = Record<string, string | number>;

export interface Words {
  language: Language;
  locale: string;
  t: (key: ServerMessageKey, values?: Values) => string;
  /** A calendar date as PDFs print it: "2026-03-15" in English, "15.03.2026" in German. */
  date: (isoDate: string) => string;
  /** A calendar date in running text: "15 March 2026", "15. März 2026". */
  longDate: (isoDate: string) => string;
  /** An amount without its currency, in the currency's own decimals: "1,234.56", "1.234,56", "120,000". */
  amount: (minor: number, currency: string) => string;
  /** An amount with its currency code in front: "USD 1,234.56", "EUR 1.234,56". */
  money: (minor: number, currency: string) => string;
}

/** A locale Intl knows, or the language alone ("xx-YY" that Intl refuses falls back to "xx", then English). */
function usableLocale(locale: string, language: Language): string {
  for (const candidate of [locale, language]) {
    try {
      if (Intl.DateTimeFormat.supportedLocalesOf(candidate).length > 0) return candidate;
    } catch {
      // not a well-formed tag: try the next
    }
  }
  return 'en';
}

const calendarDate = (isoDate: string) => new Date(`${isoDate.slice(0, 10)}T00:00:00.000Z`);

export function wordsFor(localeOrLanguage: string): Words {
  const language = languageOfLocale(localeOrLanguage);
  const locale = usableLocale(localeOrLanguage, language);
  const catalogue = SERVER_CATALOGUES[language];
  const t = (key: ServerMessageKey, values?: Values) => {
    const text: string = catalogue[key] ?? en[key];
    return values ? text.replace(/\{(\w+)\}/g, (all, name: string) => String(values[name] ?? all)) : text;
  };
  const english = language === 'en';
  const shortDates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const longDates = new Intl.DateTimeFormat(english ? 'en-GB' : locale, { dateStyle: 'long', timeZone: 'UTC' });
  const amount = (minor: number, currency: string) => {
    const digits = currencyExponent(currency);
    // The plain decimal string, so Intl formats the exact amount (never through a float).
    const plain = formatMoneyPlain(minor, currency) as `${number}`;
    return new Intl.NumberFormat(english ? 'en-US' : locale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(plain);
  };
  return {
    language,
    locale,
    t,
    date: (isoDate) => (english ? isoDate.slice(0, 10) : shortDates.format(calendarDate(isoDate))),
    longDate: (isoDate) => longDates.format(calendarDate(isoDate)),
    amount,
    money: (minor, currency) => `${currency} ${amount(minor, currency)}`,
  };
}

/** The words for a contact person: their language when they chose one, else their organization's locale. */
export function wordsForContact(language: string | null | undefined, organizationLocale: string | undefined): Words {
  return wordsFor(contactLocale(language, organizationLocale ?? 'en'));
}
