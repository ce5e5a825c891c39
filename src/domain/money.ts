/**
 * Money: integer minor units of an ISO 4217 currency (cents for USD, yen for JPY, fils for KWD).
 *
 * A JS number holds the amount because every amount that leaves or enters the API is one; it must be a
 * safe integer, and all arithmetic that multiplies or rounds goes through BigInt (see decimal.ts).
 */
import { currencyCodes, digitsToMinor, exponentOf, minorToPlainDecimal } from './currencies.js';
import { invalid } from './errors.js';

/** Every currency code Portico accepts, sorted. */
export const supportedCurrencies = currencyCodes;

/** Number of decimals of the currency's minor unit (the table in currencies.ts); unknown codes are a validation error. */
export function currencyExponent(currency: string, path = '/currency'): number {
  const exponent = exponentOf(currency);
  if (exponent === undefined) throw invalid(path, `Unknown currency code "${currency}".`);
  return exponent;
}

/** Throws unless `value` is a safe integer — the only shape an amount may have. */
export function assertMinorUnits(value: unknown, path = '/amount'): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalid(path, 'Must be a whole number of minor units (e.g. cents).');
  }
}

/** A BigInt result back into a number, refusing amounts too large to stay exact. */
export function toMinorUnits(value: bigint, path: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw invalid(path, 'Amount is too large.');
  }
  return Number(value);
}

const MONEY_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Reads an amount in minor units: a number must already be minor units (an integer); a string is the
 * major-unit spelling ("12.34" USD → 1234, "1.234" KWD → 1234, "500" JPY → 500) with no more decimals
 * than the currency has. Negative amounts pass; callers that need ≥ 0 check the sign.
 */
export function parseMoney(input: string | number, currency: string, path = '/amount'): number {
  const exponent = currencyExponent(currency);
  if (typeof input === 'number') {
    assertMinorUnits(input, path);
    return input;
  }
  const match = MONEY_PATTERN.exec(input);
  if (!match || input.length > 32) {
    throw invalid(path, 'Must be an amount like "12.34".');
  }
  const [, sign = '', whole = '', fraction = ''] = match;
  const minor = digitsToMinor(whole, fraction, exponent);
  if (minor === null) throw invalid(path, `${currency} amounts have at most ${exponent} decimal places.`);
  return toMinorUnits(sign === '-' ? -minor : minor, path);
}

/**
 * The amount in major units with a plain point and no grouping or symbol ("1234.56", "-0.05",
 * "1234" for JPY, "1.234" for KWD) — for CSV, PDFs and e-invoices, where locale formatting would hurt.
 */
export function formatMoneyPlain(minor: number, currency: string): string {
  assertMinorUnits(minor);
  return minorToPlainDecimal(minor, currencyExponent(currency));
}
