import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.js';
import { ElasticsearchStore } from '../../src/store/elasticsearch.js';
import { copyStore } from '../../src/store/copy.js';
import type { RunStore } from '../../src/store/types.js';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { startEsStandin, type EsStandin } from '../support/es-standin.js';
import { spot } from '../support/cli.js';
import { advice, aggDoc, errorDoc, HOUR, rawDoc, runRecord, T0 } from './factories.js';

// A history moved between a real SQLite file and the Elasticsearch stand-in, both ways, twice.

let dir: string;
let es: EsStandin;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spot-copy-'));
  es = await startEsStandin();
});
after(async () => {
  await es.close();
  rmSync(dir, { recursive: true, force: true });
});

async function fill(store: RunStore, apps: number): Promise<void> {
  for (let i = 0; i < apps; i++) {
    const id = `app-${String(i).padStart(3, '0')}`;
    await store.putRaw(rawDoc(id));
    await store.putAgg([
      aggDoc(id, { attemptId: '1', endMs: T0 + i * HOUR }),
      aggDoc(id, { attemptId: '2', endMs: T0 + i * HOUR + 1 }),
    ]);
  }
  await store.putError(errorDoc('err-1', 'app-bad'));
  await store.putRecords([runRecord('r1', 'etl', T0), runRecord('r2', 'etl', T0 + HOUR)]);
  await store.putAdvice(advice('adv-1', 'etl', T0, { outcome: { exitCode: 0 } }));
}

/** Everything a store holds, in a comparable form. */
async function contents(store: RunStore) {
  const aggs = await store.query({ limit: 10_000 });
  const raws = await Promise.all([...new Set(aggs.map((a) => a.id))].sort().map((id) => store.getRaw(id)));
  return {
    aggs: aggs.map((a) => a.docId).sort(),
    raws,
    errors: await store.errors({}),
    records: await store.records({}),
    advice: await store.listAdvice({}),
  };
}

describe('spot store copy', () => {
  test('sqlite to elasticsearch and back keeps every document, and copying again adds nothing', async () => {
    const sqlite = await SqliteStore.open(join(dir, 'a.db'));
    await fill(sqlite, 7);
    const config = elasticsearchSchema.parse({ url: es.url, cluster: 'copy' });
    const cluster = await ElasticsearchStore.open(config);
    const steps: number[] = [];
    const counts = await copyStore(sqlite, cluster, { chunk: 3, onProgress: (c) => steps.push(c.apps) });
    assert.deepEqual(counts, { apps: 7, raw: 7, agg: 14, errors: 1, records: 2, advice: 1 });
    assert.deepEqual(steps, [0, 3, 6, 7], 'apps go in chunks');
    assert.deepEqual(await contents(cluster), await contents(sqlite));

    await copyStore(sqlite, cluster); // again: idempotent
    assert.equal(es.indexes.get('spot_agg_copy')!.docs.size, 14);
    assert.equal(es.indexes.get('spot_err_copy')!.docs.size, 1);

    const back = await SqliteStore.open(join(dir, 'b.db'));
    await copyStore(cluster, back);
    await copyStore(cluster, back);
    assert.deepEqual(await contents(back), await contents(sqlite));
    for (const s of [sqlite, cluster, back]) await s.close();
  });

  test('through the CLI: both stores as configured; the same type on both sides is a usage error', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const sqlite = await SqliteStore.open(join(home, 'spot.db'));
    await fill(sqlite, 2);
    await sqlite.close();
    writeFileSync(
      join(home, '.spotrc.yml'),
      `store:\n  path: ${join(home, 'spot.db')}\nelasticsearch:\n  url: ${es.url}\n  cluster: cli\n`,
    );
    const r = await spot(home, ['store', 'copy', '--from', 'sqlite', '--to', 'elasticsearch']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout.trim(),
      'copied 2 apps (2 raw, 4 aggregated documents), 1 error document, 2 run records, 1 advice record',
    );
    assert.equal(es.indexes.get('spot_agg_cli')!.docs.size, 4);
    const same = await spot(home, ['store', 'copy', '--from', 'sqlite', '--to', 'sqlite']);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /copy between the SQLite file and the cluster/);
    const bad = await spot(home, ['store', 'copy', '--from', 'mysql', '--to', 'sqlite']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--from must be one of sqlite, elasticsearch, opensearch, got 'mysql'/);
  });

  test('a source that is not there (mistyped path or index prefix) is an error and is not created', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const missingDb = join(home, 'typo', 'spot.db');
    writeFileSync(
      join(home, '.spotrc.yml'),
      `store:\n  path: ${missingDb}\nelasticsearch:\n  url: ${es.url}\n  cluster: cli\n  indexPrefix: tpyo\n`,
    );
    const fromFile = await spot(home, ['store', 'copy', '--from', 'sqlite', '--to', 'elasticsearch']);
    assert.equal(fromFile.code, 1);
    assert.equal(fromFile.stderr, `spot: --from sqlite: no Spot store at ${missingDb} yet: nothing to copy\n`);
    assert.equal(existsSync(missingDb), false);
    const fromCluster = await spot(home, ['store', 'copy', '--from', 'elasticsearch', '--to', 'sqlite']);
    assert.equal(fromCluster.code, 1);
    assert.match(
      fromCluster.stderr,
      /^spot: --from elasticsearch: no Spot store at http:\/\/.* \(no index tpyo_agg_cli\) yet: nothing to copy\n$/,
    );
    assert.equal([...es.indexes.keys()].filter((i) => i.startsWith('tpyo')).length, 0);
    assert.equal(existsSync(missingDb), false);
  });
});
