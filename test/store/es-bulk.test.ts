import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticsearchStore } from '../../src/store/elasticsearch.js';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { startEsStandin } from '../support/es-standin.js';
import { FLAVOURS } from '../support/es-protocol.js';
import { aggDoc, runRecord, T0 } from './factories.js';

// Bulk writes item by item: load refusals (429, 5xx) are retried with growing pauses (recorded, not
// waited for), any other refusal costs only its own document.

describe('elasticsearch bulk writes', () => {
  test('items refused with 429 or 503 are sent again with doubling pauses until stored', async () => {
    const refusals = new Map<string, number>([
      ['r1', 2],
      ['r3', 1],
    ]);
    const es = await startEsStandin({
      bulkItemFault: ({ id }) => {
        const left = refusals.get(id) ?? 0;
        if (left === 0) return undefined;
        refusals.set(id, left - 1);
        return id === 'r1'
          ? {
              status: 429,
              type: 'es_rejected_execution_exception',
              reason: 'rejected execution of coordinating operation',
            }
          : { status: 503, type: 'unavailable_shards_exception', reason: 'primary shard is not active' };
      },
    });
    const pauses: number[] = [];
    try {
      const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url }), {
        bulkRetry: { retries: 5, baseMs: 100, sleep: async (ms) => void pauses.push(ms) },
      });
      await store.putRecords(['r1', 'r2', 'r3'].map((id, i) => runRecord(id, 'etl', T0 + i)));
      assert.deepEqual((await store.records({})).map((r) => r.id).sort(), ['r1', 'r2', 'r3']);
      assert.deepEqual(pauses, [100, 200]);
      assert.equal(es.requests.filter((r) => r.startsWith('POST /_bulk')).length, 3, 'only refused items were resent');
      await store.close();
    } finally {
      await es.close();
    }
  });

  test('past the retries, the refused items are named and the rest of the batch is stored', async () => {
    const es = await startEsStandin({
      bulkItemFault: ({ id }) =>
        id === 'r2' ? { status: 429, type: 'es_rejected_execution_exception', reason: 'queue full' } : undefined,
    });
    try {
      const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url }), {
        bulkRetry: { retries: 2, baseMs: 1, sleep: async () => {} },
      });
      await assert.rejects(
        store.putRecords(['r1', 'r2', 'r3'].map((id, i) => runRecord(id, 'etl', T0 + i))),
        (e: Error) => {
          assert.equal(e.name, 'StoreError');
          assert.match(
            e.message,
            /refused 1 of 3 document\(s\) while storing run records \(the others are stored\); first: spot_runs_default\/r2: es_rejected_execution_exception/,
          );
          return true;
        },
      );
      assert.deepEqual((await store.records({})).map((r) => r.id).sort(), ['r1', 'r3']);
      await store.close();
    } finally {
      await es.close();
    }
  });

  test('the only document of a write, refused, is named without "the others"; a reason\'s own ";" is not doubled', async () => {
    const es = await startEsStandin({
      bulkItemFault: () => ({
        status: 503,
        type: 'cluster_block_exception',
        reason: 'blocked by: [SERVICE_UNAVAILABLE/2/no master];',
      }),
    });
    try {
      const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url }), {
        bulkRetry: { retries: 0, baseMs: 1, sleep: async () => {} },
      });
      await assert.rejects(store.putRecords([runRecord('r1', 'etl', T0)]), (e: Error) => {
        assert.match(
          e.message,
          /refused 1 of 1 document\(s\) while storing run records; first: spot_runs_default\/r1: cluster_block_exception: blocked by: \[SERVICE_UNAVAILABLE\/2\/no master\]$/,
        );
        assert.doesNotMatch(e.message, /the others/);
        return true;
      });
      await store.close();
    } finally {
      await es.close();
    }
  });

  test('a document the mapping refuses fails alone, at once, without retries', async () => {
    const es = await startEsStandin();
    const pauses: number[] = [];
    try {
      const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url }), {
        bulkRetry: { retries: 5, baseMs: 1, sleep: async (ms) => void pauses.push(ms) },
      });
      const bad = { ...runRecord('bad', 'etl', T0), endTime: 'not a date' };
      await assert.rejects(store.putRecords([runRecord('good', 'etl', T0), bad]), /endTime of run bad/);
      // the store checks dates itself; a field the server maps as a date refuses other strings the same way
      const { aggDoc } = await import('./factories.js');
      const wrong = aggDoc('wrong');
      (wrong as unknown as { spot: unknown }).spot = 'a string where the mapping has an object';
      await assert.rejects(
        store.putAgg([aggDoc('right'), wrong]),
        /refused 1 of 2 .*spot_agg_default\/wrong-0: document_parsing_exception/,
      );
      assert.equal((await store.getAgg('right')).length, 1);
      assert.deepEqual(pauses, []);
      await store.close();
    } finally {
      await es.close();
    }
  });

  for (const flavour of FLAVOURS) {
    test(`${flavour}: a value the field's mapped type cannot take is named with its field, type and value`, async () => {
      const es = await startEsStandin({ flavour });
      try {
        const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url }));
        // A custom property mapped as a number by its first value, then set to text by a later run.
        const first = aggDoc('first');
        (first.app_specific_data as Record<string, unknown>).batch_size = 500;
        const later = aggDoc('later');
        (later.app_specific_data as Record<string, unknown>).batch_size = 'large';
        await store.putAgg([first]);
        await assert.rejects(store.putAgg([later]), (e: Error) => {
          assert.match(
            e.message,
            /first: spot_agg_default\/later-0: (mapper|document)_parsing_exception: (\[1:1\] )?failed to parse field \[app_specific_data\.batch_size\] of type \[double\] in document with id 'later-0'\. Preview of field's value: 'large' \(For input string: "large"\)$/,
          );
          return true;
        });
        await store.close();
      } finally {
        await es.close();
      }
    });
  }

  /** An agg document of about `bytes` bytes: a wide one, as a Spark 3 environment makes them. */
  const wideAgg = (id: string, bytes: number) => {
    const doc = aggDoc(id);
    (doc.app_specific_data as Record<string, unknown>).note = 'x'.repeat(bytes);
    return doc;
  };

  test('a bulk request the cluster finds too large (413) is sent again in halves until every document is stored', async () => {
    const es = await startEsStandin({ maxContentLength: 64 * 1024 });
    try {
      const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url }));
      const docs = Array.from({ length: 40 }, (_, i) => wideAgg(`app-${i}`, 4000));
      await store.putAgg(docs);
      assert.equal((await store.query({ limit: 100 })).length, 40);
      assert.ok(es.requests.filter((r) => r.startsWith('POST /_bulk')).length > 1);
      await store.close();
    } finally {
      await es.close();
    }
  });

  test('a document too large for any request is refused alone, saying so; the others are stored', async () => {
    const es = await startEsStandin({ maxContentLength: 64 * 1024 });
    try {
      const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url }));
      const docs = [wideAgg('small-1', 100), wideAgg('huge', 70 * 1024), wideAgg('small-2', 100)];
      await assert.rejects(store.putAgg(docs), (e: Error) => {
        assert.match(
          e.message,
          /refused 1 of 3 document\(s\) while storing aggregated documents \(the others are stored\); first: spot_agg_default\/huge-0: request_entity_too_large: the document alone makes a request of \d+ bytes, more than the cluster takes \(http\.max_content_length\)$/,
        );
        return true;
      });
      assert.deepEqual((await store.query({})).map((d) => d.id).sort(), ['small-1', 'small-2']);
      await store.close();
    } finally {
      await es.close();
    }
  });

  test("wide documents go in requests under Amazon OpenSearch Service's smallest limit (10 MiB), none refused", async () => {
    const es = await startEsStandin({ maxContentLength: 10 * 1024 * 1024 });
    try {
      const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url }));
      await store.putAgg(Array.from({ length: 24 }, (_, i) => wideAgg(`app-${i}`, 512 * 1024)));
      // 12 MiB in two requests; sending all at once, then halves, would make three
      assert.equal(es.requests.filter((r) => r.startsWith('POST /_bulk')).length, 2);
      assert.equal((await store.query({})).length, 24);
      await store.close();
    } finally {
      await es.close();
    }
  });
});
