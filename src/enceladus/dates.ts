// Menas writes timestamps as "03-10-2022 12:56:49 +0000", "2022-10-03 12:56:49 +0000", or either without
// the zone (then Menas' configured default zone applies). Single-digit days and months occur ("23-3-2020").

const DMY = /^(\d{1,2})-(\d{1,2})-(\d{4})[ T](\d{1,2}):(\d{2}):(\d{2})(?:\s*([+-]\d{2}):?(\d{2}))?$/;
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2})(?:\s*([+-]\d{2}):?(\d{2}))?$/;

/** Offset of `timeZone` from UTC at the given instant, in minutes (e.g. +120 for Europe/Prague in summer). */
function zoneOffsetMinutes(timeZone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

/** ISO-8601 UTC, or undefined when the text fits no Menas format (or names an unknown zone). */
export function parseMenasDate(text: unknown, defaultTimezone = 'UTC'): string | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  let f: string[] | undefined;
  const dmy = DMY.exec(t);
  const ymd = dmy ? null : YMD.exec(t);
  if (dmy) f = [dmy[3]!, dmy[2]!, dmy[1]!, dmy[4]!, dmy[5]!, dmy[6]!, dmy[7] ?? '', dmy[8] ?? ''];
  else if (ymd) f = [ymd[1]!, ymd[2]!, ymd[3]!, ymd[4]!, ymd[5]!, ymd[6]!, ymd[7] ?? '', ymd[8] ?? ''];
  if (!f) return undefined;
  const [y, mo, d, h, mi, s] = f.slice(0, 6).map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  let offset: number;
  if (f[6]) {
    const sign = f[6].startsWith('-') ? -1 : 1;
    offset = sign * (Math.abs(Number(f[6])) * 60 + Number(f[7]));
  } else {
    try {
      // Twice, so that a wall time near a DST change gets the offset in force at that instant.
      offset = zoneOffsetMinutes(defaultTimezone, wall);
      offset = zoneOffsetMinutes(defaultTimezone, wall - offset * 60000);
    } catch {
      return undefined;
    }
  }
  return new Date(wall - offset * 60000).toISOString();
}
