/**
 * The one table of currencies and how their amounts are written, shared by the server (`money.ts`, PDFs, CSV,
 * e-mails) and the web apps (`web/ui/format.ts`). Both sides must agree on a currency's number of decimals, or an
 * amount typed in the browser is stored 100 times too large or too small; so neither asks anyone else (the web
 * used to ask `Intl`, whose CLDR data drops the decimals of HUF, IDR, COP, IQD and others that ISO 4217 keeps).
 *
 * Imports nothing and uses no Node-only API: Vite bundles this file into the web apps as it is.
 */

/**
 * ISO 4217 codes by the number of decimals of their minor unit, as ISO 4217 lists them (not as cash is rounded):
 * an amount is stored in these minor units, so changing a currency's exponent here changes the meaning of every
 * amount already stored in it.
 */
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

/**
 * Codes that `Intl` still lists but Portico does not accept, on purpose: nobody can be invoiced in them today.
 * The unit test compares the table with `Intl.supportedValuesOf('currency')`: a code Intl lists must be in the table
 * or here, with the reason (a precious metal, fund or test code that ever shows up belongs here too).
 */
export const CURRENCIES_LEFT_OUT: Readonly<Record<string, string>> = {
  CUC: 'Cuban convertible peso, withdrawn in 2021',
  HRK: 'Croatian kuna, replaced by the euro in 2023',
  SLL: 'old Sierra Leonean leone, replaced by SLE (1,000 SLL = 1 SLE)',
  ZWL: 'Zimbabwean dollar, replaced by ZWG in 2024',
  XDR: 'IMF special drawing right: a unit of account with no minor unit in ISO 4217',
  XSU: 'SUCRE: a unit of account between ALBA states, with no minor unit in ISO 4217',
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
export const currencyCodes = (): string[] => [...EXPONENTS.keys()].sort();

/** Number of decimals of the currency's minor unit (JPY 0, USD 2, KWD 3), or undefined for a code not in the table. */
export const exponentOf = (currency: string): number | undefined => EXPONENTS.get(currency);

/**
 * Minor units as a plain decimal in major units: a point, no grouping, exactly `exponent` decimals
 * (123456 → "1234.56" for USD, "1234" for JPY's exponent 0, "-0.007" for -7 at exponent 3). Exact: only digits move.
 */
export function minorToPlainDecimal(minor: number, exponent: number): string {
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const sign = minor < 0 ? '-' : '';
  return exponent === 0 ? `${sign}${whole}` : `${sign}${whole}.${digits.slice(digits.length - exponent)}`;
}

/**
 * The whole and fraction digits of a decimal ("12", "5" for "12.5") → minor units at `exponent` (1250n at 2), or
 * null when the fraction has more decimals than the currency. BigInt, so no digit is lost; the caller decides how
 * large an amount may be.
 */
export function digitsToMinor(whole: string, fraction: string, exponent: number): bigint | null {
  if (fraction.length > exponent) return null;
  return BigInt(whole + fraction.padEnd(exponent, '0'));
}
