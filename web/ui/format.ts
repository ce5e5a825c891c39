/**
 * Money and dates for people, through Intl in the organization's locale. Amounts arrive as integer minor units;
 * they are turned into an exact decimal string (never a float) before Intl formats them.
 */

const fractionDigitsCache = new Map<string, number>();

/** How many decimals a currency has (JPY 0, USD 2, KWD 3), as Intl knows it. */
export function fractionDigitsOf(currency: string): number {
  let digits = fractionDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    fractionDigitsCache.set(currency, digits);
  }
  return digits;
}

/** 123456 minor units of USD → "1234.56" (exact). */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = fractionDigitsOf(currency);
  const negative = minor < 0;
  const whole = String(Math.abs(minor)).padStart(digits + 1, '0');
  const text = digits === 0 ? whole : `${whole.slice(0, -digits)}.${whole.slice(-digits)}`;
  return negative ? `-${text}` : text;
}

/** "$1,234.56", "¥1,235", "KWD 1.235" — in the locale given. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
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

/** A user-facing decimal amount ("12.5") → minor units, or null when it is not a valid amount for the currency. */
export function decimalToMinor(text: string, currency: string): number | null {
  const digits = fractionDigitsOf(currency);
  const match = /^\s*(\d{1,12})(?:[.,](\d*))?\s*$/.exec(text);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}
