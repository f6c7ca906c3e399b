import type { EnceladusClassification } from '../enceladus/classification.js';
import { enceladusRuns } from '../enceladus/enrich.js';
import type { AppAttempt, JsonObject, RawDoc } from '../types.js';
import type { BuildContext } from './build.js';
import { classify } from './classify.js';
import { cleanAttempt, cleanEnvironment, cleanExecutor, cleanStage } from './clean.js';
import { toJsonObject, wellFormed } from './json.js';

// The raw document (spec §2.2): the app with every attempt as fetched, cleaned and redacted.

export async function buildRawDoc(attempts: AppAttempt[], ctx: BuildContext): Promise<RawDoc> {
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
    });
  });
  const { classification, tag } = classify(name);
  let unenriched: string | undefined;
  if (ctx.menas && classification.project === 'enceladus') {
    const tz = ctx.defaultTimezone ?? ctx.menas.defaultTimezone ?? 'UTC';
    const starts = rawAttempts.map((a) => (typeof a.startTime === 'string' ? a.startTime : undefined));
    const found = await enceladusRuns(ctx.menas, id, classification as EnceladusClassification, starts, tz, warn);
    if ('runs' in found) rawAttempts.forEach((a, i) => (a.app_specific_data = { enceladus_run: found.runs[i] ?? null }));
    else unenriched = found.unavailable;
  }
  const missing = [...new Set(attempts.flatMap((a) => a.missing ?? []))];
  const spot: RawDoc['spot'] = { time_processed: ctx.now.toISOString(), history_host: ctx.historyHost };
  if (missing.length > 0) spot.missing_endpoints = missing;
  // Why the Enceladus run is missing; the crawl keeps the app on its list to enrich later.
  if (unenriched) spot.unenriched = unenriched;
  return { id, name, history_host: ctx.historyHost, spot, app_specific_data: { classification, tag }, attempts: rawAttempts };
}
