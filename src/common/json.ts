import type { JsonObject, JsonValue } from '../types.js';

// Stored documents are JSON: no NaN, no Infinity, no undefined. Aggregations are written to avoid them;
// this is the last line of defence so that one odd value can never make a whole document unstorable.

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A lone UTF-16 surrogate (from a JSON "\ud800" escape) cannot be written as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** `s` as valid UTF-8 text: lone surrogates become U+FFFD, as a UTF-8 decoder shows broken bytes. */
export function wellFormed(s: string): string {
  return LONE_SURROGATE.test(s) ? s.replace(LONE_SURROGATES, '\uFFFD') : s;
}

/**
 * A deep copy holding only JSON values: non-finite numbers and undefined are dropped, dates become ISO,
 * text (keys too) becomes valid UTF-8 so every store can keep it as sent.
 */
function toJson(value: unknown): JsonValue | undefined {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return wellFormed(value);
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toJson(v) ?? null);
  if (isPlainObject(value)) {
    const out: JsonObject = {};
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      const j = toJson(value[k]);
      if (j !== undefined) out[wellFormed(k)] = j;
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
