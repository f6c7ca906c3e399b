import type { MenasClient } from '../enceladus/menas-client.js';
import type { AggDoc, AppAttempt, RawDoc, RunRecord } from '../types.js';
import { buildAggDocs } from './agg.js';
import type { Redactor } from './redact.js';
import { buildRawDoc } from './raw.js';
import { toRunRecord } from './record.js';

// The one entry point of the documents phase: the attempts of one app in, its stored documents out.

export interface BuildContext {
  historyHost: string;
  now: Date;
  menas?: MenasClient;
  appKeyPattern?: string;
  defaultTimezone?: string;
  warn?: (message: string) => void;
  /** Which property names hold secrets (config `redaction.patterns`); Spot's defaults when not given. */
  redactor?: Redactor;
}

export class DocumentError extends Error {
  constructor(message: string, readonly stage: 'raw' | 'aggregations', override readonly cause?: unknown) {
    super(message);
    this.name = 'DocumentError';
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Raw document, one aggregated document per attempt, and one run record per final attempt.
 * `attempts` are all attempts of one app, newest first (as the History Server lists them).
 * Throws DocumentError with stage 'raw' (cleaning, Menas) or 'aggregations' (aggregations, records).
 */
export async function buildDocuments(
  attempts: AppAttempt[],
  ctx: BuildContext,
): Promise<{ raw: RawDoc; aggs: AggDoc[]; records: RunRecord[] }> {
  const warn = ctx.warn ?? (() => {});
  let raw: RawDoc;
  try {
    raw = await buildRawDoc(attempts, ctx);
  } catch (err) {
    throw new DocumentError(`raw document: ${messageOf(err)}`, 'raw', err);
  }
  try {
    const tz = ctx.defaultTimezone ?? ctx.menas?.defaultTimezone ?? 'UTC';
    const aggs = buildAggDocs(raw, warn, tz);
    const records = aggs.filter((a) => a.isFinalAttempt).map((a) => toRunRecord(a, { appKeyPattern: ctx.appKeyPattern }));
    return { raw, aggs, records };
  } catch (err) {
    throw new DocumentError(`aggregations: ${messageOf(err)}`, 'aggregations', err);
  }
}
