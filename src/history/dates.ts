// The History Server writes dates as "2015-02-03T16:42:38.277GMT" (UTC, milliseconds) and accepts the same
// form, or a bare "2015-02-03", in its minEndDate/maxEndDate filters.

const SHS_DATE = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d{1,9})?(GMT|Z|[+-]\d{2}:?\d{2})?$/;

/** Date -> "YYYY-MM-DDTHH:MM:SS.mmmGMT" (milliseconds only, as the original Spot sent). */
export function formatShsDate(date: Date): string {
  return date.toISOString().replace('Z', 'GMT');
}

/** Parses the History Server's date form (and ISO-8601); undefined for empty or malformed values. */
export function parseShsDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  const m = SHS_DATE.exec(value.trim());
  if (m) {
    const frac = (m[3] ?? '.000').slice(0, 4).padEnd(4, '0');
    const zone = !m[4] || m[4] === 'GMT' ? 'Z' : m[4];
    const d = new Date(`${m[1]}T${m[2]}${frac}${zone}`);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The History Server's date form turned into ISO-8601 UTC, as stored in documents; undefined if unparseable. */
export function shsDateToIso(value: unknown): string | undefined {
  return parseShsDate(value)?.toISOString();
}
