import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parseBytes } from '../documents/units.js';
import type { RunRecord } from '../types.js';
import { UserFacingError, type CliContext } from './context.js';

// `spot import FILE`: run records as JSON lines, for migrating history from other tools and for
// evaluation. All or nothing: one bad line and nothing is stored, so a fixed file can simply be re-run.
// Ids are derived from the line's content when missing, which makes re-importing idempotent.

const count = z.number().int().positive();
/** Bytes as a number, or spark-submit's size string ("16g"; a bare "4096" is MiB, as Spark reads it). */
const bytes = z.union([z.number().positive(), z.string()]).transform((v, c) => {
  if (typeof v === 'number') return Math.round(v);
  const b = parseBytes(v, 'm');
  if (b === undefined) {
    c.addIssue({ code: 'custom', message: `not a size: '${v}'` });
    return z.NEVER;
  }
  return b;
});

const lineSchema = z
  .object({
    id: z.string().min(1).optional(),
    app: z.string().min(1),
    inputBytes: z.number().nonnegative(),
    executors: count,
    executorCores: count,
    executorMemoryBytes: bytes.optional(),
    durationMs: z.number().positive(),
    succeeded: z.boolean(),
    endTime: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'not a date (use ISO-8601, e.g. 2024-01-31T12:00:00Z)'),
    shufflePartitions: count.optional(),
    dynamicAllocation: z.boolean().optional(),
    adaptiveExecution: z.boolean().optional(),
    appName: z.string().optional(),
    appId: z.string().optional(),
    coreMs: z.number().nonnegative().optional(),
    peakExecutorMemoryBytes: z.number().nonnegative().optional(),
    shuffleWriteBytes: z.number().nonnegative().optional(),
  })
  .strict();

type Line = z.infer<typeof lineSchema>;

/** Deterministic id from the run's fields (keys sorted), so the same line always gets the same id. */
export function derivedId(line: Omit<Line, 'id'>): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(line).sort(([a], [b]) => a.localeCompare(b))));
  return `import-${createHash('sha256').update(canonical).digest('hex').slice(0, 20)}`;
}

function toRecord(line: Line): RunRecord {
  const { id, ...fields } = line;
  return { ...fields, id: id ?? derivedId(fields), endTime: new Date(line.endTime).toISOString(), source: 'import' };
}

function describeIssue(e: z.ZodError): string {
  const i = e.issues[0]!;
  const where = i.path.length ? `${i.path.join('.')}: ` : '';
  if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`;
  return `${where}${i.message}`;
}

/** Parses the whole file; returns the records or the line errors (1-based line numbers). */
export function parseRunLines(text: string): { records: RunRecord[]; errors: string[] } {
  const records: RunRecord[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      errors.push(`line ${i + 1}: not valid JSON (${(e as Error).message})`);
      return;
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) errors.push(`line ${i + 1}: ${describeIssue(parsed.error)}`);
    else records.push(toRecord(parsed.data));
  });
  return { records, errors };
}

export async function runImport(opts: { args?: string[] }, ctx: CliContext): Promise<number> {
  const file = opts.args?.[0];
  if (!file) throw new UserFacingError('spot import needs a file of JSON lines', 2);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UserFacingError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const { records, errors } = parseRunLines(text);
  if (errors.length) {
    for (const e of errors.slice(0, 20)) ctx.err.write(`${file}: ${e}\n`);
    if (errors.length > 20) ctx.err.write(`${file}: … and ${errors.length - 20} more bad lines\n`);
    throw new UserFacingError(`nothing imported: ${errors.length} bad line${errors.length === 1 ? '' : 's'} in ${file}`);
  }
  const store = await ctx.store();
  await store.putRecords(records);
  const perApp = new Map<string, number>();
  for (const r of records) perApp.set(r.app, (perApp.get(r.app) ?? 0) + 1);
  const list = [...perApp].sort(([a], [b]) => a.localeCompare(b)).map(([app, n]) => `${app} ${n}`);
  ctx.out.write(`imported ${records.length} run${records.length === 1 ? '' : 's'}${list.length ? `: ${list.join(', ')}` : ''}\n`);
  return 0;
}
