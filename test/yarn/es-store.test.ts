import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { ElasticsearchYarnStore, yarnIndexNames } from '../../src/store/elasticsearch-yarn.js';
import { yarnClient } from '../../src/yarn/client.js';
import { pollYarn } from '../../src/yarn/crawl.js';
import { startEsStandin, type EsStandin } from '../support/es-standin.js';
import { ROOT } from '../support/paths.js';
import { fixtureApps, startRmStandIn, type RmStandIn } from '../support/rm-server.js';

// The YARN crawler into Elasticsearch (the strict protocol stand-in): the original's spot_yarn_* indexes, ids,
// the next poll's finishedTimeBegin, and the dashboards' fields present in the index mappings.

let es: EsStandin;
let rm: RmStandIn;
let store: ElasticsearchYarnStore;
const config = () => elasticsearchSchema.parse({ url: es.url, cluster: 'prod' });
const names = () => yarnIndexNames(config());

async function poll(at: Date) {
  const client = yarnClient({ url: rm.url, timeoutMs: 30_000, retries: 0, retryBaseMs: 0 });
  try {
    return await pollYarn({ client, store, yarnHost: 'rm.test', now: () => at });
  } finally {
    await client.close();
  }
}

before(async () => {
  es = await startEsStandin();
  rm = await startRmStandIn();
  store = await ElasticsearchYarnStore.open(config());
});
after(async () => {
  await store.close();
  await rm.close();
  await es.close();
});

describe('the YARN crawler into Elasticsearch', () => {
  test('writes spot_yarn_{cluster,apps,scheduler}_<cluster>; apps by YARN app id; the next poll asks from the newest', async () => {
    assert.deepEqual(names(), {
      cluster: 'spot_yarn_cluster_prod',
      apps: 'spot_yarn_apps_prod',
      scheduler: 'spot_yarn_scheduler_prod',
    });
    const first = await poll(new Date('2024-05-01T10:00:00Z'));
    assert.deepEqual(first, { clusterDoc: true, apps: 2, schedulerDocs: 9, errors: 0, warnings: [] });
    assert.deepEqual([...es.indexes.get('spot_yarn_apps_prod')!.docs.keys()].sort(), [
      'application_1326815542473_0001',
      'application_1326815542473_0002',
    ]);
    assert.equal(es.indexes.get('spot_yarn_cluster_prod')!.docs.size, 1);
    assert.equal(es.indexes.get('spot_yarn_scheduler_prod')!.docs.size, 9);

    rm.apps.push({ ...fixtureApps()[0]!, id: 'application_1326815542473_0003', finishedTime: 1326815999000 });
    rm.breakEndpoint('cluster/metrics', 500);
    rm.requests.length = 0;
    const second = await poll(new Date('2024-05-01T10:01:00Z'));
    assert.equal(second.apps, 1);
    assert.match(
      decodeURIComponent(rm.requests.find((r) => r.startsWith('/ws/v1/cluster/apps?'))!),
      /finishedTimeBegin=1326815789546/,
    );
    assert.equal(es.indexes.get('spot_yarn_apps_prod')!.docs.size, 3);
    assert.equal((await store.latestYarnFinishedTime('rm.test'))?.getTime(), 1326815999000);
    assert.equal(await store.latestYarnFinishedTime('other'), undefined);
    // Of those finished by a time: an app stamped after it does not count.
    const before = new Date(1326815999000 - 1);
    assert.equal((await store.latestYarnFinishedTime('rm.test', before))?.getTime(), 1326815789546);
    const byId = await store.yarnAppsById(['application_1326815542473_0003']);
    assert.equal(byId.get('application_1326815542473_0003')?.user, 'user1');
    assert.equal(
      (await store.yarnApps({ limit: 2 })).map((a) => a.id).join(),
      'application_1326815542473_0003,application_1326815542473_0002',
    );
    // The failing part went to the err index, in the original's shape.
    const errs = [...es.indexes.get('spot_err_prod')!.docs.values()].map(
      (d) => d.source as { spot: Record<string, unknown> },
    );
    assert.equal(errs.length, 1);
    assert.equal(errs[0]!.spot.yarn_host, 'rm.test');
    assert.deepEqual(errs[0]!.spot.error, {
      type: 'HTTPError',
      message: `ResourceManager answered HTTP 500 for ${rm.url}/ws/v1/cluster/metrics`,
      stage: 'yarn_cluster_stats',
    });
  });

  test('closing the store refreshes what it wrote, so the next process sees it at once', async () => {
    const own = await ElasticsearchYarnStore.open(elasticsearchSchema.parse({ url: es.url, cluster: 'fresh' }));
    const client = yarnClient({ url: rm.url, timeoutMs: 30_000, retries: 0, retryBaseMs: 0 });
    try {
      await pollYarn({ client, store: own, yarnHost: 'rm.test', now: () => new Date('2024-05-01T10:00:00Z') });
    } finally {
      await client.close();
    }
    const apps = es.indexes.get('spot_yarn_apps_fresh')!;
    assert.equal(apps.visible.size, 0, 'not searchable before a refresh');
    await own.close();
    assert.equal(apps.visible.size, apps.docs.size);
    assert.ok(apps.docs.size > 0);
  });

  test('every field the YARN dashboards use is mapped in the index their pattern names', () => {
    const objects = readFileSync(join(ROOT, 'kibana', 'spot-yarn.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const patterns = new Map<string, string>();
    for (const o of objects)
      if (o.type === 'index-pattern') patterns.set(o.id, o.attributes.title.replace('*', 'prod'));
    const missing: string[] = [];
    for (const o of objects) {
      if (o.type !== 'visualization') continue;
      const index = patterns.get(
        o.references.find((r: { name: string }) => r.name === 'kibanaSavedObjectMeta.searchSourceJSON.index').id,
      )!;
      const mapped = es.indexes.get(index)!.fields;
      const search = JSON.parse(o.attributes.kibanaSavedObjectMeta.searchSourceJSON) as {
        filter?: { meta: { key: string } }[];
      };
      const fields = [...String(o.attributes.visState).matchAll(/"field":"([^"]+)"/g)].map((m) => m[1]!);
      for (const f of [...fields, ...(search.filter ?? []).map((x) => x.meta.key)])
        if (!mapped.has(f)) missing.push(`${index}: ${f}`);
    }
    assert.deepEqual(missing, []);
  });
});
