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
import { ElasticsearchYarnStore } from '../../src/store/elasticsearch-yarn.js';
import type { YarnDocKind, YarnExport, YarnStore } from '../../src/store/yarn.js';
import type { YarnDoc } from '../../src/yarn/types.js';

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

const at = (ms: number) => new Date(ms).toISOString();
const meta = (host: string, ms: number, doc_type?: 'queue' | 'user') => ({
  time_processed: at(ms),
  yarn_host: host,
  ...(doc_type ? { doc_type } : {}),
});

/** Two ResourceManagers' polls: cluster documents, applications, scheduler documents (polls of 3, 2, 1), an error. */
async function fillYarn(store: YarnStore): Promise<void> {
  for (const [host, ms] of [
    ['rm-a', T0],
    ['rm-a', T0 + HOUR],
    ['rm-b', T0],
  ] as const)
    await store.putYarnCluster({ clusterMetrics: { appsRunning: 1 }, spot: meta(host, ms) });
  await store.putYarnApps(
    ['application_1_0001', 'application_1_0002'].map((id, i) => ({
      id,
      startedTime: at(T0 + i),
      finishedTime: at(T0 + HOUR + i),
      queue: 'default',
      spot: meta('rm-a', T0 + HOUR),
    })),
  );
  const poll = (host: string, ms: number, n: number): YarnDoc[] =>
    Array.from({ length: n }, (_, i) => ({ queueName: `q${i}`, spot: meta(host, ms, 'queue') }));
  await store.putYarnScheduler(poll('rm-a', T0, 3));
  await store.putYarnScheduler(poll('rm-a', T0 + HOUR, 2));
  await store.putYarnScheduler(poll('rm-b', T0, 1));
  await store.putYarnError({
    docId: 'yarn-err-1',
    spot: {
      ...meta('rm-b', T0 + HOUR),
      spark_app_id: 'n/a',
      error: { type: 'HttpError', message: 'down', stage: 'yarn_apps' },
    },
  });
}

