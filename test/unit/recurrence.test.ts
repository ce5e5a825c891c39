import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { addDays, endOfMonth } from '../../src/domain/dates.js';
import { AppError } from '../../src/domain/errors.js';
import { nextRecurrenceDate, type RecurrenceRule } from '../../src/domain/recurrence.js';

describe('nextRecurrenceDate', () => {
  const run = (start: string, rule: RecurrenceRule, count: number): string[] => {
    const dates = [start];
    for (let i = 1; i < count; i++) dates.push(nextRecurrenceDate(dates[i - 1] ?? start, rule));
    return dates;
  };

  test('monthly from the 31st clamps and keeps the anchor day', () => {
    assert.deepEqual(run('2024-01-31', { frequency: 'monthly', anchorDay: 31 }, 5), [
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
      '2024-05-31',
    ]);
    assert.equal(nextRecurrenceDate('2025-01-31', { frequency: 'monthly', anchorDay: 31 }), '2025-02-28');
  });
  test('without an anchor, the day of the given date is kept', () => {
    assert.equal(nextRecurrenceDate('2026-01-15', { frequency: 'monthly' }), '2026-02-15');
  });
  test('weekly, every N, quarterly and yearly', () => {
    assert.equal(nextRecurrenceDate('2026-12-28', { frequency: 'weekly' }), '2027-01-04');
    assert.equal(nextRecurrenceDate('2026-01-01', { frequency: 'weekly', every: 2 }), '2026-01-15');
    assert.equal(nextRecurrenceDate('2026-01-31', { frequency: 'monthly', every: 3, anchorDay: 31 }), '2026-04-30');
    assert.equal(nextRecurrenceDate('2025-11-30', { frequency: 'quarterly', anchorDay: 30 }), '2026-02-28');
    assert.deepEqual(run('2024-02-29', { frequency: 'yearly', anchorDay: 29 }, 6), [
      '2024-02-29',
      '2025-02-28',
      '2026-02-28',
      '2027-02-28',
      '2028-02-29',
      '2029-02-28',
    ]);
  });
  test('a monthly schedule lands on min(anchor, month length) every month, whatever the start', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3_650 }).map((d) => addDays('2020-01-01', d)),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 1, max: 4 }),
        (start, anchorDay, every) => {
          let date = start;
          for (let i = 0; i < 24; i++) {
            const next = nextRecurrenceDate(date, { frequency: 'monthly', every, anchorDay });
            assert.ok(next > date);
            const [y, m, d] = next.split('-').map(Number) as [number, number, number];
            assert.equal(d, Math.min(anchorDay, Number(endOfMonth(next).slice(8))));
            const [py, pm] = date.split('-').map(Number) as [number, number];
            assert.equal((y - py) * 12 + (m - pm), every);
            date = next;
          }
        },
      ),
    );
  });
  test('refuses bad rules', () => {
    const isValidation = (e: unknown) => e instanceof AppError && e.code === 'validation_failed';
    assert.throws(() => nextRecurrenceDate('2026-01-01', { frequency: 'monthly', every: 0 }), isValidation);
    assert.throws(() => nextRecurrenceDate('2026-01-01', { frequency: 'monthly', every: 1.5 }), isValidation);
    assert.throws(() => nextRecurrenceDate('2026-01-01', { frequency: 'monthly', anchorDay: 32 }), isValidation);
    assert.throws(() => nextRecurrenceDate('2026-01-01', { frequency: 'daily' as 'weekly' }), isValidation);
    assert.throws(() => nextRecurrenceDate('2026-02-30', { frequency: 'weekly' }), isValidation);
  });
});
