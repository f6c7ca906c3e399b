import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { ElasticsearchStore } from '../../src/store/elasticsearch.js';
import { StoreMissingError } from '../../src/store/errors.js';
import { FLAVOURS, READ_ONLY_ACTIONS } from '../support/es-protocol.js';
import { startEsStandin, type EsStandinOptions } from '../support/es-standin.js';
import { advice, aggDoc } from './factories.js';

// What a cluster's roles allow decides what Spot may ask. A role made to read Spot's indexes (Elasticsearch's `read`
// index privilege and no cluster privilege, as a Kibana reader's often is) may not ask `GET /` (cluster `monitor`),
// whether an index exists or its mapping (`view_index_metadata`), nor create templates or indexes: the commands that
// only read open the store all the same, and write nothing.

const WRITES = /^(PUT|POST \/[^?]*_bulk|POST \/[^?]*_refresh|POST \/_refresh|DELETE)/;

describe('a role that may only read', () => {
  for (const flavour of FLAVOURS) {
    test(`${flavour}: a reader opens the store, reads what a writer stored, and asks for no write`, async () => {
      const options: EsStandinOptions = { flavour };
      const es = await startEsStandin(options);
      const config = elasticsearchSchema.parse({ url: es.url, cluster: 'prod' });
      try {
        const writer = await ElasticsearchStore.open(config);
        await writer.putAgg([aggDoc('app-1')]);
        await writer.close();
        es.indexes.delete('spot_models_prod'); // a kind no writer has stored yet reads as none
        options.grantedActions = READ_ONLY_ACTIONS;
        const from = es.requests.length;
        const reader = await ElasticsearchStore.open(config, { mustExist: true, create: false });
        try {
          assert.equal(reader.server, undefined, 'its roles may not ask GET /');
          assert.deepEqual(
            (await reader.query({})).map((d) => d.docId),
            ['app-1-0'],
          );
          assert.deepEqual(await reader.models('etl'), []);
          assert.deepEqual(await reader.records({}), []);
          assert.equal(await reader.getAdvice('none'), undefined);
        } finally {
          await reader.close();
        }
        const asked = es.requests.slice(from);
        assert.deepEqual(
          asked.filter((r) => WRITES.test(r)),
          [],
          'a reader asks for no write',
        );
        assert.ok(!es.indexes.has('spot_models_prod'), 'nothing created');
      } finally {
        await es.close();
      }
    });
  }

  test('a reader that may also see index metadata checks mappings, and a store not there is missing, not created', async () => {
    const options: EsStandinOptions = {
      grantedActions: [...READ_ONLY_ACTIONS, 'indices:admin/get', 'indices:admin/mappings/get'],
    };
    const es = await startEsStandin(options);
    try {
      const config = elasticsearchSchema.parse({ url: es.url, cluster: 'none' });
      await assert.rejects(ElasticsearchStore.open(config, { mustExist: true, create: false }), StoreMissingError);
      // a reader without view_index_metadata finds it missing by a search
      options.grantedActions = READ_ONLY_ACTIONS;
      await assert.rejects(ElasticsearchStore.open(config, { mustExist: true, create: false }), StoreMissingError);
      assert.equal(es.indexes.size, 0);
      assert.ok(!es.requests.some((r) => WRITES.test(r)), es.requests.join('\n'));
    } finally {
      await es.close();
    }
  });

  test('a store opened to read creates an index with its template at the first write to it, and no other', async () => {
    const es = await startEsStandin();
    try {
      const config = elasticsearchSchema.parse({ url: es.url, cluster: 'lazy' });
      const store = await ElasticsearchStore.open(config, { create: false });
      try {
        assert.equal(es.indexes.size, 0, 'opening wrote nothing');
        assert.deepEqual(await store.listAdvice({}), []);
        await store.createAdvice(advice('adv-1', 'etl', Date.UTC(2024, 0, 1)));
        assert.deepEqual([...es.indexes.keys()], ['spot_advice_lazy']);
        assert.ok(es.templates.has('spot_advice'));
        assert.equal(es.indexes.get('spot_advice_lazy')!.dynamic, false, "Spot's mapping, not the cluster's guess");
        assert.deepEqual(
          (await store.listAdvice({})).map((a) => a.id),
          ['adv-1'],
        );
      } finally {
        await store.close();
      }
    } finally {
      await es.close();
    }
  });
});
