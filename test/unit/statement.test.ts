import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { addDays } from '../../src/domain/dates.js';
import { AppError } from '../../src/domain/errors.js';
import { buildStatement, periodFor, type StatementEntry } from '../../src/domain/statement.js';

const entry = (
  date: string,
  kind: StatementEntry['kind'],
  amount: number,
  id: string,
  createdAt = `${date}T12:00:00.000Z`,
): StatementEntry => ({ date, createdAt, kind, id, number: id.toUpperCase(), amount });

describe('buildStatement', () => {
  test('an example month', () => {
    const statement = buildStatement({
      openingBalance: 1_000,
      from: '2026-03-01',
      to: '2026-03-31',
      entries: [
        entry('2026-02-10', 'invoice', 5_000, 'inv_1'),
        entry('2026-02-20', 'payment', 2_000, 'pay_1'),
        // Same date: ordered by creation, not by the order given.
        entry('2026-03-05', 'payment', 3_000, 'pay_2', '2026-03-05T15:00:00.000Z'),
        entry('2026-03-05', 'invoice', 7_000, 'inv_2', '2026-03-05T09:00:00.000Z'),
        entry('2026-03-31', 'write_off', 500, 'wo_1'),
        entry('2026-04-01', 'invoice', 9_999, 'inv_3'),
      ],
    });
    assert.equal(statement.openingBalance, 4_000);
    assert.equal(statement.invoiced, 7_000);
    assert.equal(statement.received, 3_000);
    assert.equal(statement.writtenOff, 500);
    assert.equal(statement.balanceDue, 7_500);
    assert.deepEqual(
      statement.lines.map((l) => [l.date, l.kind, l.number, l.amount, l.payment, l.balance]),
      [
        ['2026-03-01', 'opening_balance', null, 4_000, 0, 4_000],
        ['2026-03-05', 'invoice', 'INV_2', 7_000, 0, 11_000],
        ['2026-03-05', 'payment', 'PAY_2', 0, 3_000, 8_000],
        ['2026-03-31', 'write_off', 'WO_1', 0, 500, 7_500],
      ],
    );
  });

  test('each line carries its own facts, the others null', () => {
    const { lines } = buildStatement({
      openingBalance: 0,
      from: '2026-03-01',
      to: '2026-03-31',
      entries: [
        { ...entry('2026-03-02', 'invoice', 5_000, 'inv_1'), facts: { dueDate: '2026-04-01' } },
        {
          ...entry('2026-03-03', 'payment', 2_000, 'pay_1'),
          facts: { paymentMode: 'check', paymentReference: 'Cheque 1042', retainerInvoiceNumber: null },
        },
      ],
    });
    const facts = lines.map((l) => [l.kind, l.dueDate, l.paymentMode, l.paymentReference, l.retainerInvoiceNumber]);
    assert.deepEqual(facts, [
      ['opening_balance', null, null, null, null],
      ['invoice', '2026-04-01', null, null, null],
      ['payment', null, 'check', 'Cheque 1042', null],
    ]);
  });

  test('a period with no entries is just the opening row', () => {
    const statement = buildStatement({ openingBalance: -250, from: '2026-01-01', to: '2026-01-01', entries: [] });
    assert.equal(statement.balanceDue, -250);
    assert.equal(statement.lines.length, 1);
  });

  test('refusals', () => {
    const refuse = (run: () => unknown) =>
      assert.throws(run, (e: unknown) => e instanceof AppError && e.code === 'validation_failed');
    refuse(() => buildStatement({ openingBalance: 0, from: '2026-02-01', to: '2026-01-31', entries: [] }));
    refuse(() => buildStatement({ openingBalance: 0, from: '2026-02-30', to: '2026-03-31', entries: [] }));
    refuse(() => buildStatement({ openingBalance: 0.5, from: '2026-01-01', to: '2026-01-31', entries: [] }));
    refuse(() =>
      buildStatement({
        openingBalance: 0,
        from: '2026-01-01',
        to: '2026-01-31',
        entries: [entry('2026-01-02', 'payment', -1, 'p')],
      }),
    );
  });
});

