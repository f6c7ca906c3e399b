import type { AggDoc, AppAttempt, RawDoc, RunRecord } from '../types.js';
import { buildAggDocs } from './agg.js';
import { buildRawDoc, type RawContext } from './raw.js';
import { toRunRecord } from './record.js';

// The crawl reads the advice id of what it built to link the run to its advice; the property is read in one place.
export { adviceIdOf } from './record.js';

// The one entry point of the documents phase: the attempts of one app in, its stored documents out.
// Synchronous and pure: the crawl fetches (History Server, Menas) before, and stores after.

export interface BuildContext extends RawContext {
  appKeyPattern?: string;
}

export class DocumentError extends Error {
  constructor(
    message: string,
    readonly stage: 'raw' | 'aggregations',
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'DocumentError';
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export interface Built {
  raw: RawDoc;
  aggs: AggDoc[];
  records: RunRecord[];
}

/**
 * Raw document, one aggregated document per attempt, and one run record per final attempt that has ended.
 * `attempts` are all attempts of one app, newest first (as the History Server lists them).
 * Throws DocumentError with stage 'raw' (cleaning, matching Menas runs) or 'aggregations' (aggregations, records).
 */
export function buildDocuments(attempts: AppAttempt[], ctx: BuildContext): Built {
  const warn = ctx.warn ?? (() => {});
  let raw: RawDoc;
  try {
    raw = buildRawDoc(attempts, ctx);
  } catch (err) {
    throw new DocumentError(`raw document: ${messageOf(err)}`, 'raw', err);
  }
  try {
    const aggs = buildAggDocs(raw, warn, ctx.defaultTimezone ?? 'UTC');
    // An attempt that has not ended (a log read with --include-in-progress) is no run yet: its record would say
    // it failed in 0 s and ended in 1969. Its documents are kept; the crawl that reads its finished log adds it.
    const records = aggs
      .filter((a) => a.isFinalAttempt && a.attempt.completed !== false)
      .map((a) => toRunRecord(a, { appKeyPattern: ctx.appKeyPattern }));
    return { raw, aggs, records };
  } catch (err) {
    throw new DocumentError(`aggregations: ${messageOf(err)}`, 'aggregations', err);
  }
}
