// How numbers read on a terminal. One place, so that `spot predict`, `spot explain`, `spot runs`, the demo
// and spot-submit's info line say the same size and time the same way. Sizes are binary (KiB, MiB, GiB),
// as Spark itself reads "4g" as 4 GiB.

import { stripVTControlCharacters } from 'node:util';
import { eastAsianWidth } from 'get-east-asian-width';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
export const GIB = 1024 ** 3;

/** 1536 -> "1.5 KiB"; 52 GiB -> "52 GiB" (one decimal below 10 of a unit). */
export function formatBytes(bytes: number): string {
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 && i > 0 ? v.toFixed(1) : v.toFixed(0)} ${BYTE_UNITS[i]}`;
}

/** Whole hours, minutes and seconds of a duration rounded to `unitS` seconds first, so 59.6 s is 1m 00s, never 60s. */
function split(ms: number, unitS: number): { h: number; m: number; s: number } {
  const total = Math.round(ms / 1000 / unitS) * unitS;
  return { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60), s: total % 60 };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A duration under what the seconds would show as more than zero, in milliseconds: a 57 ms run or a 12 ms interval
 * end is not "0s" (which a run whose clocks disagree, stored as 0, reads).
 */
const milliseconds = (ms: number) => (Math.round(ms) === 0 ? '<1' : String(Math.round(ms)));

/**
 * 83 s -> "1m 23s"; 4000 s -> "1h 07m"; 9.5 s -> "9.5 s"; 12 ms -> "12 ms"; 0 -> "0 s". The one way every command,
 * table column and chart writes a duration, so that one run reads the same in `spot runs`, `spot explain`, the demo
 * and the report.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms === 0) return '0 s';
  if (ms > 0 && ms < 50) return `${milliseconds(ms)} ms`;
  if (ms < 9_950) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 59_500) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_599_500) {
    const { m, s } = split(ms, 1);
    return `${m}m ${pad2(s)}s`;
  }
  const { h, m } = split(ms, 60);
  return `${h}h ${pad2(m)}m`;
}

/**
 * Two durations compared in words, as explain's table writes them ("1m 02s", "58 s"), with decimals of a second only
 * where the two would read alike ("57.7 s ≤ 58.4 s").
 */
export function durationsApart(a: number, b: number): [string, string] {
  if (formatDuration(a) !== formatDuration(b)) return [formatDuration(a), formatDuration(b)];
  const digits = Math.max(1, decimalsApart(a / 1000, b / 1000));
  return [`${(a / 1000).toFixed(digits)} s`, `${(b / 1000).toFixed(digits)} s`];
}

/** Node's error codes for a path, in words: "ENOENT" says nothing to most people who mistyped a file name. */
const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of its path is not a folder',
  ELOOP: 'too many symbolic links',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

/**
 * Why a file could not be read or written, as every command words it after "cannot read PATH: ". `createdIn`: the
 * folder of a file being created, which ENOENT then means is not there.
 */
export function fileProblem(err: unknown, opts: { createdIn?: string } = {}): string {
  const e = err as NodeJS.ErrnoException | undefined;
  if (e?.code === 'ENOENT' && opts.createdIn !== undefined) return `no such folder: ${opts.createdIn}`;
  return (e?.code && FILE_PROBLEMS[e.code]) ?? e?.code ?? (err instanceof Error ? err.message : String(err));
}

/**
 * A share in percent with `digits` decimals. One that is not 0 or 1 never rounds to either ("<0.1%", ">99.9%";
 * "<1%", ">99%"): a job that used 0.04% of the core-hours is not one that used none.
 */
function sharePercent(x: number, digits: 0 | 1): string {
  const least = digits === 0 ? 1 : 0.1;
  const half = least / 200;
  if (x > 0 && x < half) return `<${least}%`;
  if (x < 1 && x >= 1 - half) return `>${100 - least}%`;
  return digits === 0 ? `${Math.round(x * 100)}%` : `${(100 * x).toFixed(1)}%`;
}

/** 0.123 -> "12.3%"; 0.0004 -> "<0.1%". */
export function formatPercent(x: number): string {
  return sharePercent(x, 1);
}

/**
 * A share as a whole percent: 0.129 -> "13%"; 0.003 -> "<1%": "only 0% of the allocated core time ran tasks" reads
 * as no task at all, of a run whose tasks did run.
 */
export function wholePercent(x: number): string {
  return sharePercent(x, 0);
}

/**
 * A count with thousands separators (1,234,567), as toLocaleString('en-US') writes integers, without loading
 * the locale data it costs on first use (tens of milliseconds a report would spend on one number).
 */
export function thousands(n: number): string {
  if (!Number.isInteger(n)) return n.toLocaleString('en-US');
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** 1 -> "1 executor", 4 -> "4 executors", 1234 -> "1,234 runs"; `many` for irregular plurals. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}

// App names, ids and error messages come from Spark apps and History Servers: a name holding terminal
// escape sequences could rewrite what the user sees, and control characters are not allowed in XML. Unicode's
// bidirectional overrides and isolates (U+202A-E, U+2066-9) reorder the rest of a terminal line the same way.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// Characters XML 1.0 forbids even escaped: C0 controls other than tab and newline, and unpaired surrogates.
// eslint-disable-next-line no-control-regex
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** An app-supplied string as one safe line for a terminal: escape sequences dropped, other controls as spaces. */
export function printable(text: string): string {
  return stripVTControlCharacters(text).replace(CONTROL, ' ');
}

// Terminal cells. A user-perceived character (grapheme cluster) takes its first code point's cells: 2 for East
// Asian Wide and Fullwidth (CJK, Hangul, most emoji), else 1 (Ambiguous as narrow, UAX #11's advice where the
// context is unknown); an emoji sequence (a pictograph with VS16 or a zero-width joiner, a flag) takes 2, and
// combining marks or format characters standing alone take none.
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;
const EMOJI_SEQUENCE = /^(\p{Extended_Pictographic}.*[\uFE0F\u200D]|\p{Regional_Indicator}{2})/u;

function clusterCells(cluster: string): number {
  if (ZERO_WIDTH.test(cluster)) return 0;
  if (EMOJI_SEQUENCE.test(cluster)) return 2;
  return eastAsianWidth(cluster.codePointAt(0) ?? 0, { ambiguousAsWide: false });
}

/** The terminal cells `text` takes: "日本" is 4, "é" (e and a combining accent) is 1. */
export function displayWidth(text: string): number {
  let cells = 0;
  for (const { segment } of GRAPHEMES.segment(text)) cells += clusterCells(segment);
  return cells;
}

/** `text` in at most `width` terminal cells: cut between characters, ending in "…" when cut. */
export function clipToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let kept = '';
  let cells = 0;
  for (const { segment } of GRAPHEMES.segment(text)) {
    const w = clusterCells(segment);
    if (cells + w > width - 1) break;
    kept += segment;
    cells += w;
  }
  return `${kept}…`;
}

/** Text that is valid inside an XML (SVG) document once `<`, `>`, `&` and quotes are escaped. */
export function xmlText(text: string): string {
  return stripVTControlCharacters(text).replace(NOT_XML, '');
}

/** Escapes text for an XML element or a double-quoted attribute, dropping characters XML forbids. */
export function escapeXml(text: string): string {
  return xmlText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Decimals that print `value` apart from `limit` it was compared with (up to 3): "80.4 s exceeds 80 s", not
 * "80 s exceeds 80 s".
 */
export function decimalsApart(value: number, limit: number, from = 0): number {
  let digits = from;
  while (digits < 3 && value.toFixed(digits) === limit.toFixed(digits)) digits++;
  return digits;
}
