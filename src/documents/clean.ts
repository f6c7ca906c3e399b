import { shsDateToIso } from '../history/dates.js';
import type { JsonObject } from '../types.js';
import { isPlainObject, toJsonObject } from '../common/json.js';
import { castSparkProperties } from './spark-properties.js';
import { defaultRedactor, type Redactor } from '../common/redact.js';
import { compactTaskSummary } from '../common/task-summary.js';

// Cleaning of what the History Server returned, before anything is stored (spec §2.1): its dates become
// ISO-8601 UTC strings, host details and stack traces go, Spark properties become a typed dictionary.

const ATTEMPT_DATES = ['startTime', 'endTime', 'lastUpdated'] as const;
const EXECUTOR_DATES = ['addTime', 'removeTime'] as const;
const STAGE_DATES = ['submissionTime', 'firstTaskLaunchedTime', 'completionTime'] as const;

const EXECUTOR_REMOVED = ['hostPort', 'executorLogs'];
/** The task summaries keep only their task times (compactTaskSummary); the executors' add nothing Spot reads. */
const STAGE_REMOVED = ['details', 'taskMetricsDistributions', 'executorMetricsDistributions'];
const ENVIRONMENT_REMOVED = ['systemProperties', 'classpathEntries'];
const RUNTIME_REMOVED = ['javaHome'];
/** Hosts, ports, class paths and credentials' locations: noise for analysis, and some of it sensitive. */
const SPARK_PROPERTIES_REMOVED = new Set([
  'spark_driver_host',
  'spark_driver_port',
  'spark_driver_appUIAddress',
  'spark_driver_extraJavaOptions',
  'spark_jars',
  'spark_eventLog_dir',
  'spark_ui_filters',
  'spark_org_apache_hadoop_yarn_server_webproxy_amfilter_AmIpFilter_param_PROXY_HOSTS',
  'spark_org_apache_hadoop_yarn_server_webproxy_amfilter_AmIpFilter_param_PROXY_URI_BASES',
  'spark_org_apache_hadoop_yarn_server_webproxy_amfilter_AmIpFilter_param_RM_HA_URLS',
  'spark_yarn_app_container_log_dir',
  'spark_history_kerberos_keytab',
  'spark_history_kerberos_principal',
  'spark_executor_extraJavaOptions',
  'spark_yarn_am_extraJavaOptions',
  'spark_executorEnv_PYTHONPATH',
  'spark_yarn_keytab',
  'spark_yarn_principal',
]);

type Warn = (message: string) => void;

function convertDates(obj: Record<string, unknown>, fields: readonly string[], where: string, warn: Warn): void {
  for (const f of fields) {
    if (!(f in obj)) continue;
    const v = obj[f];
    const iso = shsDateToIso(v);
    // An unparseable date would give the field two types across documents; null keeps the mapping stable.
    if (iso === undefined && v !== '' && v !== null) warn(`${where}: unparseable ${f} ${JSON.stringify(v)}`);
    obj[f] = iso ?? null;
  }
}

function without(obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = { ...obj };
  for (const k of keys) delete out[k];
  return out;
}

/**
 * The attempt with ISO dates. A negative duration (an end logged before the start: the clocks of the machines that
 * logged them disagree) is 0, as an event log's replay has it: a duration is never negative. Its times stay as logged.
 */
export function cleanAttempt(attempt: Record<string, unknown>, warn: Warn): Record<string, unknown> {
  const out = { ...attempt };
  convertDates(out, ATTEMPT_DATES, 'attempt', warn);
  if (typeof out.duration === 'number' && out.duration < 0) out.duration = 0;
  return out;
}

export function cleanExecutor(executor: Record<string, unknown>, warn: Warn): Record<string, unknown> {
  const out = without(executor, EXECUTOR_REMOVED);
  convertDates(out, EXECUTOR_DATES, `executor ${String(executor.id)}`, warn);
  return out;
}

export function cleanStage(stage: Record<string, unknown>, warn: Warn): Record<string, unknown> {
  const out = without(stage, STAGE_REMOVED);
  convertDates(out, STAGE_DATES, `stage ${String(stage.stageId)}`, warn);
  const summary = compactTaskSummary(stage.taskMetricsDistributions);
  if (summary) out.taskMetricsDistributions = summary;
  return out;
}

/** `[[k, v], ...]` as the server sends it; anything else yields no pairs. */
function pairsOf(value: unknown): [string, string][] {
  if (!Array.isArray(value)) return [];
  const pairs: [string, string][] = [];
  for (const p of value) {
    if (Array.isArray(p) && p.length >= 2 && typeof p[0] === 'string') pairs.push([p[0], String(p[1] ?? '')]);
  }
  return pairs;
}

export function cleanEnvironment(
  env: Record<string, unknown>,
  warn: Warn,
  redactor: Redactor = defaultRedactor,
): JsonObject {
  const out = without(env, ENVIRONMENT_REMOVED);
  if (isPlainObject(out.runtime)) out.runtime = without(out.runtime, RUNTIME_REMOVED);
  // Secrets are redacted on Spark's own dotted keys, before '.' becomes '_' (access.key must still match).
  const props: Record<string, string> = {};
  for (const [k, v] of redactor.pairs(pairsOf(env.sparkProperties))) {
    const key = k.replaceAll('.', '_');
    if (!SPARK_PROPERTIES_REMOVED.has(key)) props[key] = v;
  }
  out.sparkProperties = castSparkProperties(props, warn);
  // Spark 3's extra sections (hadoopProperties, metricsProperties, ...) are kept as the original did, redacted.
  for (const [k, v] of Object.entries(out)) {
    if (k !== 'sparkProperties' && Array.isArray(v) && v.every((p) => Array.isArray(p)))
      out[k] = redactor.pairs(pairsOf(v));
  }
  return toJsonObject(out);
}