describe('buildStatement: properties', () => {
  const day = fc.integer({ min: 0, max: 365 }).map((offset) => addDays('2025-07-01', offset));
  const history = fc
    .array(
      fc.record({
        date: day,
        kind: fc.constantFrom<StatementEntry['kind']>('invoice', 'payment', 'write_off'),
        amount: fc.integer({ min: 0, max: 1_000_000 }),
        second: fc.integer({ min: 0, max: 86_399 }),
      }),
      { maxLength: 40 },
    )
    .map((rows) =>
      rows.map((row, index) => {
        const time = new Date(Date.UTC(2025, 0, 1, 0, 0, row.second)).toISOString().slice(10);
        return entry(row.date, row.kind, row.amount, `e_${String(index).padStart(3, '0')}`, `${row.date}${time}`);
      }),
    );
  const period = fc.tuple(day, day).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a }));
  const opening = fc.integer({ min: -1_000_000, max: 1_000_000 });

  test('balance due = opening + invoiced − received − written off = the last running balance', () => {
    fc.assert(
      fc.property(history, period, opening, (entries, { from, to }, openingBalance) => {
        const s = buildStatement({ openingBalance, from, to, entries });
        assert.equal(s.balanceDue, s.openingBalance + s.invoiced - s.received - s.writtenOff);
        assert.equal(s.lines.at(-1)?.balance, s.balanceDue);
        assert.equal(s.lines[0]?.kind, 'opening_balance');
        assert.equal(s.lines[0]?.date, from);
        const before = entries.filter((e) => e.date < from);
        const signed = (e: StatementEntry) => (e.kind === 'invoice' ? e.amount : -e.amount);
        assert.equal(
          s.openingBalance,
          before.reduce((b, e) => b + signed(e), openingBalance),
        );
        // Each line moves the running balance by exactly its amount minus its payment, in date order.
        s.lines.slice(1).forEach((line, index) => {
          const previous = s.lines[index];
          assert.ok(previous);
          assert.equal(line.balance, previous.balance + line.amount - line.payment);
          assert.ok(line.date >= from && line.date <= to);
          assert.ok(previous.date <= line.date);
        });
        assert.equal(s.lines.length, 1 + entries.filter((e) => e.date >= from && e.date <= to).length);
      }),
    );
  });

  test('entries outside the period only affect the opening balance', () => {
    fc.assert(
      fc.property(history, period, opening, (entries, { from, to }, openingBalance) => {
        const full = buildStatement({ openingBalance, from, to, entries });
        const within = entries.filter((e) => e.date >= from && e.date <= to);
        const folded = buildStatement({ openingBalance: full.openingBalance, from, to, entries: within });
        assert.deepEqual(folded, full);
      }),
    );
  });

  test('the order the entries arrive in does not matter', () => {
    fc.assert(
      fc.property(history, period, opening, (entries, { from, to }, openingBalance) => {
        const forward = buildStatement({ openingBalance, from, to, entries });
        const reversed = buildStatement({ openingBalance, from, to, entries: [...entries].reverse() });
        assert.deepEqual(reversed, forward);
      }),
    );
  });
});

describe('periodFor', () => {
  test('presets around a given today', () => {
    assert.deepEqual(periodFor('this_month', '2024-02-15'), { from: '2024-02-01', to: '2024-02-29' });
    assert.deepEqual(periodFor('last_month', '2026-01-10'), { from: '2025-12-01', to: '2025-12-31' });
    assert.deepEqual(periodFor('last_month', '2026-03-31'), { from: '2026-02-01', to: '2026-02-28' });
    assert.deepEqual(periodFor('this_quarter', '2026-05-20'), { from: '2026-04-01', to: '2026-06-30' });
    assert.deepEqual(periodFor('this_quarter', '2026-12-31'), { from: '2026-10-01', to: '2026-12-31' });
    assert.deepEqual(periodFor('this_quarter', '2026-01-01'), { from: '2026-01-01', to: '2026-03-31' });
    assert.deepEqual(periodFor('this_year', '2026-07-04'), { from: '2026-01-01', to: '2026-12-31' });
  });
  test('bad input', () => {
    assert.throws(() => periodFor('this_month', '2026-13-01'), AppError);
    assert.throws(() => periodFor('next_decade' as 'this_year', '2026-01-01'), AppError);
  });
});
