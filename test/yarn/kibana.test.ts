import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite.js';
import { yarnClient } from '../../src/yarn/client.js';
import { pollYarn } from '../../src/yarn/crawl.js';
import { ROOT } from '../support/paths.js';
import { startRmStandIn } from '../support/rm-server.js';

// The original Spot's two YARN dashboards, shipped in kibana/spot-yarn.ndjson: every field a visualization or
// a filter uses must be written by the YARN crawler into the documents of the index pattern it reads, and the
// documents a visualization's filter keeps must carry the fields it plots. Checked on a real poll of the
// loopback ResourceManager.

type Doc = Record<string, unknown>;
const TABLE_OF_PATTERN: Record<string, string> = {
  'spot_yarn_apps_*': 'yarn_apps',
  'spot_yarn_cluster_*': 'yarn_cluster',
  'spot_yarn_scheduler_*': 'yarn_scheduler',
};

interface Use {
  title: string;
  pattern: string;
  fields: string[];
  /** Phrase filters of the visualization: field → value. */
  filters: [string, string][];
}

function savedObjects(): Doc[] {
  return readFileSync(join(ROOT, 'kibana', 'spot-yarn.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Doc);
}

function uses(objects: Doc[]): { uses: Use[]; timeFields: [string, string][] } {
  const patterns = new Map<string, { title: string; time: string }>();
  for (const o of objects) {
    const a = o.attributes as Doc;
    if (o.type === 'index-pattern')
      patterns.set(o.id as string, { title: a.title as string, time: a.timeFieldName as string });
  }
  const out: Use[] = [];
  for (const o of objects) {
    if (o.type !== 'visualization' && o.type !== 'dashboard') continue;
    const a = o.attributes as Doc;
    const search = JSON.parse(
      ((a.kibanaSavedObjectMeta as Doc | undefined)?.searchSourceJSON as string | undefined) ?? '{}',
    ) as {
      filter?: { meta: { key: string; disabled?: boolean; params?: { query?: string } } }[];
    };
    const refs = (o.references as { name: string; id: string }[]) ?? [];
    const fields = [...String(a.visState ?? '').matchAll(/"field":"([^"]+)"/g)].map((m) => m[1]!);
    const filters = (search.filter ?? []).map(
      (f) => [f.meta.key, String(f.meta.params?.query ?? '')] as [string, string],
    );
    const patternIds = new Set(refs.filter((r) => r.name.startsWith('kibanaSavedObjectMeta')).map((r) => r.id));
    for (const id of patternIds) {
      out.push({
        title: a.title as string,
        pattern: patterns.get(id)!.title,
        fields,
        filters: filters.filter(() => o.type === 'visualization'),
      });
      if (o.type === 'dashboard')
        out.push({
          title: a.title as string,
          pattern: patterns.get(id)!.title,
          fields: filters.map(([k]) => k),
          filters: [],
        });
    }
  }
  return { uses: out, timeFields: [...patterns.values()].map((p) => [p.title, p.time]) };
}

/** The value at a dotted Kibana field path (`.keyword` is Elasticsearch's sub-field of a text field). */
function valueAt(doc: Doc, field: string): unknown {
  let at: unknown = doc;
  for (const key of field.replace(/\.keyword$/, '').split('.'))
    at = at && typeof at === 'object' ? (at as Doc)[key] : undefined;
  return at;
}

describe('kibana/spot-yarn.ndjson against what the YARN crawler writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spot-kibana-yarn-'));
  const docs = new Map<string, Doc[]>();
  before(async () => {
    const rm = await startRmStandIn();
    const store = await SqliteStore.open(join(dir, 'spot.db'));
    const client = yarnClient({ url: rm.url, timeoutMs: 30_000, retries: 0, retryBaseMs: 0 });
    try {
      const s = await pollYarn({ client, store, yarnHost: 'rm.test' });
      assert.equal(s.errors, 0);
    } finally {
      await client.close();
      await store.close();
      await rm.close();
    }
    const db = new Database(join(dir, 'spot.db'), { readonly: true });
    for (const table of Object.values(TABLE_OF_PATTERN)) {
      docs.set(
        table,
        (db.prepare(`SELECT doc FROM ${table}`).pluck().all() as string[]).map((d) => JSON.parse(d) as Doc),
      );
    }
    db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the file holds both dashboards and reads only the YARN index patterns', () => {
    const objects = savedObjects();
    const dashboards = objects.filter((o) => o.type === 'dashboard').map((o) => (o.attributes as Doc).title);
    assert.deepEqual(dashboards.sort(), ['spot_YARN_apps_stats', 'spot_YARN_cluster_stats']);
    const { uses: all } = uses(objects);
    assert.ok(all.length >= 15);
    for (const u of all) assert.ok(TABLE_OF_PATTERN[u.pattern], `${u.title} reads ${u.pattern}`);
  });

  test('every index pattern time field is written', () => {
    for (const [pattern, time] of uses(savedObjects()).timeFields) {
      const written = docs.get(TABLE_OF_PATTERN[pattern]!)!;
      assert.ok(written.length > 0, pattern);
      for (const d of written)
        assert.ok(
          typeof valueAt(d, time) === 'string' && Number.isFinite(Date.parse(valueAt(d, time) as string)),
          `${pattern}: ${time}`,
        );
    }
  });

  test('every field a visualization or filter uses is written, in the documents its filters keep', () => {
    const missing: string[] = [];
    for (const u of uses(savedObjects()).uses) {
      const kept = docs
        .get(TABLE_OF_PATTERN[u.pattern]!)!
        .filter((d) => u.filters.every(([k, v]) => valueAt(d, k) === v));
      if (!kept.length) missing.push(`${u.title}: no document passes its filters ${JSON.stringify(u.filters)}`);
      for (const field of u.fields) {
        if (!kept.some((d) => valueAt(d, field) !== undefined)) missing.push(`${u.title}: ${field}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
