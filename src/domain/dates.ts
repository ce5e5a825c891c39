/**
 * Calendar dates as 'YYYY-MM-DD' strings — the organization's local dates, with no time and no zone, so
 * "due 2026-03-31" means the same day to everyone. Arithmetic uses day numbers (days since 1970-01-01)
 * computed with integer civil-calendar formulas, free of Date's time-zone and two-digit-year quirks.
 */
import { invalid } from './errors.js';

export type CalendarDate = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses a real calendar date ('2026-02-30' is refused), or returns null. */
export function parseDateParts(text: unknown): DateParts | null {
  if (typeof text !== 'string') return null;
  const match = DATE_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export const isValidDate = (text: unknown): text is CalendarDate => parseDateParts(text) !== null;

export function assertDate(text: unknown, path: string): asserts text is CalendarDate {
  if (!isValidDate(text)) throw invalid(path, 'Must be a calendar date written YYYY-MM-DD.');
}

function partsOf(date: CalendarDate): DateParts {
  const parts = parseDateParts(date);
  if (!parts) throw new RangeError(`Not a calendar date: ${String(date)}`);
  return parts;
}

export function formatDate({ year, month, day }: DateParts): CalendarDate {
  const pad = (value: number, width: number) => value.toString().padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar. */
export function dayNumber(date: CalendarDate): number {
  const { year, month, day } = partsOf(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The inverse of dayNumber. */
export function dateFromDayNumber(days: number): CalendarDate {
  const shifted = days + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return formatDate({ year, month, day });
}

export const addDays = (date: CalendarDate, days: number): CalendarDate => dateFromDayNumber(dayNumber(date) + days);

/** Days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: CalendarDate, to: CalendarDate): number => dayNumber(to) - dayNumber(from);

/**
 * Moves by whole months, landing on `anchorDay` (default: the date's own day) or on the month's last
 * day when the month is shorter — Jan 31 + 1 month is Feb 28 (or 29), and with anchor 31 the month
 * after is Mar 31 again.
 */
export function addMonths(date: CalendarDate, months: number, anchorDay?: number): CalendarDate {
  const { year, month, day } = partsOf(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const wanted = anchorDay ?? day;
  return formatDate({
    year: targetYear,
    month: targetMonth,
    day: Math.min(wanted, daysInMonth(targetYear, targetMonth)),
  });
}

/** Negative, zero or positive as `a` is before, on or after `b`. Valid dates compare as strings. */
export const compareDates = (a: CalendarDate, b: CalendarDate): number => (a < b ? -1 : a > b ? 1 : 0);

export function startOfMonth(date: CalendarDate): CalendarDate {
  const { year, month } = partsOf(date);
  return formatDate({ year, month, day: 1 });
}

export function endOfMonth(date: CalendarDate): CalendarDate {
  const { year, month } = partsOf(date);
  return formatDate({ year, month, day: daysInMonth(year, month) });
}

/** Whether this runtime knows the IANA time zone (e.g. "Europe/Paris"): todayIn can judge dates in it. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Per time zone (at most the few hundred IANA zones): its formatter, and the date of the last whole second asked
 * for. Building a formatter costs more than most of a portal request's queries, and a calendar date cannot change
 * within one whole second.
 */
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const lastToday = new Map<string, { second: number; today: CalendarDate }>();

/** The calendar date it is at instant `now` in an IANA time zone (the organization's "today"). */
export function todayIn(timeZone: string, now: Date): CalendarDate {
  const second = Math.floor(now.getTime() / 1000);
  const kept = lastToday.get(timeZone);
  if (kept?.second === second) return kept.today;
  let formatter = dateFormatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw invalid('/timeZone', `Unknown time zone "${timeZone}".`);
    }
    dateFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const today = formatDate({ year: part('year'), month: part('month'), day: part('day') });
  lastToday.set(timeZone, { second, today });
  return today;
}
