// The fields Kibana filters, sorts and aggregates on, mapped explicitly rather than left to dynamic
// guesses: a guess is made from the first document that has the field, so a property first seen as "4g",
// or a date first seen as text, would be wrong for good in that index. String fields keep the shape
// dynamic mapping gave the original Spot (text with a `.keyword` sub-field), so its saved objects, which
// use `name.keyword`, `spot.error.type.keyword` and the like, find them. Values a type cannot take are
// ignored for that field (`ignore_malformed`) instead of refusing the whole document.

export type FieldSpec = Record<string, unknown>;

export const keyword: FieldSpec = { type: 'keyword' };
const text: FieldSpec = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
export const date: FieldSpec = { type: 'date', ignore_malformed: true };
const number: FieldSpec = { type: 'double', ignore_malformed: true };
const bool: FieldSpec = { type: 'boolean' };

const props = 'attempt.environment.sparkProperties';
const encRun = 'attempt.app_specific_data.enceladus_run';
const info = `${encRun}.controlMeasure.metadata.additionalInfo`;

/** Spark properties the dashboards count or sum: numbers after Spot's casting ("4g" becomes bytes). */
const SPARK_NUMBERS = [
  'spark_executor_cores',
  'spark_executor_instances',
  'spark_executor_memory',
  'spark_driver_cores',
  'spark_driver_memory',
  'spark_sql_shuffle_partitions',
  'spark_default_parallelism',
  'spark_cores_max',
  'spark_dynamicAllocation_minExecutors',
  'spark_dynamicAllocation_maxExecutors',
  'spark_dynamicAllocation_initialExecutors',
];

const ENCELADUS_NUMBERS = [
  'raw_record_count',
  'std_record_count',
  'std_records_succeeded',
  'std_records_failed',
  'std_input_data_size',
  'std_output_data_size',
  'conform_record_count',
  'conform_records_succeeded',
  'conform_records_failed',
  'conform_input_data_size',
  'conform_output_data_size',
];

const APP_FIELDS: Record<string, FieldSpec> = {
  id: text,
  name: text,
  history_host: text,
  'spot.time_processed': date,
  'spot.history_host': text,
  'app_specific_data.tag': text,
  'app_specific_data.classification.type': text,
  'app_specific_data.classification.project': text,
  'app_specific_data.classification.dataset': text,
  'app_specific_data.classification.app_version': text,
  'app_specific_data.classification.info_date_casted': date,
};

/** Aggregated documents (`<prefix>_agg_<cluster>`). */
export const AGG_FIELDS: Record<string, FieldSpec> = {
  ...APP_FIELDS,
  docId: keyword,
  'attempt.startTime': date,
  'attempt.endTime': date,
  'attempt.lastUpdated': date,
  'attempt.duration': number,
  'attempt.completed': bool,
  'attempt.sparkUser': text,
  'attempt.appSparkVersion': text,
  [`${props}.spark_master`]: text,
  [`${props}.spark_submit_deployMode`]: text,
  [`${props}.spark_dynamicAllocation_enabled`]: bool,
  [`${props}.spark_sql_adaptive_enabled`]: bool,
  ...Object.fromEntries(SPARK_NUMBERS.map((k) => [`${props}.${k}`, number])),
  [`${encRun}.runStatus.status`]: text,
  [`${encRun}.controlMeasure.checkpoints.controls_match`]: bool,
  [`${info}.raw_format`]: text,
  ...Object.fromEntries(ENCELADUS_NUMBERS.map((k) => [`${info}.${k}`, number])),
};

/** Raw documents (`<prefix>_raw_<cluster>`): one per app, its attempts as a list. */
export const RAW_FIELDS: Record<string, FieldSpec> = { ...APP_FIELDS };

/** Error documents (`<prefix>_err_<cluster>`), as the original's err index looked. */
export const ERR_FIELDS: Record<string, FieldSpec> = {
  docId: keyword,
  'spot.time_processed': date,
  'spot.app_end_time': date,
  'spot.spark_app_id': text,
  'spot.history_host': text,
  'spot.error.type': text,
  'spot.error.stage': text,
  'spot.error.message': text,
};

/**
 * Times inside the aggregations (executor `addTime.min`, stage `submissionTime.max`, `x_startTime`, ...),
 * by name, since there are too many to list and Spark adds more.
 */
export const AGG_DATE_TEMPLATES = [
  { aggregated_times: { path_match: 'attempt.aggs.*Time', match_mapping_type: 'string', mapping: date } },
  { aggregated_time_bounds: { path_match: 'attempt.aggs.*Time.*', match_mapping_type: 'string', mapping: date } },
];

/** `{ 'a.b': spec }` as nested `properties`, the form a mapping takes. */
export function nested(fields: Record<string, FieldSpec>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, spec] of Object.entries(fields)) {
    const parts = path.split('.');
    let at = root;
    for (const p of parts.slice(0, -1)) {
      at[p] ??= { properties: {} };
      const node = at[p] as { properties: Record<string, unknown> };
      at = node.properties;
    }
    at[parts[parts.length - 1]!] = spec;
  }
  return root;
}
