import type { JsonObject, JsonValue } from '../types.js';
import { isPlainObject } from '../common/json.js';

// Column aggregations over a list of executors or stages, as the original did with pandas: nested objects
// become dotted columns ("peakMemoryMetrics.JVMHeapMemory"), each column is typed by its values, and each
// type gets its aggregations. A result that would be NaN (min of nothing, mean of nothing) is left out.
//   numeric: min max sum mean nunique count_zeroes count_not_null  (missing values skipped, sum of none = 0)
//   bool without gaps: any all sum;  dates: min max;  strings, lists, bools with gaps: nothing.

/** pandas json_normalize: nested objects flattened with '.', arrays kept whole. */
function flattenRow(
  row: Record<string, unknown>,
  prefix = '',
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const k in row) {
    if (!Object.hasOwn(row, k)) continue;
    const v = row[k];
    const key = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(v)) flattenRow(v, key, out);
    else out[key] = v;
  }
  return out;
}

type ColumnType = 'number' | 'bool' | 'date' | 'other';

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v));
}

function columnType(values: unknown[], isDateColumn: boolean): ColumnType {
  const present = values.filter((v) => !isMissing(v));
  if (present.length === 0) return 'other'; // pandas: an all-None column is 'object'
  if (present.every((v) => typeof v === 'number')) return 'number';
  // A bool column with gaps becomes 'object' in pandas, and so is not aggregated.
  if (present.length === values.length && present.every((v) => typeof v === 'boolean')) return 'bool';
  if (isDateColumn && present.every((v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)))) return 'date';
  return 'other';
}

/** A column all missing among the rows aggregated (but numeric in the whole frame) keeps the counts only. */
function numericAggs(values: unknown[]): JsonObject {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const sum = xs.reduce((a, b) => a + b, 0);
  const out: JsonObject = {};
  if (xs.length > 0) {
    out.min = xs.reduce((a, b) => Math.min(a, b));
    out.max = xs.reduce((a, b) => Math.max(a, b));
  }
  out.sum = sum;
  if (xs.length > 0) out.mean = sum / xs.length;
  out.nunique = new Set(xs).size;
  out.count_zeroes = xs.filter((x) => x === 0).length;
  out.count_not_null = xs.length;
  return out;
}

function boolAggs(values: unknown[]): JsonObject {
  const bs = values as boolean[];
  return { any: bs.some(Boolean), all: bs.every(Boolean), sum: bs.filter(Boolean).length };
}

function dateAggs(values: unknown[]): JsonObject {
  const ms = values
    .filter((v): v is string => typeof v === 'string')
    .map((v) => Date.parse(v))
    .filter(Number.isFinite);
  if (ms.length === 0) return {};
  const min = ms.reduce((a, b) => Math.min(a, b));
  const max = ms.reduce((a, b) => Math.max(a, b));
  return { min: new Date(min).toISOString(), max: new Date(max).toISOString() };
}

/**
 * `{elements_count, <column>: {<agg>: value}}`; just `{elements_count: 0}` for no rows.
 * `dateColumns` names the columns holding ISO dates (matched on the whole dotted name).
 * `frame` is the table the rows were selected from (the original aggregated the non-driver rows of a table
 * of all executors): it decides the columns and their types, so a numeric column that only the driver has
 * appears with its counts (sum 0, count_not_null 0), and a bool column with a gap in the driver is skipped.
 */
export function aggregateColumns(
  rows: Record<string, unknown>[],
  dateColumns: ReadonlySet<string>,
  frame: Record<string, unknown>[] = rows,
): JsonObject {
  const result: JsonObject = { elements_count: rows.length };
  if (rows.length === 0) return result;
  const flat = rows.map((r) => flattenRow(r));
  const flatFrame = frame === rows ? flat : frame.map((r) => flattenRow(r));
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of flatFrame) {
    for (const k in r) {
      if (seen.has(k)) continue;
      seen.add(k);
      columns.push(k);
    }
  }
  for (const col of columns) {
    const values = flat.map((r) => r[col]);
    const type = columnType(flatFrame === flat ? values : flatFrame.map((r) => r[col]), dateColumns.has(col));
    let aggs: JsonObject | undefined;
    if (type === 'number') aggs = numericAggs(values);
    else if (type === 'bool') aggs = boolAggs(values);
    else if (type === 'date') aggs = dateAggs(values);
    if (aggs && Object.keys(aggs).length > 0) result[col] = aggs as JsonValue;
  }
  return result;
}
