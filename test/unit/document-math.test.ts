import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  computeDocument,
  type Discount,
  type DocumentInput,
  type DocumentLineInput,
} from '../../src/domain/document-math.js';
import { AppError } from '../../src/domain/errors.js';
import { formatMoneyPlain, parseMoney } from '../../src/domain/money.js';

interface Vector {
  name: string;
  input: DocumentInput;
  expected: {
    lineAmounts: number[];
    subtotal: number;
    discountTotal: number;
    taxes: { rate: string; amount: number }[];
    taxTotal: number;
    total: number;
  };
}

const vectors: Vector[] = JSON.parse(
  readFileSync(new URL('../../test/fixtures/document-math.json', import.meta.url), 'utf8'),
);

const isValidationError = (error: unknown): boolean => error instanceof AppError && error.code === 'validation_failed';

function throwsValidation(run: () => unknown, path?: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(isValidationError(error), `expected validation_failed, got ${String(error)}`);
    if (path !== undefined) assert.equal((error as AppError).errors[0]?.path, path);
    return true;
  });
}

describe('document math: the shared test vectors', () => {
  test('the fixture holds all 158 vectors', () => {
    assert.equal(vectors.length, 158);
  });
  for (const vector of vectors) {
    test(vector.name, () => {
      const result = computeDocument(vector.input);
      assert.deepEqual(
        {
          lineAmounts: result.lineAmounts,
          subtotal: result.subtotal,
          discountTotal: result.discountTotal,
          taxes: result.taxes,
          taxTotal: result.taxTotal,
          total: result.total,
        },
        vector.expected,
      );
    });
  }
});

// ---- generators -------------------------------------------------------------------------------

/** A decimal string with up to `maxScale` decimals and a value in [min, max]. */
const decimalString = (max: number, maxScale: number, min = 0) =>
  fc.integer({ min: 0, max: maxScale }).chain((scale) =>
    fc.integer({ min: Math.ceil(min * 10 ** scale), max: max * 10 ** scale }).map((units) => {
      const digits = units.toString().padStart(scale + 1, '0');
      return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    }),
  );

const quantity = decimalString(10_000, 4, 0.0001);
const taxRate = fc.oneof(
  fc.constant(null),
  fc.constantFrom('0', '5', '7.5', '8.875', '10', '19', '20', '21', '25'),
  decimalString(30, 4),
);
const percent = decimalString(100, 4);

/** A line whose fixed discount (if any) is a fraction of its own amount, so it is always valid. */
const line: fc.Arbitrary<DocumentLineInput> = fc
  .record({
    quantity,
    rate: fc.integer({ min: 0, max: 1_000_000_000 }),
    taxRate,
    discountKind: fc.constantFrom('none', 'percent', 'amount'),
    percent,
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ quantity, rate, taxRate, discountKind, percent, fraction }) => {
    const base: DocumentLineInput = { quantity, rate, taxRate };
    if (discountKind === 'percent') return { ...base, discount: { type: 'percent', value: percent } };
    if (discountKind === 'amount') {
      const amount = computeDocument({ lines: [base], taxRounding: 'line' }).subtotal;
      return { ...base, discount: { type: 'amount', value: Math.floor(amount * fraction) } };
    }
    return base;
  });

const documentInput: fc.Arbitrary<DocumentInput> = fc
  .record({
    lines: fc.array(line, { minLength: 1, maxLength: 12 }),
    discountKind: fc.constantFrom('none', 'percent', 'amount'),
    percent,
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    discountBeforeTax: fc.boolean(),
    shipping: fc.integer({ min: 0, max: 10_000_000 }),
    adjustment: fc.integer({ min: -10_000_000, max: 10_000_000 }),
    taxRounding: fc.constantFrom('line' as const, 'document' as const),
  })
  .map(({ lines, discountKind, percent, fraction, ...rest }) => {
    const input: DocumentInput = { lines, ...rest };
    if (discountKind === 'percent') input.discount = { type: 'percent', value: percent };
    if (discountKind === 'amount') {
      // The largest valid fixed discount is the subtotal (before tax) or subtotal + tax (after).
      const plain = computeDocument({ ...input, discount: null, shipping: 0, adjustment: 0 });
      const ceiling = rest.discountBeforeTax ? plain.subtotal : plain.subtotal + plain.taxTotal;
      input.discount = { type: 'amount', value: Math.floor(ceiling * fraction) };
    }
    return input;
  });

// ---- properties -------------------------------------------------------------------------------

