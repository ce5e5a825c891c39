/**
 * When a recurring invoice profile next produces an invoice.
 *
 * Monthly schedules remember the day of the month they started on (the anchor): a profile started on
 * Jan 31 runs Feb 28 (29 in leap years), then Mar 31 again — computing each date from the previous one
 * alone would drift to the 28th forever.
 */
import { addDays, addMonths, assertDate, type CalendarDate } from './dates.js';
import { invalid } from './errors.js';

export type Frequency = 'weekly' | 'monthly' | 'quarterly' | 'yearly';

export interface RecurrenceRule {
  frequency: Frequency;
  /** Every N weeks/months/quarters/years; default 1. */
  every?: number;
  /** Day of month the schedule keeps to (1–31), normally the start date's day; default `date`'s day. */
  anchorDay?: number;
}

const MONTHS_PER_PERIOD: Record<Exclude<Frequency, 'weekly'>, number> = { monthly: 1, quarterly: 3, yearly: 12 };

/** The occurrence after `date`. */
export function nextRecurrenceDate(date: CalendarDate, rule: RecurrenceRule): CalendarDate {
  assertDate(date, '/date');
  const every = rule.every ?? 1;
  if (!Number.isSafeInteger(every) || every < 1 || every > 1000) {
    throw invalid('/every', 'Must be a whole number from 1 to 1000.');
  }
  if (
    rule.anchorDay !== undefined &&
    (!Number.isInteger(rule.anchorDay) || rule.anchorDay < 1 || rule.anchorDay > 31)
  ) {
    throw invalid('/anchorDay', 'Must be a day of the month, 1 to 31.');
  }
  if (rule.frequency === 'weekly') return addDays(date, 7 * every);
  const months = MONTHS_PER_PERIOD[rule.frequency];
  if (months === undefined) throw invalid('/frequency', 'Must be weekly, monthly, quarterly or yearly.');
  return addMonths(date, months * every, rule.anchorDay);
}
