// Dates as people write them: JavaScript's Date turns a day that does not exist into a later one (2025-02-30 is
// 2 March), so a date written by hand is checked against the calendar before it is read.

/** Whether the YYYY-MM-DD at the start of `text` names a day that exists. */
export function isCalendarDay(text: string): boolean {
  const [y, m, d] = text.trim().slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

/** An ISO date or date-time as people write them: `2024-01-31`, `2024-01-31T12:00`, `…:00.5Z`, `… 12:00+02:00`. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The instant an ISO date names, epoch ms, or undefined when it is no ISO date or no day that exists. A time
 * written without a zone is UTC, as a date alone is: JavaScript would read it in this machine's zone, so the same
 * text would name another instant on another machine.
 */
export function isoInstant(value: string): number | undefined {
  const text = value.trim();
  const m = ISO_DATE.exec(text);
  if (!m || !isCalendarDay(text)) return undefined;
  const t = text.replace(' ', 'T');
  const ms = Date.parse(!m[1] && t.includes('T') ? `${t}Z` : t);
  return Number.isFinite(ms) ? ms : undefined;
}
