import { divideRoundHalfUp, formatDecimal } from '../../domain/decimal.js';
import { invalid } from '../../domain/errors.js';

/** One entry is one day's work on a task at most. */
export const MAX_ENTRY_MINUTES = 24 * 60;

const DECIMAL_HOURS = /^(\d{1,2})(?:\.(\d{1,2}))?$/;
const CLOCK_HOURS = /^(\d{1,2}):([0-5]\d)$/;

/**
 * "1.5" or "1:30" → 90 minutes. Decimal hours are rounded half-up to the minute ("0.01" h is 0.6 min → 1),
 * since time is stored as whole minutes.
 */
export function minutesFromHours(text: string, path: string): number {
  let minutes: number;
  const clock = CLOCK_HOURS.exec(text);
  const decimal = DECIMAL_HOURS.exec(text);
  if (clock) {
    minutes = Number(clock[1]) * 60 + Number(clock[2]);
  } else if (decimal) {
    const hundredths = BigInt(`${decimal[1]}${(decimal[2] ?? '').padEnd(2, '0')}`);
    minutes = Number(divideRoundHalfUp(hundredths * 60n, 100n));
  } else {
    throw invalid(path, 'Must be hours like "1.5" or "1:30".');
  }
  if (minutes < 1) throw invalid(path, 'Must be at least one minute.');
  if (minutes > MAX_ENTRY_MINUTES) throw invalid(path, 'Must be at most 24 hours.');
  return minutes;
}

/** Minutes as decimal hours with up to 4 decimals (20 min → "0.3333"): the quantity an invoice line bills. */
export function hoursOfMinutes(minutes: number): string {
  return formatDecimal({ units: divideRoundHalfUp(BigInt(minutes) * 10_000n, 60n), scale: 4 });
}