describe('document math: properties', () => {
  test('total = subtotal − discount + tax + shipping + adjustment, in whole minor units', () => {
    fc.assert(
      fc.property(documentInput, (input) => {
        const r = computeDocument(input);
        assert.equal(r.total, r.subtotal - r.discountTotal + r.taxTotal + r.shipping + r.adjustment);
        const amounts = [r.subtotal, r.discountTotal, r.taxTotal, r.total, ...r.taxes.map((t) => t.amount)];
        for (const line of r.lines) amounts.push(...Object.values(line).filter((v) => typeof v === 'number'));
        for (const amount of amounts) assert.ok(Number.isSafeInteger(amount), `${amount} is not an integer`);
      }),
    );
  });

  test('the subtotal is the sum of line nets; taxes add up per rate and per line', () => {
    fc.assert(
      fc.property(documentInput, (input) => {
        const r = computeDocument(input);
        assert.equal(
          r.subtotal,
          r.lineAmounts.reduce((a, b) => a + b, 0),
        );
        assert.equal(
          r.taxTotal,
          r.taxes.reduce((a, t) => a + t.amount, 0),
        );
        assert.equal(
          r.taxTotal,
          r.lines.reduce((a, l) => a + l.tax, 0),
        );
        for (const line of r.lines) assert.equal(line.net, line.amount - line.discount);
        const rates = r.taxes.map((t) => Number(t.rate));
        assert.deepEqual(
          rates,
          [...rates].sort((a, b) => a - b),
        );
      }),
    );
  });

  test('a before-tax discount is spread exactly over the lines, never below zero', () => {
    fc.assert(
      fc.property(documentInput, (input) => {
        const r = computeDocument(input);
        const shares = r.lines.reduce((a, l) => a + l.discountShare, 0);
        assert.equal(shares, input.discountBeforeTax === false ? 0 : r.discountTotal);
        for (const line of r.lines) {
          assert.ok(line.taxableBase >= 0);
          assert.equal(line.taxableBase, line.net - line.discountShare);
          // Largest remainder never strays a whole unit from the exact proportional share.
          if (r.subtotal > 0 && input.discountBeforeTax !== false) {
            const exact = (r.discountTotal * line.net) / r.subtotal;
            assert.ok(Math.abs(line.discountShare - exact) < 1 + 1e-6);
          }
        }
      }),
    );
  });

  test('rounding per line and per document differ by at most the line count, per rate', () => {
    fc.assert(
      fc.property(documentInput, (input) => {
        const perLine = computeDocument({ ...input, taxRounding: 'line' });
        const perDocument = computeDocument({ ...input, taxRounding: 'document' });
        assert.deepEqual(
          perLine.taxes.map((t) => t.rate),
          perDocument.taxes.map((t) => t.rate),
        );
        perLine.taxes.forEach((tax, index) => {
          const linesAtRate = perLine.lines.filter((l) => l.taxRate === tax.rate).length;
          const other = perDocument.taxes[index]?.amount ?? Number.NaN;
          assert.ok(Math.abs(tax.amount - other) <= linesAtRate, `${tax.amount} vs ${other}`);
        });
      }),
    );
  });

  test('0-, 2- and 3-decimal currencies: prices typed in major units come back exact', () => {
    const currencyCase = fc.constantFrom('JPY', 'USD', 'KWD').chain((currency) => {
      const exponent = currency === 'JPY' ? 0 : currency === 'USD' ? 2 : 3;
      return fc.record({
        currency: fc.constant(currency),
        prices: fc.array(decimalString(100_000, exponent), { minLength: 1, maxLength: 5 }),
        taxRounding: fc.constantFrom('line' as const, 'document' as const),
      });
    });
    fc.assert(
      fc.property(currencyCase, ({ currency, prices, taxRounding }) => {
        const lines = prices.map((price) => ({ quantity: '1', rate: parseMoney(price, currency), taxRate: null }));
        const r = computeDocument({ lines, taxRounding });
        const expected = prices.reduce((a, p) => a + parseMoney(p, currency), 0);
        assert.equal(r.total, expected);
        assert.equal(parseMoney(formatMoneyPlain(r.total, currency), currency), r.total);
      }),
    );
  });
});

describe('document math: examples', () => {
  test('JPY, USD and KWD lines with tax', () => {
    const yen = computeDocument({ lines: [{ quantity: '3', rate: 333, taxRate: '10' }], taxRounding: 'line' });
    assert.equal(yen.total, 999 + 100);
    const kwd = computeDocument({
      lines: [{ quantity: '1.5', rate: parseMoney('1.234', 'KWD'), taxRate: '5' }],
      taxRounding: 'line',
    });
    assert.equal(formatMoneyPlain(kwd.subtotal, 'KWD'), '1.851');
    assert.equal(formatMoneyPlain(kwd.total, 'KWD'), '1.944');
  });

  test('large amounts stay exact beyond float precision of intermediate products', () => {
    const r = computeDocument({
      lines: [{ quantity: '9999.9999', rate: 900_000_000_000, taxRate: '0.0001' }],
      taxRounding: 'line',
    });
    // Floats say 8 999 999 910 000 001; BigInt keeps the exact product.
    assert.equal(r.subtotal, 8_999_999_910_000_000);
    assert.equal(r.taxTotal, 8_999_999_910);
    assert.equal(r.total, 9_000_008_909_999_910);
  });

  test('per-document rounding gives line taxes that add up to each rate', () => {
    const r = computeDocument({
      lines: [1, 2, 3].map(() => ({ quantity: '1', rate: 1, taxRate: '50' })),
      taxRounding: 'document',
    });
    assert.deepEqual(
      r.lines.map((l) => l.tax),
      [1, 1, 0],
    );
    assert.deepEqual(r.taxes, [{ rate: '50', amount: 2 }]);
  });

  test('equal rates spelt differently are one rate, in canonical spelling', () => {
    const r = computeDocument({
      lines: [
        { quantity: '1', rate: 100, taxRate: '7.50' },
        { quantity: '1', rate: 100, taxRate: '7.5' },
        { quantity: '1', rate: 100, taxRate: '007.5000' },
        { quantity: '1', rate: 100, taxRate: '0.0' },
      ],
      taxRounding: 'document',
    });
    assert.deepEqual(r.taxes, [
      { rate: '0', amount: 0 },
      { rate: '7.5', amount: 23 },
    ]);
  });

  test('an after-tax discount is not spread over lines', () => {
    const r = computeDocument({
      lines: [{ quantity: '1', rate: 1000, taxRate: '10' }],
      discount: { type: 'amount', value: 1100 },
      discountBeforeTax: false,
      taxRounding: 'line',
    });
    assert.equal(r.total, 0);
    assert.deepEqual(
      r.lines.map((l) => [l.discountShare, l.taxableBase, l.tax]),
      [[0, 1000, 100]],
    );
  });
});

