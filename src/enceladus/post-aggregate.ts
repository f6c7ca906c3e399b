import { getPath, num } from '../common/json.js';
import type { JsonObject } from '../types.js';

// Storage sizes reported by Enceladus against what Spark read and wrote (spec §4 post_aggregate):
// how much data grows when deserialised, and the rough peak memory per stored byte.

const B = 128 * 2 ** 20;

function storageSizes(type: unknown, ai: Record<string, unknown>): [number | undefined, number | undefined] {
  if (type === 'standardization') return [num(ai.std_input_data_size), num(ai.std_output_data_size)];
  if (type === 'conformance') return [num(ai.conform_input_data_size), num(ai.conform_output_data_size)];
  return [num(ai.std_input_data_size), num(ai.conform_output_data_size)];
}

/** summary.postprocessing for one aggregated attempt; undefined when the attempt has no Menas run. */
export function postprocessing(
  type: unknown,
  attempt: JsonObject,
  aggs: { stages: JsonObject; summary: JsonObject },
): JsonObject | undefined {
  const ai = getPath(attempt, ['app_specific_data', 'enceladus_run', 'controlMeasure', 'metadata', 'additionalInfo']);
  if (ai === null || typeof ai !== 'object' || Array.isArray(ai)) return undefined;
  const [I, O] = storageSizes(type, ai as Record<string, unknown>);
  const inMem = num(getPath(aggs.stages, ['inputBytes', 'max']));
  const outMem = num(getPath(aggs.stages, ['outputBytes', 'max']));
  const M = num(aggs.summary.est_peak_memory_usage);
  const out: JsonObject = {};
  // Each field only when its inputs are present and non-zero.
  const ok = (x: number | undefined): x is number => x !== undefined && x !== 0;
  if (ok(I)) {
    out.input_in_storage_HDFS_blocks = Math.ceil(I / B);
    if (ok(inMem)) out.input_deserialization_factor = inMem / I;
    if (ok(M)) out.peak_to_input_memory_factor = M / I;
  }
  if (ok(O)) {
    out.output_in_storage_HDFS_blocks = Math.ceil(O / B);
    if (ok(outMem)) out.output_deserialization_factor = outMem / O;
    if (ok(M)) out.peak_to_output_memory_factor = M / O;
    if (ok(I)) out.output_to_input_storage_size_ratio = O / I;
  }
  return out;
}