/** Every YARN document of a store, each kind sorted, in a comparable form. */
async function yarnContents(store: YarnExport) {
  const out: Record<string, string[]> = {};
  for (const kind of ['cluster', 'apps', 'scheduler', 'errors'] as YarnDocKind[]) {
    const docs: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.yarnPage(kind, cursor, 1000);
      docs.push(...page.docs.map((d) => JSON.stringify(d)));
      cursor = page.next;
    } while (cursor !== undefined);
    out[kind] = docs.sort();
  }
  return out;
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
    assert.deepEqual(counts, {
      ...{ apps: 7, raw: 7, agg: 14, errors: 1, records: 2, advice: 1, unenriched: 0 },
      yarn: { cluster: 0, apps: 0, scheduler: 0, errors: 0 },
    });
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

  test('YARN documents and the apps waiting for Menas go too, both ways, once however often copied', async () => {
    const sqlite = await SqliteStore.open(join(dir, 'yarn-a.db'));
    await fill(sqlite, 3);
    await sqlite.putRaw(
      rawDoc('app-000', { spot: { ...rawDoc('app-000').spot, unenriched: 'Menas unavailable: down' } }),
    );
    await sqlite.markUnenriched('app-000', 'Menas unavailable: down', new Date(T0));
    await fillYarn(sqlite);
    const config = elasticsearchSchema.parse({ url: es.url, cluster: 'yarncopy' });
    const cluster = await ElasticsearchStore.open(config);
    const clusterYarn = await ElasticsearchYarnStore.open(config);
    const counts = await copyStore(sqlite, cluster, { yarnTo: clusterYarn });
    assert.deepEqual(counts.yarn, { cluster: 3, apps: 2, scheduler: 6, errors: 1 });
    assert.equal(counts.unenriched, 1);
    await copyStore(sqlite, cluster, { yarnTo: clusterYarn }); // again: idempotent
    await clusterYarn.close();
    const readYarn = await ElasticsearchYarnStore.open(config, { create: false });
    for (const [index, n] of [
      ['cluster', 3],
      ['apps', 2],
      ['scheduler', 6],
    ] as const)
      assert.equal(es.indexes.get(`spot_yarn_${index}_yarncopy`)!.docs.size, n, index);
    assert.deepEqual(await yarnContents(readYarn), await yarnContents(sqlite));
    assert.equal((await cluster.errors({})).length, 2, "the History Server's error and the YARN one");

    const back = await SqliteStore.open(join(dir, 'yarn-b.db'));
    await copyStore(cluster, back, { yarnFrom: readYarn });
    const again = await copyStore(cluster, back, { yarnFrom: readYarn });
    assert.deepEqual(again.yarn, { cluster: 3, apps: 2, scheduler: 6, errors: 1 });
    assert.equal(again.errors, 1, 'the YARN error is not copied as a History Server one');
    assert.deepEqual(await yarnContents(back), await yarnContents(sqlite));
    assert.deepEqual(await contents(back), await contents(sqlite));
    assert.deepEqual(await back.unenriched(10), ['app-000']);
    for (const s of [sqlite, cluster, readYarn, back]) await s.close();
  });

  test('pages of scheduler documents hold whole polls, on both stores, whatever the page size', async () => {
    const sqlite = await SqliteStore.open(join(dir, 'yarn-pages.db'));
    await fillYarn(sqlite);
    const config = elasticsearchSchema.parse({ url: es.url, cluster: 'yarnpages' });
    const cluster = await ElasticsearchYarnStore.open(config);
    await copyStore(sqlite, await ElasticsearchStore.open(config), { yarnTo: cluster });
    for (const store of [sqlite, cluster]) {
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.yarnPage('scheduler', cursor, 2);
        pages.push(page.docs.map((d) => `${d.spot.yarn_host} ${d.spot.time_processed}`));
        cursor = page.next;
      } while (cursor !== undefined);
      const polls = pages.map((p) => [...new Set(p)]);
      // each poll in one page only
      assert.equal(polls.flat().length, new Set(polls.flat()).size, JSON.stringify(pages));
      assert.equal(pages.flat().length, 6);
    }
    await sqlite.close();
    await cluster.close();
  });

  test('through the CLI: both stores as configured; the same type on both sides is a usage error', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const sqlite = await SqliteStore.open(join(home, 'spot.db'));
    await fill(sqlite, 2);
    await fillYarn(sqlite);
    await sqlite.close();
    writeFileSync(
      join(home, '.spotrc.yml'),
      `store:\n  path: ${join(home, 'spot.db')}\nelasticsearch:\n  url: ${es.url}\n  cluster: cli\n`,
    );
    const r = await spot(home, ['store', 'copy', '--from', 'sqlite', '--to', 'elasticsearch']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout.trim(),
      'copied 2 apps (2 raw, 4 aggregated documents), 1 error document, 2 run records, 1 advice record, YARN: ' +
        '3 cluster documents, 2 applications, 6 scheduler documents, 1 error document; 0 apps waiting for Menas ' +
        'enrichment; fitted models are not copied (refitted when next needed)',
    );
    assert.equal(es.indexes.get('spot_yarn_scheduler_cli')!.docs.size, 6);
    const home2 = mkdtempSync(join(dir, 'home-'));
    writeFileSync(
      join(home2, '.spotrc.yml'),
      `store:\n  path: ${join(home2, 'spot.db')}\nelasticsearch:\n  url: ${es.url}\n  cluster: cli\n`,
    );
    const back = await spot(home2, ['store', 'copy', '--from', 'elasticsearch', '--to', 'sqlite']);
    assert.equal(back.code, 0, back.stderr);
    assert.match(
      back.stdout,
      /1 error document, .*YARN: 3 cluster documents, 2 applications, 6 scheduler documents, 1 error document;/,
    );
    assert.equal(es.indexes.get('spot_agg_cli')!.docs.size, 4);
    const same = await spot(home, ['store', 'copy', '--from', 'sqlite', '--to', 'sqlite']);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /copy between the SQLite file and the cluster/);
    const bad = await spot(home, ['store', 'copy', '--from', 'mysql', '--to', 'sqlite']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--from must be one of sqlite, elasticsearch, opensearch, got 'mysql'/);
  });

  test('a cluster side without elasticsearch.url is named by its flag, whatever store.type says', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const sqlite = await SqliteStore.open(join(home, 'spot.db'));
    await fill(sqlite, 1);
    await sqlite.close();
    writeFileSync(join(home, '.spotrc.yml'), `store:\n  path: ${join(home, 'spot.db')}\n`);
    const to = await spot(home, ['store', 'copy', '--from', 'sqlite', '--to', 'elasticsearch']);
    assert.equal(to.code, 2);
    assert.equal(
      to.stderr,
      'spot: --to elasticsearch: elasticsearch.url is not set (SPOT_ELASTICSEARCH_URL): the cluster to copy to\n',
    );
    const from = await spot(home, ['store', 'copy', '--from', 'opensearch', '--to', 'sqlite']);
    assert.equal(from.code, 2);
    assert.equal(
      from.stderr,
      'spot: --from opensearch: elasticsearch.url is not set (SPOT_ELASTICSEARCH_URL): the cluster to copy from\n',
    );
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
