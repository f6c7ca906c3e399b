import { SUMMARY_FLAGS, SUMMARY_NUMBERS } from '../metrics/summary-view.js';
import type { AggDoc, JsonObject } from '../types.js';

// What a report draws of an aggregated document, in the document's own shape: a store can keep this next
// to the whole document (a few hundred bytes beside tens of kilobytes) and a report over thousands of
// attempts parses only that. Anything that reads an AggDoc for these fields reads a summary the same way.

/** The attempt summary figures the report's charts read (src/report/data.ts, src/report/yarn-rows.ts), as
 * stored; with the document's history host and Spark user, which the report's filters read (src/report/filter.ts). */
const REPORT_FIGURES = [
  'coreEfficiency',
  'idleExecutors',
  'idleCoreHours',
  'allocatedCoreHours',
  'dynamicAllocation',
  'inputBytes',
  'speedup',
  'seqMs',
  'parallelMs',
] as const;
const SUMMARY_FIELDS = REPORT_FIGURES.map((k) => (k === 'dynamicAllocation' ? SUMMARY_FLAGS[k] : SUMMARY_NUMBERS[k]));

/** The Spark properties read, under the key the crawl stores them (dots as underscores). */
const PROPERTY_FIELDS = ['spark_sql_shuffle_partitions'] as const;

function pick(from: JsonObject | undefined, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  if (!from) return out;
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

/** The AggDoc cut down to what a report reads; the rest of the document is left out, not emptied. */
export function attemptSummary(doc: AggDoc): AggDoc {
  const props = (doc.attempt.environment as JsonObject | undefined)?.sparkProperties as JsonObject | undefined;
  return {
    id: doc.id,
    docId: doc.docId,
    name: doc.name,
    ...(doc.history_host !== undefined ? { history_host: doc.history_host } : {}),
    ...(doc.app_specific_data?.tag !== undefined ? { app_specific_data: { tag: doc.app_specific_data.tag } } : {}),
    attempt: {
      endTime: doc.attempt.endTime,
      ...(doc.attempt.sparkUser !== undefined ? { sparkUser: doc.attempt.sparkUser } : {}),
      aggs: { summary: pick(doc.attempt.aggs?.summary, SUMMARY_FIELDS) },
      environment: { sparkProperties: pick(props, PROPERTY_FIELDS) },
    },
  } as unknown as AggDoc;
}
