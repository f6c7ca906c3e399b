import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ElasticsearchStore } from '../../src/store/elasticsearch.js';
import { createClient } from '../../src/store/es/client.js';
import { indexNames } from '../../src/store/es/mappings.js';
import { detectServer } from '../../src/store/es/server.js';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { FLAVOURS, type EsFlavour } from '../support/es-protocol.js';
import { startEsStandin, type EsStandin } from '../support/es-standin.js';
import { runStoreContract } from './contract.js';
import { aggDoc, runRecord, T0 } from './factories.js';

// One store for every supported server: each stand-in speaks as one version, with that version's media
// types, root response and product header; the contract runs in full on the oldest of each product.

const standins = new Map<EsFlavour, Promise<EsStandin>>();
const standin = (f: EsFlavour) => {
  if (!standins.has(f)) standins.set(f, startEsStandin({ flavour: f }));
  return standins.get(f)!;
};
after(async () => {
  for (const s of standins.values()) await (await s).close();
});

let n = 0;
for (const flavour of ['elasticsearch-7', 'opensearch-1'] as const) {
  runStoreContract(`${flavour} (stand-in)`, async () => {
    const es = await standin(flavour);
    const config = elasticsearchSchema.parse({ url: es.url, cluster: `v${++n}` });
    const store = await ElasticsearchStore.open(config);
    return {
      store,
      cleanup: async () => {
        for (const i of Object.values(indexNames(config))) es.indexes.delete(i);
      },
    };
  });
}

for (const [name, envUrl] of [
  ['elasticsearch', 'SPOT_TEST_ES_URL'],
  ['opensearch', 'SPOT_TEST_OPENSEARCH_URL'],
] as const) {
  const url = process.env[envUrl];
  if (!url) {
    test(`RunStore contract: ${name} (real server)`, { skip: `${envUrl} is not set` }, () => {});
    continue;
  }
  if (name === 'elasticsearch') continue; // runs in elasticsearch.test.ts
  const prefix = envUrl.replace(/_URL$/, '');
  runStoreContract(`${name} (real server at ${envUrl})`, async () => {
    const config = elasticsearchSchema.parse({
      url,
      indexPrefix: `spot_test_${randomUUID().slice(0, 8)}`,
      username: process.env[`${prefix}_USERNAME`],
      password: process.env[`${prefix}_PASSWORD`],
      tlsVerify: process.env[`${prefix}_TLS_VERIFY`] !== 'false',
    });
    const store = await ElasticsearchStore.open(config, { expect: 'opensearch' });
    return {
      store,
      cleanup: async () => {
        const client = createClient({ ...config, url });
        await client.call({
          method: 'DELETE',
          path: Object.values(indexNames(config)).join(','),
          query: { ignore_unavailable: true },
        });
        await client.call({ method: 'DELETE', path: `_index_template/${config.indexPrefix}_*`, accept: [404] });
        await client.close();
      },
    };
  });
}

describe('server versions', () => {
  for (const flavour of FLAVOURS) {
    test(`${flavour}: detected from its root response; writes, reads and index templates work`, async () => {
      const es = await standin(flavour);
      const config = elasticsearchSchema.parse({ url: es.url, cluster: `smoke-${flavour}` });
      const store = await ElasticsearchStore.open(config);
      assert.equal(store.server?.product, flavour.split('-')[0]);
      assert.equal(store.server?.major, Number(flavour.split('-')[1]));
      await store.putAgg([aggDoc('app-1')]);
      await store.putRecords([runRecord('r1', 'etl', T0)]);
      assert.deepEqual(
        (await store.query({})).map((d) => d.docId),
        ['app-1-0'],
      );
      assert.deepEqual(
        (await store.records({ app: 'etl' })).map((r) => r.id),
        ['r1'],
      );
      await store.close();
      assert.ok(es.templates.has('spot_agg'), 'composable template for spot_agg_*');
      assert.deepEqual(es.templates.get('spot_agg')!.patterns, ['spot_agg_*']);
    });
  }

  const vendored = (v: number) => ({ accept: `application/vnd.elasticsearch+json; compatible-with=${v}` });
  const status = async (f: EsFlavour, headers: Record<string, string>) =>
    (await fetch((await standin(f)).url, { headers })).status;

  test('each stand-in refuses the versioned media types its real server refuses', async () => {
    assert.equal(await status('elasticsearch-9', vendored(9)), 200);
    assert.equal(await status('elasticsearch-9', vendored(8)), 200);
    assert.equal(await status('elasticsearch-8', vendored(9)), 400, 'the v9 client against 8.x');
    assert.equal(await status('elasticsearch-8', vendored(8)), 200);
    assert.equal(await status('elasticsearch-7', vendored(8)), 400);
    assert.equal(await status('opensearch-2', vendored(7)), 406, 'OpenSearch takes no vendored types');
    for (const f of FLAVOURS) assert.equal(await status(f, { accept: 'application/json' }), 200, f);
  });

  test('only Elasticsearch sends X-Elastic-Product', async () => {
    for (const f of FLAVOURS) {
      const res = await fetch((await standin(f)).url, { headers: { accept: 'application/json' } });
      assert.equal(res.headers.get('x-elastic-product'), f.startsWith('elasticsearch') ? 'Elasticsearch' : null, f);
    }
  });

  test("store.type 'opensearch' against Elasticsearch says what it found", async () => {
    const es = await standin('elasticsearch-8');
    await assert.rejects(
      ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url, cluster: 'wrong' }), { expect: 'opensearch' }),
      (e: Error) => {
        assert.equal(e.name, 'StoreError');
        assert.match(e.message, /store.type is 'opensearch' but .* runs Elasticsearch 8\.15\.3/);
        return true;
      },
    );
  });

  test('servers Spot does not support, and impostors, are named as such', () => {
    const es = (number: string, distribution?: string) => ({
      version: { number, ...(distribution ? { distribution } : {}) },
    });
    const product = { 'x-elastic-product': 'Elasticsearch' };
    assert.throws(
      () => detectServer('u', es('6.8.23'), product),
      /runs Elasticsearch 6\.8\.23, which Spot does not support/,
    );
    assert.throws(() => detectServer('u', es('7.10.2'), product), /does not support/);
    assert.throws(() => detectServer('u', { ok: true }, {}), /does not answer like Elasticsearch or OpenSearch/);
    assert.throws(() => detectServer('u', es('8.15.0'), {}), /lacks the X-Elastic-Product header/);
    assert.deepEqual(detectServer('u', es('7.10.2', 'opensearch'), {}), {
      product: 'opensearch',
      version: '7.10.2',
      major: 7,
      minor: 10,
    });
    assert.equal(detectServer('u', es('7.17.24'), product).product, 'elasticsearch');
  });
});
