import { createHash } from 'node:crypto';
import { z } from 'zod';
import { inputSizeProblem, parseBytes, parseInputSize } from '../common/units.js';
import { isoInstant } from '../common/calendar.js';
import { nearest } from '../common/nearest.js';
import { firstPerPath, issueAt } from '../common/zod-issue.js';
import type { RunRecord } from '../types.js';

// One line of `spot import`: a run record as JSON, checked field by field. Ids are derived from the line's
// content when missing, which makes re-importing idempotent.

/** Past this a number is no longer exact (2^53: 8 PiB as bytes); no measure of a Spark run comes near it. */
const MAX_EXACT = Number.MAX_SAFE_INTEGER;
const count = z.number().int().positive().max(1_000_000);
const measure = z.number().nonnegative().max(MAX_EXACT);
/** A batch run of more than a year is a unit mistake (seconds or microseconds for ms), not a run. */
const MAX_DURATION_MS = 366 * 86_400_000;

/**
 * Bytes as a number, or spark-submit's size string ("16g"; a bare "4096" is MiB, as Spark reads it); above zero in
 * every form.
 */
const bytes = z.union([z.number(), z.string()]).transform((v, c) => {
  const b = typeof v === 'number' ? (Number.isFinite(v) ? Math.round(v) : undefined) : parseBytes(v, 'm');
  if (b === undefined) {
    c.addIssue({ code: 'custom', message: `not a size: '${v}'` });
    return z.NEVER;
  }
  if (b <= 0) {
    c.addIssue({ code: 'custom', message: `must be above zero, got '${v}'` });
    return z.NEVER;
  }
  return b;
});

/** An input size as spot-submit's --spot-input-bytes takes it: bytes, or a size such as "50g" or "50GiB"; 0 allowed. */
const inputSize = z.union([z.number().nonnegative(), z.string()]).transform((v, c) => {
  const b = typeof v === 'number' ? v : parseInputSize(v);
  if (b === undefined || b < 0 || b > MAX_EXACT) {
    const tooLarge = typeof v === 'number' ? v > MAX_EXACT : inputSizeProblem(v) !== 'is not a size';
    const why = tooLarge ? ' (at most 8 PiB)' : '';
    c.addIssue({ code: 'custom', message: `not a size${why}: '${v}'` });
    return z.NEVER;
  }
  return b;
});

/** Spark runs end after Spark 1.0 (2014) and not in the future; a day of slack for clocks. */
const EARLIEST_END = Date.UTC(2014, 0, 1);

function endTime(now: Date) {
  return z.string().superRefine((s, c) => {
    // A time without a zone is UTC (as `--since` reads it): one file imports at the same instants anywhere.
    const ms = isoInstant(s);
    if (ms === undefined)
      c.addIssue({ code: 'custom', message: 'not a date (use ISO-8601, e.g. 2024-01-31T12:00:00Z)' });
    else if (ms < EARLIEST_END || ms > now.getTime() + 86_400_000) {
      c.addIssue({ code: 'custom', message: `implausible date '${s}' (before 2014 or in the future)` });
    }
  });
}

function lineSchema(now: Date) {
  return z
    .object({
      id: z.string().min(1).optional(),
      app: z.string().min(1),
      inputBytes: inputSize,
      executors: count,
      executorCores: count,
      executorMemoryBytes: bytes.optional(),
      durationMs: z.number().positive().max(MAX_DURATION_MS, 'must be at most a year in ms (is it in seconds?)'),
      succeeded: z.boolean(),
      endTime: endTime(now),
      shufflePartitions: count.optional(),
      dynamicAllocation: z.boolean().optional(),
      adaptiveExecution: z.boolean().optional(),
      appName: z.string().optional(),
      appId: z.string().optional(),
      coreMs: measure.optional(),
      peakExecutorMemoryBytes: measure.optional(),
      shuffleWriteBytes: measure.optional(),
      memoryBytesSpilled: measure.optional(),
      diskBytesSpilled: measure.optional(),
      jvmGcTimeMs: measure.optional(),
      executorRunTimeMs: measure.optional(),
    })
    .strict();
}

type Line = z.infer<ReturnType<typeof lineSchema>>;

/** Deterministic id from the run's fields (keys sorted), so the same line always gets the same id. */
export function derivedId(line: Omit<Line, 'id'>): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(line).sort(([a], [b]) => a.localeCompare(b))));
  return `import-${createHash('sha256').update(canonical).digest('hex').slice(0, 20)}`;
}

function toRecord(line: Line): RunRecord {
  const { id, ...fields } = line;
  return {
    ...fields,
    id: id ?? derivedId(fields),
    endTime: new Date(isoInstant(line.endTime)!).toISOString(),
    source: 'import',
  };
}

/** Every problem of a line at once, so that one edit fixes it; an unknown field names the one it is likely meant as. */
const describeIssues = (e: z.ZodError, json: unknown, fields: readonly string[]): string =>
  firstPerPath(e.issues)
    .map((i) => issueAt(i, json) + meant(i, fields))
    .join('; ');

/** " (did you mean 'inputBytes'?)" for an unknown field one slip from a known one (`inputbytes`), else nothing. */
function meant(issue: z.core.$ZodIssue, fields: readonly string[]): string {
  if (issue.code !== 'unrecognized_keys' || issue.path.length > 0) return '';
  const near = issue.keys.flatMap((k) => {
    const n = nearest(k, fields);
    return n === undefined ? [] : [issue.keys.length === 1 ? `'${n}'` : `'${n}' for '${k}'`];
  });
  return near.length ? ` (did you mean ${near.join(', ')}?)` : '';
}

export type ParsedLine = { record: RunRecord } | { error: string } | { blank: true };

/** A parser of import lines; `now` bounds plausible end dates. */
export function lineParser(now: Date = new Date()): (raw: string) => ParsedLine {
  const schema = lineSchema(now);
  const fields = Object.keys(schema.shape);
  return (raw) => {
    if (raw.trim() === '') return { blank: true };
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      return { error: `not valid JSON (${(e as Error).message})` };
    }
    const parsed = schema.safeParse(json);
    return parsed.success ? { record: toRecord(parsed.data) } : { error: describeIssues(parsed.error, json, fields) };
  };
}

/** Parses a whole text at once; returns the records or the line errors (1-based line numbers). */
export function parseRunLines(text: string, now?: Date): { records: RunRecord[]; errors: string[] } {
  const parse = lineParser(now);
  const records: RunRecord[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const p = parse(raw);
    if ('error' in p) errors.push(`line ${i + 1}: ${p.error}`);
    else if ('record' in p) records.push(p.record);
  });
  return { records, errors };
}