describe('document math: refusals', () => {
  const one = (overrides: Partial<DocumentLineInput> = {}): DocumentLineInput => ({
    quantity: '1',
    rate: 100,
    taxRate: '10',
    ...overrides,
  });
  const doc = (overrides: Partial<DocumentInput> = {}): DocumentInput => ({
    lines: [one()],
    taxRounding: 'line',
    ...overrides,
  });

  test('no lines', () => throwsValidation(() => computeDocument(doc({ lines: [] })), '/lines'));

  for (const bad of ['0', '0.0000', '1e3', '-1', ' 1', '1.', '.5', '1.23456', '', '1,5', '+1', '0x10']) {
    test(`quantity ${JSON.stringify(bad)}`, () =>
      throwsValidation(() => computeDocument(doc({ lines: [one({ quantity: bad })] })), '/lines/0/quantity'));
  }

  for (const bad of ['-5', '1e1', '5.12345', ' 5', '5.', '.5', 'abc']) {
    test(`tax rate ${JSON.stringify(bad)}`, () =>
      throwsValidation(() => computeDocument(doc({ lines: [one({ taxRate: bad })] })), '/lines/0/taxRate'));
  }

  test('a quantity given as a number', () =>
    throwsValidation(
      () => computeDocument(doc({ lines: [one({ quantity: 2 as unknown as string })] })),
      '/lines/0/quantity',
    ));

  for (const bad of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
    test(`rate ${bad}`, () =>
      throwsValidation(() => computeDocument(doc({ lines: [one({ rate: bad })] })), '/lines/0/rate'));
  }

  test('non-integer shipping and adjustment', () => {
    throwsValidation(() => computeDocument(doc({ shipping: 0.5 })), '/shipping');
    throwsValidation(() => computeDocument(doc({ shipping: -1 })), '/shipping');
    throwsValidation(() => computeDocument(doc({ adjustment: 1.5 })), '/adjustment');
  });

  test('a fixed line discount above the line amount', () => {
    const discount: Discount = { type: 'amount', value: 101 };
    throwsValidation(() => computeDocument(doc({ lines: [one({ discount })] })), '/lines/0/discount/value');
    assert.equal(computeDocument(doc({ lines: [one({ discount: { type: 'amount', value: 100 } })] })).subtotal, 0);
  });

  test('percent discounts above 100 or malformed', () => {
    for (const value of ['100.0001', '101', '-1', '1e2']) {
      const discount: Discount = { type: 'percent', value };
      throwsValidation(() => computeDocument(doc({ lines: [one({ discount })] })), '/lines/0/discount/value');
      throwsValidation(() => computeDocument(doc({ discount })), '/discount/value');
    }
    assert.equal(computeDocument(doc({ discount: { type: 'percent', value: '100' } })).total, 0);
  });

  test('a fixed document discount above the subtotal (before tax) or subtotal + tax (after)', () => {
    throwsValidation(() => computeDocument(doc({ discount: { type: 'amount', value: 101 } })), '/discount/value');
    const afterTax = { discountBeforeTax: false } as const;
    assert.equal(computeDocument(doc({ ...afterTax, discount: { type: 'amount', value: 110 } })).total, 0);
    throwsValidation(
      () => computeDocument(doc({ ...afterTax, discount: { type: 'amount', value: 111 } })),
      '/discount/value',
    );
  });

  test('an unknown discount type or tax rounding', () => {
    const discount = { type: 'fraction', value: '1' } as unknown as Discount;
    throwsValidation(() => computeDocument(doc({ discount })), '/discount/type');
    throwsValidation(() => computeDocument(doc({ taxRounding: 'nearest' as 'line' })), '/taxRounding');
  });

  test('a total too large to stay exact', () => {
    throwsValidation(() => computeDocument(doc({ lines: [one({ quantity: '9999', rate: Number.MAX_SAFE_INTEGER })] })));
  });
});
