import type { JsonValue } from '../types.js';
import { parseBytes, parseTimeMs, type ByteUnit, type TimeUnit } from '../common/units.js';

// Spark properties arrive as strings; the ones that are numbers, flags, sizes or durations are cast so that
// they can be compared and aggregated (spec §3). Fixes over the original (spec §9.5): unit-less
// spark.{driver,executor}.memory is MiB as in Spark; "10.5g" parses; "us" is a time unit; heartbeat
// intervals without a unit are milliseconds as in Spark; shuffle partitions and initial executors are ints.
// A value that does not cast is stored as null (never a half-typed string) and reported.

type Cast = (value: string) => JsonValue | undefined;

const INTS = [
  'spark_executor_instances',
  'spark_driver_cores',
  'spark_executor_cores',
  'spark_dynamicAllocation_minExecutors',
  'spark_dynamicAllocation_maxExecutors',
  'spark_dynamicAllocation_initialExecutors',
  'spark_sql_shuffle_partitions',
  'spark_default_parallelism',
  'spark_port_maxRetries',
  'spark_yarn_maxAppAttempts',
  'spark_yarn_containerLauncherMaxThreads',
  'spark_yarn_submit_file_replication',
  'spark_task_cpus',
  'spark_task_maxFailures',
];
const FLOATS = [
  'spark_dynamicAllocation_executorAllocationRatio',
  'spark_memory_fraction',
  'spark_memory_storageFraction',
];
const BOOLS = [
  'spark_dynamicAllocation_enabled',
  'spark_dynamicAllocation_shuffleTracking_enabled',
  'spark_sql_adaptive_enabled',
  'spark_sql_adaptive_coalescePartitions_enabled',
  'spark_sql_adaptive_skewJoin_enabled',
  'spark_shuffle_service_enabled',
  'spark_speculation',
  'spark_eventLog_enabled',
  'spark_logConf',
  'spark_rdd_compress',
  'spark_hadoop_yarn_timeline-service_enabled',
  'spark_history_fs_cleaner_enabled',
  'spark_history_kerberos_enabled',
  'spark_sql_hive_convertMetastoreParquet',
  'spark_sql_parquet_writeLegacyFormat',
  'spark_yarn_preserve_staging_files',
  'spark_yarn_submit_waitAppCompletion',
];
const BYTES: Record<ByteUnit, string[]> = {
  b: [
    'spark_driver_maxResultSize',
    'spark_sql_adaptive_shuffle_targetPostShuffleInputSize',
    'spark_sql_adaptive_advisoryPartitionSizeInBytes',
    'spark_sql_autoBroadcastJoinThreshold',
    'spark_files_maxPartitionBytes',
    'spark_sql_files_maxPartitionBytes',
    'spark_files_openCostInBytes',
  ],
  k: [
    'spark_shuffle_file_buffer',
    'spark_eventLog_buffer_kb',
    'spark_kryoserializer_buffer',
    'spark_broadcast_blockSize',
  ],
  m: [
    'spark_driver_memory',
    'spark_executor_memory',
    'spark_driver_memoryOverhead',
    'spark_executor_memoryOverhead',
    'spark_yarn_driver_memoryOverhead',
    'spark_yarn_executor_memoryOverhead',
    'spark_yarn_am_memoryOverhead',
    'spark_executor_pyspark_memory',
    'spark_reducer_maxSizeInFlight',
    'spark_kryoserializer_buffer_max',
    'spark_rpc_message_maxSize',
  ],
  g: [],
};
const TIMES: Partial<Record<TimeUnit, string[]>> = {
  s: ['spark_sql_broadcastTimeout', 'spark_dynamicAllocation_executorIdleTimeout', 'spark_network_timeout'],
  ms: ['spark_executor_heartbeatInterval', 'spark_yarn_scheduler_heartbeat_interval-ms'],
};

function parseBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (['true', '1', 'y', 'yes'].includes(v)) return true;
  if (['false', '0', 'n', 'no'].includes(v)) return false;
  return undefined;
}

function parseIntStrict(value: string): number | undefined {
  const v = value.trim();
  return /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

function parseFloatStrict(value: string): number | undefined {
  const v = value.trim();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(v) ? Number(v) : undefined;
}

const CASTS = new Map<string, Cast>();
for (const k of INTS) CASTS.set(k, parseIntStrict);
for (const k of FLOATS) CASTS.set(k, parseFloatStrict);
for (const k of BOOLS) CASTS.set(k, parseBool);
for (const [unit, keys] of Object.entries(BYTES))
  for (const k of keys) CASTS.set(k, (v) => parseBytes(v, unit as ByteUnit));
for (const [unit, keys] of Object.entries(TIMES))
  for (const k of keys ?? []) CASTS.set(k, (v) => parseTimeMs(v, unit as TimeUnit));

export function castSparkProperties(
  props: Record<string, string>,
  warn: (m: string) => void,
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(props)) {
    const cast = CASTS.get(key);
    if (!cast) {
      out[key] = value;
      continue;
    }
    const v = cast(value);
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) {
      warn(`spark property ${key}: cannot cast ${JSON.stringify(value)}; stored as null`);
      out[key] = null;
    } else out[key] = v;
  }
  return out;
}
