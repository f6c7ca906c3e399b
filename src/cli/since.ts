import { isCalendarDay } from '../common/calendar.js';
import { UsageError } from './context.js';

// --since, read by `spot crawl` and `spot report`: its own module, so a report does not load the crawl's
// History Server client to parse a date.

/**
 * An ISO date or date-time; one without a zone is UTC (the original Spot read it as local time). A date after `now`
 * is a usage error: no app has ended since then, and a crawl would list nothing without a word (a mistyped year).
 */
export function parseSince(value: string, now = new Date()): Date {
  const m = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  const text = m && !m[1] && value.includes(':') ? `${value.trim().replace(' ', 'T')}Z` : value.trim();
  const date = m ? new Date(text) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !isCalendarDay(value)) {
    throw new UsageError(`--since must be an ISO date like 2024-01-31 or 2024-01-31T12:00:00Z, got '${value}'`);
  }
  if (date > now) throw new UsageError(`--since ${value} is in the future: no app has ended since then`);
  return date;
}
