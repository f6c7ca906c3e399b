import type { JsonObject, JsonValue } from '../types.js';

// Stored documents are JSON: no NaN, no Infinity, no undefined. Aggregations are written to avoid them;
// this is the last line of defence so that one odd value can never make a whole document unstorable.

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A deep copy holding only JSON values: non-finite numbers and undefined are dropped, dates become ISO. */
export function toJson(value: unknown): JsonValue | undefined {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toJson(v) ?? null);
  if (isPlainObject(value)) {
    const out: JsonObject = {};
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      const j = toJson(value[k]);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  return undefined;
}

export function toJsonObject(value: unknown): JsonObject {
  const j = toJson(value);
  return isPlainObject(j) ? (j as JsonObject) : {};
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Reads a nested path; undefined when any step is missing. */
export function getPath(doc: unknown, path: readonly string[]): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}
