/**
 * Money and dates for people, through Intl in the organization's locale. Amounts arrive as integer minor units;
 * they are turned into an exact decimal string (never a float) before Intl formats them. A currency's number of
 * decimals comes from the one table the server uses too (`src/domain/currencies.ts`), never from Intl: Intl's data
 * drops the decimals of HUF, IDR, IQD and others, and an amount typed here would reach the server ×100 off.
 */
import { digitsToMinor, exponentOf, minorToPlainDecimal } from '../../src/domain/currencies.js';

/**
 * How many decimals a currency has (JPY 0, USD 2, KWD 3), as the server counts them. A code outside the table gets
 * 2, as Intl would: the server refuses such codes, so no amount in one ever reaches the web apps.
 */
export function fractionDigitsOf(currency: string): number {
  return exponentOf(currency) ?? 2;
}

/** 123456 minor units of USD → "1234.56" (exact). */
export function minorToDecimal(minor: number, currency: string): string {
  return minorToPlainDecimal(minor, fractionDigitsOf(currency));
}

/** "$1,234.56", "¥1,235", "KWD 1.235" — in the locale given, always with the currency's own number of decimals. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = fractionDigitsOf(currency);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Intl formats decimal strings exactly; the cast is for TypeScript's older signature.
  return format.format(minorToDecimal(minor, currency) as unknown as number);
}

/** "2026-03-15" → "15 Mar 2026" (or the locale's way), without moving the date across time zones. */
export function formatDate(date: string | null | undefined, locale: string): string {
  if (!date) return '';
  const [year, month, day] = date.split('-').map(Number);
  if (!year || !month || !day) return date;
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

/**
 * A user-facing decimal amount ("12.5", "12,5") → minor units, or null when it is not a valid amount for the
 * currency: a sign, more decimals than the currency has, or an amount too large to stay exact.
 */
export function decimalToMinor(text: string, currency: string): number | null {
  // The length bound only keeps BigInt small; whether the amount stays exact is checked below.
  const match = /^\s*(\d{1,16})(?:[.,](\d*))?\s*$/.exec(text);
  if (!match) return null;
  const minor = digitsToMinor(match[1] ?? '', match[2] ?? '', fractionDigitsOf(currency));
  if (minor === null || minor > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(minor);
}
