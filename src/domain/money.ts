/**
 * Money: integer minor units of an ISO 4217 currency (cents for USD, yen for JPY, fils for KWD).
 *
 * A JS number holds the amount because every amount that leaves or enters the API is one; it must be a
 * safe integer, and all arithmetic that multiplies or rounds goes through BigInt (see decimal.ts).
 */
import { invalid } from './errors.js';

/** ISO 4217 codes by the number of decimals of their minor unit. */
const CURRENCIES_BY_EXPONENT: Readonly<Record<number, string>> = {
  // No minor unit in practice.
  0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
  2: `
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
    CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
    GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL
    MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK
    PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS
    TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG`,
  // Thousandths: dinars, rials and friends.
  3: 'BHD IQD JOD KWD LYD OMR TND',
  // Units of account quoted to four places.
  4: 'CLF UYW',
};

const EXPONENTS: ReadonlyMap<string, number> = new Map(
  Object.entries(CURRENCIES_BY_EXPONENT).flatMap(([exponent, codes]) =>
    codes
      .trim()
      .split(/\s+/)
      .map((code): [string, number] => [code, Number(exponent)]),
  ),
);

/** Every currency code Portico accepts, sorted. */
export const supportedCurrencies = (): string[] => [...EXPONENTS.keys()].sort();

/** Number of decimals of the currency's minor unit; unknown codes are a validation error. */
export function currencyExponent(currency: string, path = '/currency'): number {
  const exponent = EXPONENTS.get(currency);
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
  if (fraction.length > exponent) {
    throw invalid(path, `${currency} amounts have at most ${exponent} decimal places.`);
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, '0'));
  return toMinorUnits(sign === '-' ? -minor : minor, path);
}

/**
 * The amount in major units with a plain point and no grouping or symbol ("1234.56", "-0.05",
 * "1234" for JPY, "1.234" for KWD) — for CSV, PDFs and e-invoices, where locale formatting would hurt.
 */
export function formatMoneyPlain(minor: number, currency: string): string {
  assertMinorUnits(minor);
  const exponent = currencyExponent(currency);
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  const sign = minor < 0 ? '-' : '';
  return exponent === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}
