import type { MonitorStore, SourceActivity } from '../store/yarn.js';

// Crawl monitoring, as the original's Kibana alerts did it: a source (History Server or ResourceManager host)
// is unhealthy when it has stored nothing for longer than monitor.staleHours, or when it has more error
// documents in the last day than monitor.maxErrors. Returns coded problems with their numbers; the CLI words them.

const ERROR_WINDOW_HOURS = 24;
const HOUR_MS = 3_600_000;

export type Problem =
  | { code: 'never_stored' }
  | { code: 'stale'; hours: number; limitHours: number }
  | { code: 'too_many_errors'; errors: number; limit: number };

export interface SourceHealth extends SourceActivity {
  /** Hours since the crawler last stored something from this source. */
  hoursSinceProcessed?: number;
  /** Error documents in the last ERROR_WINDOW_HOURS. */
  errorCount: number;
  problems: Problem[];
}

export interface StatusReport {
  now: string;
  staleHours: number;
  maxErrors: number;
  errorWindowHours: number;
  sources: SourceHealth[];
  healthy: boolean;
}

export interface StatusOptions {
  now: Date;
  staleHours: number;
  maxErrors: number;
  /** Sources the configuration names: listed even when nothing was ever stored from them. */
  expected: { kind: SourceActivity['kind']; host: string }[];
}

export async function crawlStatus(store: MonitorStore, opts: StatusOptions): Promise<StatusReport> {
  const activity = await store.sourceActivity(new Date(opts.now.getTime() - ERROR_WINDOW_HOURS * HOUR_MS));
  for (const e of opts.expected) {
    if (!activity.some((a) => a.kind === e.kind && a.host === e.host))
      activity.push({ kind: e.kind, host: e.host, errors: {} });
  }
  const sources = activity.map((a) => health(a, opts));
  return {
    now: opts.now.toISOString(),
    staleHours: opts.staleHours,
    maxErrors: opts.maxErrors,
    errorWindowHours: ERROR_WINDOW_HOURS,
    sources,
    healthy: sources.every((s) => s.problems.length === 0),
  };
}

function health(a: SourceActivity, opts: StatusOptions): SourceHealth {
  const problems: Problem[] = [];
  const errorCount = Object.values(a.errors).reduce((sum, n) => sum + n, 0);
  const processed = a.lastProcessed === undefined ? Number.NaN : Date.parse(a.lastProcessed);
  let hoursSinceProcessed: number | undefined;
  if (Number.isFinite(processed)) {
    hoursSinceProcessed = Math.max(0, (opts.now.getTime() - processed) / HOUR_MS);
    if (hoursSinceProcessed > opts.staleHours)
      problems.push({ code: 'stale', hours: hoursSinceProcessed, limitHours: opts.staleHours });
  } else {
    problems.push({ code: 'never_stored' });
  }
  if (errorCount > opts.maxErrors)
    problems.push({ code: 'too_many_errors', errors: errorCount, limit: opts.maxErrors });
  return { ...a, ...(hoursSinceProcessed === undefined ? {} : { hoursSinceProcessed }), errorCount, problems };
}
