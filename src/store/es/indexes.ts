import type { EsHttp } from './http.js';
import { StoreError } from '../errors.js';
import { esReason } from './client.js';
import { INDEX_KINDS, MAPPINGS, SEARCHED_FIELDS, templateName, type IndexKind, type IndexNames } from './mappings.js';

/**
 * Above the priorities of Elasticsearch's built-in templates (`logs-*-*`, `metrics-*-*`, `synthetics-*-*`: 100) and of
 * Fleet's (up to 200), and above the 500 Elastic's documentation tells a team to exceed over an overlapping pattern: a
 * prefix such as `logs-spark` would otherwise meet `logs-*-*` at the same priority, which the cluster refuses, or lose
 * to it and become a data stream. Not a round number, which a team's own template is the likelier to have. Spot's
 * patterns (`<prefix>_agg_*`) cover its own indexes only.
 */
export const TEMPLATE_PRIORITY = 517;

/**
 * Which of the store's indexes are there, each checked against Spot's mappings (checkMapping). Credentials without
 * `view_index_metadata` may neither ask whether an index exists (a HEAD answered 403, without a body) nor read its
 * mapping: a search tells whether the index is there, and it is used unchecked. A `reader` (a command that only reads)
 * asks so of the agg index alone, which tells an empty history from none; any other counts as there (a search of one
 * that is not answers as empty history). A writer asks of each, as it must know which to create.
 */
export async function existingIndexes(
  client: EsHttp,
  names: IndexNames,
  { reader }: { reader: boolean },
): Promise<Set<IndexKind>> {
  const there = new Set<IndexKind>();
  for (const kind of INDEX_KINDS) {
    const index = names[kind];
    const exists = await client.call({ method: 'HEAD', path: encodeURIComponent(index), accept: [403, 404] });
    if (exists.status === 403) {
      if ((reader && kind !== 'agg') || (await searchable(client, index))) there.add(kind);
      continue;
    }
    if (exists.status !== 200) continue;
    there.add(kind);
    await checkMapping(client, index, kind);
  }
  return there;
}

/** Whether a search of `index` finds an index: what a reader without `view_index_metadata` may ask. */
async function searchable(client: EsHttp, index: string): Promise<boolean> {
  const res = await client.call({
    method: 'POST',
    path: `${encodeURIComponent(index)}/_search`,
    body: { size: 0, track_total_hits: false },
    accept: [404],
  });
  return res.status !== 404;
}

/**
 * Creates one missing index, after its kind's composable index template over every cluster's index of that kind
 * (`<prefix>_agg_*`), so an index someone else creates (a reindex, a restore, a new cluster name) gets Spot's mappings
 * too rather than dynamic guesses. Another crawler creating it at the same moment is fine.
 */
export async function createIndex(client: EsHttp, names: IndexNames, prefix: string, kind: IndexKind): Promise<void> {
  const name = templateName(prefix, kind);
  const pattern = `${prefix.toLowerCase()}_${kind}_*`;
  try {
    await client.call({
      method: 'PUT',
      path: `_index_template/${encodeURIComponent(name)}`,
      body: { index_patterns: [pattern], priority: TEMPLATE_PRIORITY, template: { mappings: MAPPINGS[kind] } },
    });
  } catch (err) {
    const { type, reason = '' } = esReason(err);
    // The cluster takes no two composable templates of one priority over overlapping patterns.
    if (type === 'illegal_argument_exception' && reason.includes('same priority')) {
      const others = /existing templates \[([^\]]*)\]/.exec(reason)?.[1] ?? 'another template';
      throw new StoreError(
        `the cluster refused Spot's index template ${name} (${pattern}, priority ${TEMPLATE_PRIORITY}): ` +
          `${others} covers the same indexes at the same priority; give it another priority, or index_patterns ` +
          'that leave these out, or give Spot another elasticsearch.indexPrefix',
        { cause: err },
      );
    }
    throw err;
  }
  try {
    await client.call({ method: 'PUT', path: encodeURIComponent(names[kind]), body: { mappings: MAPPINGS[kind] } });
  } catch (err) {
    if (esReason(err).type !== 'resource_already_exists_exception') throw err;
  }
}

/**
 * Creates the missing indexes, as a command that writes wants them. An index that is there already must map the
 * fields Spot searches as Spot does: one created before the templates (by hand, or by a write) is refused, in a
 * StoreError naming the index and the field, before anything is stored in it.
 */
