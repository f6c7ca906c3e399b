import type { SpotConfig } from '../../config/schema.js';
import { AGG_DATE_TEMPLATES, AGG_FIELDS, ERR_FIELDS, nested, RAW_FIELDS, keyword, date } from './fields.js';

// Index names and mappings. Names follow the original (spot_agg_<cluster>) with two new kinds (runs,
// advice). String fields the original had keep its dynamic shape (text plus `.keyword`), so Kibana
// objects built on `name.keyword` keep working; Spot itself queries the `.keyword` sub-fields.

export type IndexKind = 'raw' | 'agg' | 'err' | 'runs' | 'advice' | 'models';
export const INDEX_KINDS: readonly IndexKind[] = ['raw', 'agg', 'err', 'runs', 'advice', 'models'];
export type IndexNames = Record<IndexKind, string>;

/** ES index names must be lowercase; a cluster called "Prod" gets spot_agg_prod. */
export function indexNames(config: Pick<SpotConfig['elasticsearch'], 'indexPrefix' | 'cluster'>): IndexNames {
  const name = (kind: IndexKind) => `${config.indexPrefix}_${kind}_${config.cluster}`.toLowerCase();
  return {
    raw: name('raw'),
    agg: name('agg'),
    err: name('err'),
    runs: name('runs'),
    advice: name('advice'),
    models: name('models'),
  };
}

/** One template per prefix and kind, over every cluster's index of that kind. */
export const templateName = (prefix: string, kind: IndexKind): string => `${prefix}_${kind}`.toLowerCase();

// Whole numbers first seen in a document would otherwise map as long and truncate later fractions
// (a `mean` of 2 then 2.5); date detection off because a string that merely looks like a date once
// would reject every later document where it does not (the original's mapper parsing errors). Times
// are dates by name instead (fields.ts).
const dynamicDocs = {
  dynamic: true,
  date_detection: false,
  dynamic_templates: [
    ...AGG_DATE_TEMPLATES,
    { whole_numbers_as_double: { match_mapping_type: 'long', mapping: { type: 'double' } } },
  ],
};

export const MAPPINGS: Record<IndexKind, Record<string, unknown>> = {
  raw: { ...dynamicDocs, properties: nested(RAW_FIELDS) },
  agg: { ...dynamicDocs, properties: nested(AGG_FIELDS) },
  err: { ...dynamicDocs, properties: nested(ERR_FIELDS) },
  runs: {
    dynamic: false,
    properties: {
      id: keyword,
      app: keyword,
      appName: keyword,
      appId: keyword,
      endTime: date,
      source: keyword,
      adviceId: keyword,
      succeeded: { type: 'boolean' },
      inputBytes: { type: 'double' },
      executors: { type: 'double' },
      executorCores: { type: 'double' },
      durationMs: { type: 'double' },
      coreMs: { type: 'double' },
      memoryBytesSpilled: { type: 'double' },
      diskBytesSpilled: { type: 'double' },
    },
  },
  advice: {
    dynamic: false,
    properties: {
      id: keyword,
      app: keyword,
      createdAt: date,
      mode: keyword,
      outcome: { properties: { runId: keyword, applicationId: keyword } },
    },
  },
  // Fitted models kept per job (submit/model-cache.ts): found by job, the model itself kept as it is, unmapped.
  models: {
    dynamic: false,
    properties: { app: keyword, query: keyword, fingerprint: keyword, version: keyword, storedAt: date },
  },
};

/**
 * The fields Spot's own searches filter, sort or match on, per index kind (queries.ts): an index that exists before
 * Spot's templates must map them as Spot does, or those searches fail (a text `docId` cannot be sorted) or find
 * nothing (a `name` without its `.keyword`).
 */
export const SEARCHED_FIELDS: Record<IndexKind, readonly string[]> = {
  raw: [],
  agg: ['docId', 'attempt.endTime', 'id.keyword', 'name.keyword', 'app_specific_data.tag.keyword'],
  err: ['docId', 'spot.time_processed', 'spot.spark_app_id.keyword'],
  runs: ['id', 'app', 'endTime'],
  advice: ['id', 'app', 'createdAt'],
  models: ['app', 'query', 'storedAt'],
};
