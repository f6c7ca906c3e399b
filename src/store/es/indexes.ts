import type { Client } from '@elastic/elasticsearch';
import { esReason } from './client.js';
import { INDEX_KINDS, MAPPINGS, type IndexNames } from './mappings.js';

/** Creates the missing indexes with Spot's mappings. Another crawler creating one at the same moment is fine. */
export async function ensureIndexes(client: Client, names: IndexNames): Promise<void> {
  for (const kind of INDEX_KINDS) {
    const index = names[kind];
    if (await client.indices.exists({ index })) continue;
    try {
      await client.indices.create({ index, mappings: MAPPINGS[kind] });
    } catch (err) {
      if (esReason(err).type !== 'resource_already_exists_exception') throw err;
    }
  }
}

const FIELD_LIMIT = /Limit of total fields \[(\d+)\]/;

/** The current limit when ES refused a document for having too many fields, else undefined. */
export function fieldLimitOf(error: { reason?: string; caused_by?: { reason?: string } } | undefined): number | undefined {
  const m = FIELD_LIMIT.exec(error?.caused_by?.reason ?? '') ?? FIELD_LIMIT.exec(error?.reason ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Mapped fields a document can add at most: every object and leaf path, twice for text + keyword. */
export function fieldCount(doc: unknown): number {
  const paths = new Set<string>();
  const visit = (prefix: string, v: unknown): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(prefix, x));
    if (prefix) paths.add(prefix);
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(prefix ? `${prefix}.${k}` : k, x);
  };
  visit('', doc);
  return 2 * paths.size;
}

/**
 * As the original did: Spark 3 environments and custom properties make agg documents wide, so when ES
 * refuses one for the field limit, raise the limit enough for the refused documents and retry once.
 */
export async function raiseFieldLimit(client: Client, index: string, current: number, refused: unknown[]): Promise<void> {
  const needed = refused.reduce<number>((sum, d) => sum + fieldCount(d), 0);
  await client.indices.putSettings({ index, settings: { index: { mapping: { total_fields: { limit: current + needed } } } } });
}
