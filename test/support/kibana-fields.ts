import type { SavedObject } from '../../src/kibana/saved-objects.js';

// The index fields Kibana saved objects use, and which index pattern each reads: aggregation fields in a
// visualization's visState, filter keys in searchSourceJSON, a saved search's columns and sort, and an
// index pattern's time field. Shared by every test that ships dashboards (Spark, YARN).

export interface FieldUse {
  /** The saved object's title. */
  object: string;
  /** The index pattern's title, e.g. `spot_agg_*`. */
  pattern: string;
  field: string;
  /** `agg` needs an aggregatable field (not text); the others only an existing one. */
  use: 'agg' | 'filter' | 'column' | 'time';
}

const parse = (s: unknown): Record<string, unknown> =>
  typeof s === 'string' && s !== '' ? (JSON.parse(s) as Record<string, unknown>) : {};

export function fieldsUsed(objects: SavedObject[]): FieldUse[] {
  const patterns = new Map(objects.filter((o) => o.type === 'index-pattern').map((o) => [o.id, o]));
  const out: FieldUse[] = [];
  for (const o of objects) {
    const title = String(o.attributes.title ?? o.id);
    if (o.type === 'index-pattern') {
      if (o.attributes.timeFieldName)
        out.push({ object: title, pattern: title, field: String(o.attributes.timeFieldName), use: 'time' });
      continue;
    }
    const ref = o.references?.find((r) => r.type === 'index-pattern');
    const pattern = ref ? patterns.get(ref.id)?.attributes.title : undefined;
    if (typeof pattern !== 'string') continue; // a dashboard: its panels are checked as themselves
    const add = (field: unknown, use: FieldUse['use']) => {
      if (typeof field === 'string' && field !== '' && field !== '_score')
        out.push({ object: title, pattern, field, use });
    };
    const vis = parse(o.attributes.visState) as { aggs?: { params?: { field?: unknown } }[] };
    for (const agg of vis.aggs ?? []) add(agg.params?.field, 'agg');
    const source = parse(
      (o.attributes.kibanaSavedObjectMeta as { searchSourceJSON?: string } | undefined)?.searchSourceJSON,
    ) as { filter?: { meta?: { key?: unknown } }[] };
    for (const f of source.filter ?? []) add(f.meta?.key, 'filter');
    if (o.type === 'search') {
      for (const c of (o.attributes.columns ?? []) as unknown[]) add(c, 'column');
      for (const s of (o.attributes.sort ?? []) as unknown[][]) add(s[0], 'agg');
    }
  }
  return out;
}

/** Field types Kibana can aggregate on. */
export const AGGREGATABLE = new Set(['keyword', 'date', 'long', 'integer', 'double', 'float', 'boolean']);

/** Kibana's own type family: fields of one family in two indexes are no conflict under one pattern. */
export function kibanaType(esType: string): string {
  if (['long', 'integer', 'double', 'float', 'short', 'byte', 'half_float', 'scaled_float'].includes(esType))
    return 'number';
  if (esType === 'text' || esType === 'keyword') return 'string';
  return esType;
}
