// Dates as people write them: JavaScript's Date turns a day that does not exist into a later one (2025-02-30 is
// 2 March), so a date written by hand is checked against the calendar before it is read.

/** Whether the YYYY-MM-DD at the start of `text` names a day that exists. */
export function isCalendarDay(text: string): boolean {
  const [y, m, d] = text.trim().slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}
