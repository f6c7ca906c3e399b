import type { Advice, AdviceOutcome } from '../types.js';
import { StoreError } from './errors.js';

// Small rules both store implementations must apply identically, kept here so the contract suite
// checks one behaviour rather than two copies of it.

/** Epoch milliseconds of an ISO-8601 date; a document without a usable date cannot be ordered, so it is refused. */
export function epochMs(iso: string | undefined, what: string): number {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso);
  if (!Number.isFinite(ms)) throw new StoreError(`${what} is not a date: ${JSON.stringify(iso)}`);
  return ms;
}

/** Later outcome fields win; fields the caller leaves undefined keep what an earlier link recorded. */
export function mergeOutcome(advice: Advice, outcome: AdviceOutcome): Advice {
  const merged: AdviceOutcome = { ...(advice.outcome ?? {}) };
  for (const [k, v] of Object.entries(outcome) as [keyof AdviceOutcome, AdviceOutcome[keyof AdviceOutcome]][]) {
    if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  }
  return { ...advice, outcome: merged };
}

export const DEFAULT_QUERY_LIMIT = 50;

/** Fitted models kept per job (submit/model-cache.ts): enough for the input sizes a recurring job is launched with. */
export const MODELS_PER_JOB = 8;

/**
 * Ids of YARN scheduler documents: the ResourceManager host, the poll time and the document's place within its poll,
 * so that storing a poll again (or copying several polls at once) keeps one copy of each.
 */
export function schedulerIds(docs: { spot: { yarn_host: string; time_processed: string } }[]): string[] {
  const seen = new Map<string, number>();
  return docs.map((d) => {
    const t = epochMs(d.spot.time_processed, 'spot.time_processed of a YARN scheduler document');
    const poll = `${d.spot.yarn_host}-${t}`;
    const i = seen.get(poll) ?? 0;
    seen.set(poll, i + 1);
    return `${poll}-${i}`;
  });
}
