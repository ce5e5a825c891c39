import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  assertDate,
  dateFromDayNumber,
  dayNumber,
  daysBetween,
  endOfMonth,
  isTimeZone,
  isValidDate,
  todayIn,
} from '../../src/domain/dates.js';
import { AppError } from '../../src/domain/errors.js';

describe('calendar dates', () => {
  test('only real dates in YYYY-MM-DD', () => {
    for (const good of ['2026-01-31', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) {
      assert.ok(isValidDate(good), good);
    }
    for (const bad of [
      '2026-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-1-1',
      '2026-01-01T00:00',
      ' 2026-01-01',
      '0000-01-01',
      20260101,
    ]) {
      assert.ok(!isValidDate(bad), String(bad));
    }
    assert.throws(
      () => assertDate('2026-02-30', '/dueDate'),
      (e: unknown) => e instanceof AppError && e.errors[0]?.path === '/dueDate',
    );
  });

  test('day numbers agree with Date.UTC and round-trip', () => {
    assert.equal(dayNumber('1970-01-01'), 0);
    fc.assert(
      fc.property(fc.integer({ min: -700_000, max: 2_900_000 }), (days) => {
        const date = dateFromDayNumber(days);
        assert.ok(isValidDate(date), date);
        assert.equal(dayNumber(date), days);
        if (date >= '1000-01-01') assert.equal(new Date(days * 86_400_000).toISOString().slice(0, 10), date);
      }),
    );
  });

  test('day and month arithmetic', () => {
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2025-12-31', 1), '2026-01-01');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
    assert.equal(daysBetween('2026-01-01', '2026-03-01'), 59);
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
    assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
    assert.equal(addMonths('2026-02-28', 1, 31), '2026-03-31');
    assert.equal(addMonths('2026-03-15', -3), '2025-12-15');
    assert.equal(endOfMonth('2026-04-10'), '2026-04-30');
  });

  test('todayIn: the calendar date in the organization time zone', () => {
    const instant = new Date('2026-03-01T02:30:00Z');
    assert.equal(todayIn('UTC', instant), '2026-03-01');
    assert.equal(todayIn('America/New_York', instant), '2026-02-28');
    assert.equal(todayIn('Pacific/Kiritimati', new Date('2026-12-31T11:00:00Z')), '2027-01-01');
    assert.throws(() => todayIn('Mars/Olympus_Mons', instant), AppError);
  });

  test('isTimeZone: IANA zones this runtime knows', () => {
    for (const zone of ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata']) assert.ok(isTimeZone(zone), zone);
    for (const zone of ['Mars/Olympus_Mons', 'Europe/Nowhere', '']) assert.equal(isTimeZone(zone), false, zone);
  });
});
