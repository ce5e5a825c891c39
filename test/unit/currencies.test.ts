/**
 * The server and the web apps read and write amounts with one currency table (src/domain/currencies.ts). These
 * tests hold them to it for every currency: what the web shows or sends is what the server stores and prints.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CURRENCIES_LEFT_OUT, currencyCodes } from '../../src/domain/currencies.js';
import { currencyExponent, formatMoneyPlain, parseMoney } from '../../src/domain/money.js';
import { decimalToMinor, formatMoney, fractionDigitsOf, minorToDecimal } from '../../web/ui/format.js';

const CURRENCIES = currencyCodes();

/** What a back-office user may have: any amount up to the largest exact one. */
const amounts = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

/** Intl's own spacing (no-break and narrow no-break spaces) as plain spaces, so expectations stay readable. */
const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

/**
 * The number in an en-US formatted amount ("-HUF 1,234.56" → "-1234.56"): en-US puts the sign first and the
 * currency before the number, so the number is what ends the text.
 */
function numberShown(formatted: string): string {
  const number = /([\d,]+(?:\.\d+)?)$/.exec(formatted)?.[1];
  assert.ok(number, `no number at the end of ${JSON.stringify(formatted)}`);
  return `${formatted.startsWith('-') ? '-' : ''}${number.replaceAll(',', '')}`;
}

describe('the one currency table', () => {
  test('covers every currency Intl knows, but for the ones left out on purpose', () => {
    const missing = Intl.supportedValuesOf('currency').filter(
      (code) => !CURRENCIES.includes(code) && !(code in CURRENCIES_LEFT_OUT),
    );
    assert.deepEqual(missing, [], 'add them to the table, or to CURRENCIES_LEFT_OUT with the reason');
    for (const code of Object.keys(CURRENCIES_LEFT_OUT)) assert.ok(!CURRENCIES.includes(code), code);
  });

  test('the web counts every currency’s decimals as the server does', () => {
    for (const currency of CURRENCIES) assert.equal(fractionDigitsOf(currency), currencyExponent(currency), currency);
  });

  test('the decimals of currencies where Intl and ISO 4217 differ, and of the usual ones', () => {
    const expected: Record<string, number> = { JPY: 0, USD: 2, HUF: 2, IDR: 2, COP: 2, KWD: 3, BHD: 3, IQD: 3 };
    for (const [currency, exponent] of Object.entries(expected)) {
      assert.equal(currencyExponent(currency), exponent, `server, ${currency}`);
      assert.equal(fractionDigitsOf(currency), exponent, `web, ${currency}`);
    }
  });
});

describe('web and server agree on every amount in every currency', () => {
  test('the web’s decimal text reads back, on the web and on the server, as the same minor units', () => {
    fc.assert(
      fc.property(amounts, fc.constantFrom(...CURRENCIES), (minor, currency) => {
        const text = minorToDecimal(minor, currency);
        assert.equal(decimalToMinor(text, currency), minor);
        assert.equal(parseMoney(text, currency), minor);
      }),
      { numRuns: 2000 },
    );
  });

  test('the web’s decimal text is the server’s plain amount (CSV, PDF, e-mails), signs included', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (minor) => {
        for (const currency of CURRENCIES) {
          assert.equal(minorToDecimal(minor, currency), formatMoneyPlain(minor, currency), currency);
        }
      }),
      { numRuns: 200 },
    );
  });

  test('the formatted amount shows exactly the server’s amount, with the currency’s number of decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: -9_000_000_000_000, max: 9_000_000_000_000 }), (minor) => {
        for (const currency of CURRENCIES) {
          const shown = numberShown(formatMoney(minor, currency, 'en-US'));
          assert.equal(shown, formatMoneyPlain(minor, currency), currency);
          assert.equal(shown.split('.')[1]?.length ?? 0, currencyExponent(currency), currency);
        }
      }),
      { numRuns: 100 },
    );
  });

  test('every currency, at its smallest, round and largest amounts', () => {
    for (const currency of CURRENCIES) {
      for (const minor of [0, 1, 7, 10, 100, 1000, 123456, 9_000_000_000_000, Number.MAX_SAFE_INTEGER]) {
        const text = minorToDecimal(minor, currency);
        assert.equal(text, formatMoneyPlain(minor, currency), `${currency} ${minor}`);
        assert.equal(decimalToMinor(text, currency), minor, `${currency} ${text}`);
        assert.equal(parseMoney(text, currency), minor, `${currency} ${text}`);
        assert.equal(numberShown(formatMoney(minor, currency, 'en-US')), text, `${currency} ${minor}`);
      }
    }
  });
});

describe('amounts as a business user types and reads them', () => {
  test('HUF, IDR and COP have two decimals (fillér, sen, centavos), as the server and its PDFs count', () => {
    for (const currency of ['HUF', 'IDR', 'COP']) {
      assert.equal(decimalToMinor('1234.56', currency), 123456, currency);
      assert.equal(decimalToMinor('1234', currency), 123400, currency);
      assert.equal(parseMoney('1234', currency), 123400, currency);
      assert.equal(minorToDecimal(123400, currency), '1234.00', currency);
      assert.equal(decimalToMinor('1.234', currency), null, currency);
      assert.equal(plainSpaces(formatMoney(123456, currency, 'en-US')), `${currency} 1,234.56`);
    }
    assert.equal(plainSpaces(formatMoney(123456789, 'HUF', 'hu-HU')), '1 234 567,89 Ft');
  });

  test('JPY has none', () => {
    assert.equal(decimalToMinor('1234', 'JPY'), 1234);
    assert.equal(parseMoney('1234', 'JPY'), 1234);
    assert.equal(decimalToMinor('12.5', 'JPY'), null);
    assert.equal(minorToDecimal(1234, 'JPY'), '1234');
    assert.equal(formatMoney(1234, 'JPY', 'en-US'), '¥1,234');
  });

  test('KWD, BHD and IQD have three (fils)', () => {
    for (const currency of ['KWD', 'BHD', 'IQD']) {
      assert.equal(decimalToMinor('1.234', currency), 1234, currency);
      assert.equal(decimalToMinor('1,5', currency), 1500, currency);
      assert.equal(parseMoney('1.5', currency), 1500, currency);
      assert.equal(minorToDecimal(1500, currency), '1.500', currency);
      assert.equal(decimalToMinor('1.2345', currency), null, currency);
      assert.equal(plainSpaces(formatMoney(1500, currency, 'en-US')), `${currency} 1.500`);
    }
  });

  test('USD has two', () => {
    assert.equal(decimalToMinor(' 12.5 ', 'USD'), 1250);
    assert.equal(decimalToMinor('12.', 'USD'), 1200);
    assert.equal(decimalToMinor('12.345', 'USD'), null);
    assert.equal(formatMoney(1250, 'USD', 'en-US'), '$12.50');
    assert.equal(formatMoney(-5, 'USD', 'en-US'), '-$0.05');
    assert.equal(plainSpaces(formatMoney(123456, 'USD', 'fr-FR')), '1 234,56 $US');
  });

  test('the web refuses what is not an amount, or too large to stay exact', () => {
    for (const text of ['', '-1', '+1', '1e3', 'abc', '1.2.3', '９'])
      assert.equal(decimalToMinor(text, 'USD'), null, text);
    assert.equal(decimalToMinor('9007199254740991', 'JPY'), Number.MAX_SAFE_INTEGER);
    assert.equal(decimalToMinor('9007199254740992', 'JPY'), null);
    assert.equal(decimalToMinor('90071992547409.92', 'USD'), null);
  });
});
