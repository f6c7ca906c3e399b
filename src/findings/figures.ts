import type { JsonObject, JsonValue } from '../types.js';

// Reading aggregated documents: `stages.jvmGcTime.sum` and the like, absent when the run had no stages.

export function agg(aggs: JsonObject, column: string, stat: string): number | undefined {
  const col = aggs[column];
  if (!col || typeof col !== 'object' || Array.isArray(col)) return undefined;
  const v = (col as Record<string, JsonValue>)[stat];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
