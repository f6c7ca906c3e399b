import type { EnceladusClassification } from '../enceladus/classification.js';
import { matchRuns, type MenasRuns } from '../enceladus/enrich.js';
import { toJsonObject, wellFormed } from '../common/json.js';
import type { Redactor } from '../common/redact.js';
import type { AppAttempt, JsonObject, RawDoc } from '../types.js';
import { classify } from './classify.js';
import { cleanAttempt, cleanEnvironment, cleanExecutor, cleanStage } from './clean.js';

// The raw document (spec §2.2): the app with every attempt as fetched, cleaned and redacted. Pure: whatever
// the app needs from outside (its attempts, its Menas runs) was fetched by the crawl and is passed in.

export interface RawContext {
  historyHost: string;
  now: Date;
  /** What Menas answered for this app in the crawl's fetch phase; no Enceladus run is attached without it. */
  menasRuns?: MenasRuns;
  /** Time zone of Menas dates that carry none (config `menas.defaultTimezone`); UTC when not given. */
  defaultTimezone?: string;
  warn?: (message: string) => void;
  /** Which property names hold secrets (config `redaction.patterns`); Spot's defaults when not given. */
  redactor?: Redactor;
}

export function buildRawDoc(attempts: AppAttempt[], ctx: RawContext): RawDoc {
  const first = attempts[0];
  if (!first) throw new Error('no attempts to build documents from');
  // Everything else is made valid UTF-8 by toJsonObject; the app's own name and id are used as they are.
  const id = wellFormed(first.app.id);
  const name = wellFormed(first.app.name);
  const warn = ctx.warn ?? (() => {});
  const rawAttempts: JsonObject[] = attempts.map((a) => {
    const attempt = cleanAttempt(a.attempt, warn);
    return toJsonObject({
      ...attempt,
      allexecutors: a.executors.map((e) => cleanExecutor(e, warn)),
      stages: a.stages.map((s) => cleanStage(s, warn)),
      environment: cleanEnvironment(a.environment ?? {}, warn, ctx.redactor),
      // Left out when the server could not say (an older one without `jobs`): unknown, not none.
      ...(a.failedJobs === undefined ? {} : { x_failedJobs: a.failedJobs }),
    });
  });
  const { classification, tag } = classify(name);
  let unenriched: string | undefined;
  if (ctx.menasRuns && classification.project === 'enceladus') {
    if ('runs' in ctx.menasRuns) {
      const tz = ctx.defaultTimezone ?? 'UTC';
      const starts = rawAttempts.map((a) => (typeof a.startTime === 'string' ? a.startTime : undefined));
      const runs = matchRuns(ctx.menasRuns.runs, id, classification as EnceladusClassification, starts, tz, warn);
      rawAttempts.forEach((a, i) => {
        a.app_specific_data = { enceladus_run: runs[i] ?? null };
      });
    } else unenriched = ctx.menasRuns.unavailable;
  }
  const missing = [...new Set(attempts.flatMap((a) => a.missing ?? []))];
  const spot: RawDoc['spot'] = { time_processed: ctx.now.toISOString(), history_host: ctx.historyHost };
  if (missing.length > 0) spot.missing_endpoints = missing;
  // Why the Enceladus run is missing; the crawl keeps the app on its list to enrich later.
  if (unenriched) spot.unenriched = unenriched;
  return {
    id,
    name,
    history_host: ctx.historyHost,
    spot,
    app_specific_data: { classification, tag },
    attempts: rawAttempts,
  };
}
