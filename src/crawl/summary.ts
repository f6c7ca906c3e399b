import { MAX_REPORTED_ERRORS, type CrawlError, type CrawlEvent, type CrawlSummary } from './types.js';

// The tally both crawls keep (History Server and event logs): one home for what a stored, skipped or failed app
// adds to the summary and which event it sends.

export function emptySummary(): CrawlSummary {
  return {
    listed: 0,
    new: 0,
    skipped: 0,
    failed: 0,
    gaveUp: 0,
    enriched: 0,
    elapsedMs: 0,
    windows: 0,
    errors: [],
    stopped: false,
  };
}

/** Counts one app's outcome (a failure's error among the first MAX_REPORTED_ERRORS) and says so to `onEvent`. */
export function countApp(
  summary: CrawlSummary,
  appId: string,
  outcome: 'new' | 'skipped' | 'failed',
  onEvent: ((e: CrawlEvent) => void) | undefined,
  error?: CrawlError,
): void {
  summary[outcome] += 1;
  if (outcome === 'failed' && error && summary.errors.length < MAX_REPORTED_ERRORS) summary.errors.push(error);
  onEvent?.({ type: 'app', appId, outcome, ...(error ? { error } : {}) });
}
