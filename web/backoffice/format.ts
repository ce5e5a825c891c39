/** A timestamp ("2026-03-15T10:30:00Z") → "15 Mar 2026, 10:30", in the organization's locale and time zone. */
export function formatDateTime(iso: string | null | undefined, locale: string, timeZone: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** A timestamp → its calendar day ("15 Mar 2026") in the organization's time zone. */
export function formatDay(iso: string | null | undefined, locale: string, timeZone: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(iso));
}

/** Minutes → hours in the locale ("1.5", "1,5"), to two decimals: what a timesheet shows. */
export function formatHours(minutes: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(minutes / 60);
}
