import type { EsHttp } from './http.js';
import { esReason } from './client.js';
import { INDEX_KINDS, MAPPINGS, templateName, type IndexNames } from './mappings.js';

/**
 * Creates the missing indexes. Each kind first gets a composable index template over every cluster's index
 * of that kind (`<prefix>_agg_*`), so an index someone else creates (a reindex, a restore, a new cluster
 * name) gets Spot's mappings too rather than dynamic guesses. Another crawler creating one at the same
 * moment is fine.
 */
export async function ensureIndexes(client: EsHttp, names: IndexNames, prefix: string): Promise<void> {
  for (const kind of INDEX_KINDS) {
    const index = names[kind];
    const exists = await client.call({ method: 'HEAD', path: encodeURIComponent(index), accept: [404] });
    if (exists.status === 200) continue;
    await client.call({
      method: 'PUT',
      path: `_index_template/${encodeURIComponent(templateName(prefix, kind))}`,
      body: {
        index_patterns: [`${prefix.toLowerCase()}_${kind}_*`],
        priority: 100,
        template: { mappings: MAPPINGS[kind] },
      },
    });
    try {
      await client.call({ method: 'PUT', path: encodeURIComponent(index), body: { mappings: MAPPINGS[kind] } });
    } catch (err) {
      if (esReason(err).type !== 'resource_already_exists_exception') throw err;
    }
  }
}

const FIELD_LIMIT = /Limit of total fields \[(\d+)\]/;

/** The current limit when the server refused a document for having too many fields, else undefined. */
export function fieldLimitOf(
  error: { reason?: string; caused_by?: { reason?: string } } | undefined,
): number | undefined {
  const m = FIELD_LIMIT.exec(error?.caused_by?.reason ?? '') ?? FIELD_LIMIT.exec(error?.reason ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Mapped fields a document can add at most: every object and leaf path, twice for text + keyword. */
function fieldCount(doc: unknown): number {
  const paths = new Set<string>();
  const visit = (prefix: string, v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(prefix, x);
      return;
    }
    if (prefix) paths.add(prefix);
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(prefix ? `${prefix}.${k}` : k, x);
  };
  visit('', doc);
  return 2 * paths.size;
}

/**
 * As the original did: Spark 3 environments and custom properties make agg documents wide, so when the
 * server refuses one for the field limit, raise the limit enough for the refused documents and retry once.
 */
export async function raiseFieldLimit(
  client: EsHttp,
  index: string,
  current: number,
  refused: unknown[],
): Promise<void> {
  const needed = refused.reduce<number>((sum, d) => sum + fieldCount(d), 0);
  await client.call({
    method: 'PUT',
    path: `${encodeURIComponent(index)}/_settings`,
    body: { index: { mapping: { total_fields: { limit: current + needed } } } },
  });
}
