import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  divideRoundHalfUp,
  formatDecimal,
  multiplyRound,
  parseDecimal,
  percentOfRound,
} from '../../src/domain/decimal.js';
import { AppError } from '../../src/domain/errors.js';
import {
  assertMinorUnits,
  currencyExponent,
  formatMoneyPlain,
  parseMoney,
  supportedCurrencies,
} from '../../src/domain/money.js';

const validation = (error: unknown) => error instanceof AppError && error.code === 'validation_failed';

describe('currencies', () => {
  test('exponents of 0-, 2- and 3-decimal currencies', () => {
    for (const code of ['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'XOF']) assert.equal(currencyExponent(code), 0);
    for (const code of ['USD', 'EUR', 'GBP', 'CHF', 'INR', 'BRL', 'ZAR']) assert.equal(currencyExponent(code), 2);
    for (const code of ['KWD', 'BHD', 'OMR', 'JOD', 'TND', 'IQD', 'LYD']) assert.equal(currencyExponent(code), 3);
  });
  test('unknown or miscased codes are a validation error', () => {
    for (const code of ['XYZ', 'usd', '', 'US', 'toString', '__proto__']) {
      assert.throws(() => currencyExponent(code), validation);
    }
  });
  test('the supported list is sorted and has the common currencies', () => {
    const codes = supportedCurrencies();
    assert.deepEqual(codes, [...codes].sort());
    assert.ok(codes.includes('USD') && codes.includes('JPY') && codes.includes('KWD'));
    assert.ok(codes.every((code) => /^[A-Z]{3}$/.test(code)));
  });
});

describe('parseMoney and formatMoneyPlain', () => {
  test('major-unit strings to minor units', () => {
    assert.equal(parseMoney('12.34', 'USD'), 1234);
    assert.equal(parseMoney('12.3', 'USD'), 1230);
    assert.equal(parseMoney('12', 'USD'), 1200);
    assert.equal(parseMoney('-0.05', 'USD'), -5);
    assert.equal(parseMoney('500', 'JPY'), 500);
    assert.equal(parseMoney('1.234', 'KWD'), 1234);
    assert.equal(parseMoney(1234, 'USD'), 1234);
  });
  test('refusals', () => {
    for (const [input, currency] of [
      ['12.345', 'USD'],
      ['1.5', 'JPY'],
      ['1.2345', 'KWD'],
      ['1e3', 'USD'],
      [' 1', 'USD'],
      ['1.', 'USD'],
      ['.5', 'USD'],
      ['1,5', 'USD'],
      ['', 'USD'],
      [12.5, 'USD'],
      [Number.MAX_SAFE_INTEGER + 1, 'USD'],
      ['1', 'XXX'],
      ['99999999999999999999', 'USD'],
    ] as const) {
      assert.throws(() => parseMoney(input, currency), validation, `${input} ${currency}`);
    }
  });
  test('plain formatting with signs and exponents', () => {
    assert.equal(formatMoneyPlain(123456, 'USD'), '1234.56');
    assert.equal(formatMoneyPlain(5, 'USD'), '0.05');
    assert.equal(formatMoneyPlain(-5, 'USD'), '-0.05');
    assert.equal(formatMoneyPlain(-123456, 'USD'), '-1234.56');
    assert.equal(formatMoneyPlain(0, 'USD'), '0.00');
    assert.equal(formatMoneyPlain(1234, 'JPY'), '1234');
    assert.equal(formatMoneyPlain(-1234, 'JPY'), '-1234');
    assert.equal(formatMoneyPlain(1234, 'KWD'), '1.234');
    assert.equal(formatMoneyPlain(7, 'KWD'), '0.007');
    assert.equal(formatMoneyPlain(Number.MAX_SAFE_INTEGER, 'USD'), '90071992547409.91');
  });
  test('format then parse is the identity for every safe integer and currency', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom('JPY', 'USD', 'KWD', 'CLF'),
        (minor, currency) => assert.equal(parseMoney(formatMoneyPlain(minor, currency), currency), minor),
      ),
    );
  });
  test('assertMinorUnits accepts safe integers only', () => {
    assertMinorUnits(0);
    assertMinorUnits(-42);
    for (const bad of [0.1, Number.NaN, Infinity, '1', null, 2 ** 53]) {
      assert.throws(() => assertMinorUnits(bad, '/x'), validation);
    }
  });
});

describe('decimals', () => {
  const rules = { maxDecimals: 4 };
  test('strict format', () => {
    for (const bad of ['1e3', '-1', ' 1', '1 ', '1.', '.5', '', '+1', '1_000', '١', 'Infinity']) {
      assert.throws(() => parseDecimal(bad, '/q', rules), validation, JSON.stringify(bad));
    }
    assert.throws(() => parseDecimal(1, '/q', rules), validation);
    assert.throws(() => parseDecimal('1.23456', '/q', rules), validation);
    assert.throws(() => parseDecimal('0', '/q', { ...rules, positive: true }), validation);
    assert.throws(() => parseDecimal('100.0001', '/q', { ...rules, max: '100' }), validation);
    assert.deepEqual(parseDecimal('100.0000', '/q', { ...rules, max: '100' }), { units: 1000000n, scale: 4 });
  });
  test('canonical spelling', () => {
    const canon = (text: string) => formatDecimal(parseDecimal(text, '/r', rules));
    assert.equal(canon('7.50'), '7.5');
    assert.equal(canon('007.5000'), '7.5');
    assert.equal(canon('0.0'), '0');
    assert.equal(canon('0.0001'), '0.0001');
    assert.equal(canon('10'), '10');
    assert.equal(canon('10.0'), '10');
  });
  test('half-up rounding in BigInt', () => {
    assert.equal(divideRoundHalfUp(5n, 2n), 3n);
    assert.equal(divideRoundHalfUp(7n, 2n), 4n);
    assert.equal(divideRoundHalfUp(4n, 3n), 1n);
    assert.equal(divideRoundHalfUp(-5n, 2n), -3n);
    assert.equal(divideRoundHalfUp(0n, 7n), 0n);
    assert.equal(multiplyRound(3n, parseDecimal('0.5', '/q', rules)), 2n);
    assert.equal(percentOfRound(999n, parseDecimal('8.875', '/r', rules)), 89n);
    assert.equal(percentOfRound(1n, parseDecimal('50', '/r', rules)), 1n);
    assert.equal(percentOfRound(1n, parseDecimal('49.9999', '/r', rules)), 0n);
  });
  test('rounding matches a rational reference', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 8n }), (n, d) => {
        const rounded = divideRoundHalfUp(n, d);
        // rounded − n/d lies in (−1/2, 1/2]: a half always rounds up.
        const twiceError = 2n * n - 2n * rounded * d;
        assert.ok(twiceError < d && twiceError >= -d, `${n}/${d} → ${rounded}`);
      }),
    );
  });
});