export async function ensureIndexes(client: EsHttp, names: IndexNames, prefix: string): Promise<void> {
  const there = await existingIndexes(client, names, { reader: false });
  for (const kind of INDEX_KINDS) if (!there.has(kind)) await createIndex(client, names, prefix, kind);
}

interface MappedField {
  type?: string;
  dynamic?: unknown;
  properties?: Record<string, MappedField>;
  fields?: Record<string, MappedField>;
}

/** Every field of a mapping by path (`name`, `name.keyword`, `attempt.endTime`), with the `dynamic` it is under. */
function flatten(
  props: Record<string, MappedField> | undefined,
  dynamic: string,
  prefix = '',
  out = new Map<string, { type: string; dynamic: string }>(),
): Map<string, { type: string; dynamic: string }> {
  for (const [key, field] of Object.entries(props ?? {})) {
    const path = `${prefix}${key}`;
    const inner = field.dynamic === undefined ? dynamic : String(field.dynamic);
    out.set(path, { type: field.type ?? 'object', dynamic: inner });
    for (const [sub, f] of Object.entries(field.fields ?? {}))
      out.set(`${path}.${sub}`, { type: f.type ?? 'object', dynamic: inner });
    if (field.properties) flatten(field.properties, inner, `${path}.`, out);
  }
  return out;
}

/** The `dynamic` a new field at `path` would be mapped under: its nearest mapped parent object's, else the index's. */
function dynamicAt(fields: Map<string, { dynamic: string }>, path: string, root: string): string {
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const parent = fields.get(parts.slice(0, i).join('.'));
    if (parent) return parent.dynamic;
  }
  return root;
}

const spotType = (spot: Map<string, { type: string }>, path: string): string => {
  const type = spot.get(path)?.type ?? 'object';
  const keyword = spot.get(`${path}.keyword`);
  return keyword ? `${type} with a ${keyword.type} sub-field (${path}.keyword)` : type;
};

/**
 * Refuses an existing index whose mapping would fail Spot's searches: a field Spot searches that is mapped as
 * another type, or that is not mapped while the index maps new fields by guess. A field missing from an index that
 * maps no new fields (`dynamic: false`, as runs, advice and models are) is fine: sorts name an unmapped type.
 */
async function checkMapping(client: EsHttp, index: string, kind: IndexKind): Promise<void> {
  const wanted = SEARCHED_FIELDS[kind];
  if (wanted.length === 0) return;
  const res = await client.call<Record<string, { mappings?: MappedField & { dynamic?: unknown } }>>({
    method: 'GET',
    path: `${encodeURIComponent(index)}/_mapping`,
    // roles that may ask whether an index exists but not read its mapping use it unchecked: a search a mapping
    // fails says so itself
    accept: [403],
  });
  if (res.status === 403) return;
  const spot = flatten(MAPPINGS[kind].properties as Record<string, MappedField>, String(MAPPINGS[kind].dynamic));
  // An alias answers with the indexes behind it, each checked.
  for (const [concrete, { mappings = {} }] of Object.entries(res.body)) {
    const root = mappings.dynamic === undefined ? 'true' : String(mappings.dynamic);
    const theirs = flatten(mappings.properties, root);
    // A multi-field's parent first: `name` mapped as long says more than a missing `name.keyword`.
    const paths = wanted.flatMap((p) => (p.endsWith('.keyword') ? [p.slice(0, -'.keyword'.length), p] : [p]));
    for (const path of paths) {
      const want = spot.get(path)?.type;
      const have = theirs.get(path);
      const parent = path.endsWith('.keyword') ? theirs.get(path.slice(0, -'.keyword'.length)) : undefined;
      let problem: string | undefined;
      if (have && have.type !== want) {
        problem = `maps ${path} as ${have.type}, but Spot searches it as ${spotType(spot, path)}`;
      } else if (!have && parent) {
        problem = `maps ${path.slice(0, -'.keyword'.length)} without the ${want} sub-field ${path} that Spot searches`;
      } else if (!have && dynamicAt(theirs, path, root) !== 'false') {
        problem =
          `does not map ${path}, which Spot searches as ${spotType(spot, path)}, and would guess its type from ` +
          "the first document (the index was not created with Spot's mappings)";
      }
      if (problem) {
        const which = concrete === index ? `index ${index}` : `index ${concrete} (behind ${index})`;
        throw new StoreError(
          `${which} ${problem}: delete it (reindex what it holds into one Spot creates), or give Spot ` +
            'another elasticsearch.indexPrefix or cluster',
        );
      }
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
