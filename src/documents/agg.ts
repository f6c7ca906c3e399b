import { aggregateRun } from '../enceladus/enrich.js';
import { postprocessing } from '../enceladus/post-aggregate.js';
import { computeSummary } from '../metrics/index.js';
import type { AggDoc, JsonObject, JsonValue, RawDoc } from '../types.js';
import { aggregateColumns } from './aggregate.js';
import { addExecutorFields } from './executor-fields.js';
import { isPlainObject, toJsonObject } from '../common/json.js';
import { addStageFields } from './stage-fields.js';
import { summaryInput } from './summary-input.js';

// One aggregated document per attempt (spec §2.3): the attempt without its executor and stage lists, with
// the driver, column aggregations over executors and stages, and the summary metrics.

const EXECUTOR_DATE_COLUMNS = new Set(['addTime', 'removeTime', 'x_startTime', 'x_stopTime']);
const STAGE_DATE_COLUMNS = new Set(['submissionTime', 'firstTaskLaunchedTime', 'completionTime']);

function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

function buildAttemptAggs(attempt: JsonObject, warn: (m: string) => void): AggDoc['attempt']['aggs'] {
  const all = records(attempt.allexecutors).map((e) => addExecutorFields(e, attempt));
  const driver = all.find((e) => e.id === 'driver') ?? {};
  const executors = all.filter((e) => e.id !== 'driver');
  const stages = records(attempt.stages).map((s) => addStageFields(s, warn));
  const executorAggs = aggregateColumns(executors, EXECUTOR_DATE_COLUMNS, all);
  const stageAggs = aggregateColumns(stages, STAGE_DATE_COLUMNS);
  const env = isPlainObject(attempt.environment) ? attempt.environment : {};
  const props = (isPlainObject(env.sparkProperties) ? env.sparkProperties : {}) as Record<string, JsonValue>;
  const summary = computeSummary(
    summaryInput({
      duration: attempt.duration,
      executors,
      stages,
      executorAggs,
      stageAggs,
      sparkProperties: props,
      failedJobs: attempt.x_failedJobs,
    }),
    warn,
  );
  return { allexecutors: { driver: toJsonObject(driver), executors: executorAggs }, stages: stageAggs, summary };
}

export function buildAggDocs(raw: RawDoc, warn: (m: string) => void, defaultTimezone = 'UTC'): AggDoc[] {
  // Some servers give attempt ids as numbers; compared and used in doc ids as text either way.
  const idOf = (a: JsonObject | undefined) =>
    a?.attemptId === undefined || a.attemptId === null ? undefined : String(a.attemptId);
  const finalId = idOf(raw.attempts[0]);
  const { attempts: _attempts, ...app } = raw;
  return raw.attempts.map((rawAttempt) => {
    const { allexecutors: _e, stages: _s, ...rest } = rawAttempt;
    const attempt: JsonObject = structuredClone(rest);
    const run = (attempt.app_specific_data as JsonObject | undefined)?.enceladus_run;
    if (run) (attempt.app_specific_data as JsonObject).enceladus_run = aggregateRun(run, defaultTimezone) as JsonValue;
    const aggs = buildAttemptAggs(rawAttempt, warn);
    if (raw.app_specific_data.classification.project === 'enceladus') {
      const pp = postprocessing(raw.app_specific_data.classification.type, attempt, aggs);
      if (pp) aggs.summary.postprocessing = pp;
    }
    const attemptId = idOf(rawAttempt);
    const doc = toJsonObject({
      ...structuredClone(app),
      isFinalAttempt: attemptId === undefined || attemptId === finalId,
      attempt: { ...attempt, aggs },
    }) as unknown as AggDoc;
    doc.docId = `${raw.id}-${attemptId ?? '0'}`;
    return doc;
  });
}
