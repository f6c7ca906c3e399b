import type { AggDoc, RunRecord } from '../types.js';
import { getPath, isPlainObject, num } from '../common/json.js';
import { summaryView } from '../metrics/summary-view.js';
import { adaptiveSettings } from './adaptive.js';

// The flat row the models learn from, read off an aggregated document. Choices, in short:
// - app: the job key (see jobKey).
// - inputBytes: for Enceladus, the input size Enceladus measured in storage (what spot-submit's input probe
//   also measures); else the sum of inputBytes over the latest attempt of each stage. Spark's inputBytes are
//   bytes read from storage, so a job reading two tables counts both (the max would count one), and a stage
//   retried after a failure counts once. The stage-level sum is in attempt.aggs.stages.inputBytes.sum only
//   across all attempts, so the summary keeps the per-stage figure as input_bytes.
// - executors: spark.executor.instances when dynamic allocation is off and it is set; else the most executors
//   alive at once; else the number of non-driver executors.
// - succeeded: the attempt completed, is the final attempt, no stage's latest attempt failed and no job failed
//   (a job can fail with no stage failed; a count the source could not give reads as none, as in older
//   documents), and the driver's exit code, where known, is 0. Spark 4 writes it on ApplicationEnd
//   (attempt.exitCode); older logs and History Servers give none, and there only the attempt tells: a non-final
//   attempt failed, or YARN would not have retried.

// Boundaries that treat '_' as a separator (\b does not: '_' is a word character).
const L = '(?<![A-Za-z0-9])';
const R = '(?![A-Za-z0-9])';
const DATE = new RegExp(
  `${L}\\d{4}[-_/.]?\\d{2}[-_/.]?\\d{2}(?:[T _-]?\\d{2}[:_.-]?\\d{2}(?:[:_.-]?\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?${R}`,
  'gi',
);
const DMY = new RegExp(`${L}\\d{1,2}[-_/.]\\d{1,2}[-_/.]\\d{4}${R}`, 'g');
const UUID = new RegExp(`${L}[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}${R}`, 'gi');
const APP_ID = new RegExp(`${L}(?:application_\\d+_\\d+(?:_\\d+)?|local-\\d+|app-\\d{14}-\\d{4,})${R}`, 'g');
const LONG_NUMBER = /\d{6,}/g;

/**
 * The job key of an app: the configured pattern's named group `key` (or first group, or whole match);
 * the Enceladus job (`<type>_<dataset>_<datasetVersion>`, without report date and version); else the name
 * with app ids, UUIDs, dates, times and long numbers replaced by placeholders, so that
 * "daily_etl 2024-01-31" and "daily_etl 2024-02-01" are one job: "daily_etl {date}".
 */
const compiled = new Map<string, RegExp>();

function keyPattern(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern);
    } catch (err) {
      throw new Error(
        `advisor.appKeyPattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(err as Error).message}`,
      );
    }
    compiled.set(pattern, re);
  }
  return re;
}

export function jobKey(name: string, classification?: object, pattern?: string): string {
  if (pattern) {
    const m = keyPattern(pattern).exec(name);
    if (m) {
      const key = m.groups?.key ?? m[1] ?? m[0];
      if (key) return key;
    }
  }
  const c = classification as Record<string, unknown> | undefined;
  if (c && c.project === 'enceladus' && c.dataset !== undefined) {
    return `${String(c.type)}_${String(c.dataset)}_${String(c.dataset_version)}`;
  }
  return name
    .replace(APP_ID, '{appid}')
    .replace(UUID, '{uuid}')
    .replace(DATE, '{date}')
    .replace(DMY, '{date}')
    .replace(LONG_NUMBER, '{n}')
    .replace(/\s+/g, ' ')
    .trim();
}

function enceladusInputBytes(agg: AggDoc): number | undefined {
  const ai = getPath(agg.attempt, [
    'app_specific_data',
    'enceladus_run',
    'controlMeasure',
    'metadata',
    'additionalInfo',
  ]);
  if (!isPlainObject(ai)) return undefined;
  const type = agg.app_specific_data.classification.type;
  const v = num(type === 'conformance' ? ai.conform_input_data_size : ai.std_input_data_size);
  return v !== undefined && v > 0 ? v : undefined;
}

export function toRunRecord(agg: AggDoc, opts: { appKeyPattern?: string } = {}): RunRecord {
  const attempt = agg.attempt;
  const aggs = attempt.aggs;
  const summary = summaryView(aggs.summary);
  const props = (getPath(attempt, ['environment', 'sparkProperties']) ?? {}) as Record<string, unknown>;
  const exAggs = aggs.allexecutors.executors;
  const dynamicAllocation = summary.dynamicAllocation === true || props.spark_dynamicAllocation_enabled === true;
  const instances = num(props.spark_executor_instances);
  const nonDriver = num(exAggs.elements_count) ?? 0;
  const executors =
    !dynamicAllocation && instances !== undefined ? instances : (summary.maxConcurrentExecutors ?? nonDriver);
  const executorCores =
    num(props.spark_executor_cores) ?? num(getPath(exAggs, ['totalCores', 'max'])) ?? (executors > 0 ? 1 : 0);
  const adaptive = adaptiveSettings(props, attempt.appSparkVersion).enabled;
  const rec: RunRecord = {
    id: agg.docId,
    app: jobKey(agg.name, agg.app_specific_data.classification, opts.appKeyPattern),
    appName: agg.name,
    appId: agg.id,
    inputBytes: enceladusInputBytes(agg) ?? summary.inputBytes ?? num(getPath(aggs.stages, ['inputBytes', 'sum'])) ?? 0,
    executors,
    executorCores,
    // Never negative, in documents stored before a negative duration (clock skew) was kept as 0.
    durationMs: Math.max(0, num(attempt.duration) ?? 0),
    dynamicAllocation,
    succeeded:
      attempt.completed === true &&
      agg.isFinalAttempt &&
      (summary.failedStages ?? 0) === 0 &&
      (summary.failedJobs ?? 0) === 0 &&
      (num(attempt.exitCode) ?? 0) === 0,
    endTime: attempt.endTime,
    source: 'crawl',
  };
  const optional: Partial<RunRecord> = {
    executorMemoryBytes: num(props.spark_executor_memory),
    shufflePartitions: num(props.spark_sql_shuffle_partitions),
    adaptiveExecution: adaptive,
    coreMs: summary.coreCostMs ?? num(getPath(exAggs, ['x_coreCost', 'sum'])),
    peakExecutorMemoryBytes: num(getPath(exAggs, ['peakMemoryMetrics.JVMHeapMemory', 'max'])),
    shuffleWriteBytes: num(getPath(aggs.stages, ['shuffleWriteBytes', 'sum'])),
    memoryBytesSpilled: num(getPath(aggs.stages, ['memoryBytesSpilled', 'sum'])),
    diskBytesSpilled: num(getPath(aggs.stages, ['diskBytesSpilled', 'sum'])),
    jvmGcTimeMs: num(getPath(aggs.stages, ['jvmGcTime', 'sum'])),
    executorRunTimeMs: num(getPath(aggs.stages, ['executorRunTime', 'sum'])),
    adviceId: adviceIdOf(agg),
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== undefined) (rec as unknown as Record<string, unknown>)[k] = v;
  return rec;
}

/** The advice id spot-submit put in the app's Spark properties (spark.spot.adviceId), if any. */
export function adviceIdOf(agg: AggDoc): string | undefined {
  const id = getPath(agg.attempt, ['environment', 'sparkProperties', 'spark_spot_adviceId']);
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}
