import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { ElasticsearchStore } from '../../src/store/elasticsearch.js';
import { StoreAccessError, StoreMissingError } from '../../src/store/errors.js';
import { keepEntry, pendingEntries, replayOutbox } from '../../src/store/outbox.js';
import { TEMPLATE_PRIORITY } from '../../src/store/es/indexes.js';
import { FLAVOURS, READ_ONLY_ACTIONS } from '../support/es-protocol.js';
import { startEsStandin, type EsStandinOptions } from '../support/es-standin.js';
import { advice, aggDoc } from './factories.js';
import { startHistoryServer } from '../../src/simulator/history-server.js';
import { runSpot, SINCE, specs, tempHome } from '../crawl/support.js';

// What a cluster's roles allow decides what Spot may ask. A role made to read Spot's indexes (Elasticsearch's `read`
// index privilege and no cluster privilege, as a Kibana reader's often is) may not ask `GET /` (cluster `monitor`),
// whether an index exists or its mapping (`view_index_metadata`), nor create templates or indexes: the commands that
// only read open the store all the same, and write nothing. And the composable templates Spot installs must not meet
// another template at their priority over the same indexes, which the cluster refuses.

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

/** Opens a store on `config`, stores one app, finds it by a search, and closes the store. */
async function storesAndFinds(config: ReturnType<typeof elasticsearchSchema.parse>): Promise<void> {
  const store = await ElasticsearchStore.open(config);
  try {
    await store.putAgg([aggDoc('app-1')]);
    assert.deepEqual(
      (await store.query({})).map((d) => d.docId),
      ['app-1-0'],
    );
  } finally {
    await store.close();
  }
}

describe('index template priorities', () => {
  test("a prefix Elasticsearch's built-in data stream templates also match (logs-*-*): Spot's template wins", async () => {
    const es = await startEsStandin({ flavour: 'elasticsearch-9' });
    try {
      await storesAndFinds(elasticsearchSchema.parse({ url: es.url, indexPrefix: 'logs-spark', cluster: 'prod-eu' }));
      assert.ok(es.indexes.has('logs-spark_agg_prod-eu'));
    } finally {
      await es.close();
    }
  });

  test("another template at Spot's priority over its indexes: one line naming it and what to do", async () => {
    const es = await startEsStandin();
    try {
      const res = await fetch(new URL('/_index_template/team_all', es.url), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ index_patterns: ['spot_*'], priority: TEMPLATE_PRIORITY }),
      });
      assert.equal(res.status, 200, await res.text());
      const config = elasticsearchSchema.parse({ url: es.url, cluster: 'prod' });
      await assert.rejects(ElasticsearchStore.open(config), (e: Error) => {
        assert.equal(e.message.split('\n').length, 1);
        assert.match(
          e.message,
          new RegExp(
            `refused Spot's index template spot_raw \\(spot_raw_\\*, priority ${TEMPLATE_PRIORITY}\\): team_all covers ` +
              'the same indexes at the same priority; give it another priority, or index_patterns that leave these ' +
              'out, or give Spot another elasticsearch.indexPrefix',
          ),
        );
        return true;
      });
    } finally {
      await es.close();
    }
  });
});

// A role made to write Spot's indexes may still lack what Spot asks beside the writes: `view_index_metadata` (whether
// an index exists, its mapping), `maintenance` (refresh). Such a writer stores all the same.
describe('a writer role without some privileges', () => {
  for (const flavour of FLAVOURS) {
    test(`${flavour}: without view_index_metadata, a writer creates what is missing, and only that, and writes`, async () => {
      const es = await startEsStandin({
        flavour,
        deniedActions: ['indices:admin/get', 'indices:admin/mappings/get'],
      });
      const config = elasticsearchSchema.parse({ url: es.url, cluster: 'prod' });
      try {
        await storesAndFinds(config);
        assert.equal(es.indexes.get('spot_runs_prod')!.dynamic, false, "Spot's mapping, not the cluster's guess");
        es.indexes.delete('spot_models_prod');
        const from = es.requests.length;
        const second = await ElasticsearchStore.open(config);
        await second.close();
        assert.deepEqual(
          es.requests.slice(from).filter((r) => r.startsWith('PUT')),
          ['PUT /_index_template/spot_models', 'PUT /spot_models_prod'],
          'only the missing index is created',
        );
      } finally {
        await es.close();
      }
    });

    test(`${flavour}: without maintenance, a writer stores, searches without the refresh, and says so once`, async () => {
      const options: EsStandinOptions = { flavour, deniedActions: ['indices:admin/refresh'] };
      const es = await startEsStandin(options);
      const config = elasticsearchSchema.parse({ url: es.url, cluster: 'prod' });
      const warnings: string[] = [];
      try {
        const store = await ElasticsearchStore.open(config, { warn: (line) => warnings.push(line) });
        try {
          await store.putAgg([aggDoc('app-1')]);
          await store.query({}); // the cluster makes it searchable in its own time
          await store.putAgg([aggDoc('app-2')]);
          await store.query({});
        } finally {
          await store.close();
        }
        assert.equal(warnings.length, 1, warnings.join('\n'));
        assert.match(
          warnings[0]!,
          /refused to refresh spot_agg_prod \(403 security_exception\): the roles lack the index privilege maintenance/,
        );
        assert.equal(es.requests.filter((r) => r.includes('_refresh')).length, 1, 'asked once');
        options.deniedActions = [];
        assert.equal((await fetch(new URL('/_refresh', es.url), { method: 'POST' })).status, 200);
        const reader = await ElasticsearchStore.open(config, { create: false });
        try {
          assert.deepEqual((await reader.query({})).map((d) => d.docId).sort(), ['app-1-0', 'app-2-0']);
        } finally {
          await reader.close();
        }
      } finally {
        await es.close();
      }
    });
  }
});

// Elasticsearch refuses a bulk request as a whole only when the roles may write no index at all; otherwise it answers
// 200 and refuses, inside, each item the roles do not grant (403 security_exception), as OpenSearch does per index.
describe('bulk items the roles refuse', () => {
  const bulkOf = (lines: object[]) => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
  for (const flavour of FLAVOURS) {
    test(`${flavour}: answered 200 with the refused items, as the server refuses them`, async () => {
      const es = await startEsStandin({ flavour, deniedActions: ['indices:data/write/index'] });
      try {
        const res = await fetch(new URL('/_bulk', es.url), {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson' },
          body: bulkOf([
            { create: { _index: 'spot_err_prod', _id: 'e1' } },
            { a: 1 },
            { index: { _index: 'spot_err_prod', _id: 'e2' } },
            { a: 2 },
            { create: { _index: 'spot_advice_prod', _id: 'a1' } },
            { a: 3 },
          ]),
        });
        assert.equal(res.status, 200);
        const body = (await res.json()) as {
          errors: boolean;
          items: Record<string, { status: number; error?: { type: string; reason: string } }>[];
        };
        const statuses = body.items.map((item) => Object.values(item)[0]!.status);
        const refused = Object.values(body.items[1]!)[0]!.error!;
        assert.equal(body.errors, true);
        assert.equal(refused.type, 'security_exception');
        if (flavour.startsWith('opensearch')) {
          // the shard request of spot_err_prod holds an index item: all of its items are refused with it
          assert.deepEqual(statuses, [403, 403, 201]);
          assert.match(refused.reason, /^no permissions for \[indices:data\/write\/index\] and User \[name=spot/);
        } else {
          assert.deepEqual(statuses, [201, 403, 201]);
          assert.match(
            refused.reason,
            /^action \[indices:data\/write\/index\] is unauthorized for user \[spot\] with (effective )?roles \[spot_role\] on indices \[spot_err_prod\], this action is granted by the index privileges \[index,write,all\]$/,
          );
        }
      } finally {
        await es.close();
      }
    });

    test(`${flavour}: the store says so in one line, as a refusal of access, and stores the others`, async () => {
      // a role that may add documents (create_doc) but not overwrite them
      const es = await startEsStandin({ flavour, deniedActions: ['indices:data/write/index'] });
      try {
        const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url, cluster: 'prod' }));
        try {
          await store.createAdvice(advice('adv-1', 'etl', Date.UTC(2024, 0, 1)));
          await assert.rejects(store.putAgg([aggDoc('app-1'), aggDoc('app-2')]), (e: Error) => {
            assert.ok(e instanceof StoreAccessError, String(e));
            assert.equal(e.message.split('\n').length, 1);
            assert.match(
              e.message,
              /refused 2 of 2 document\(s\) while storing aggregated documents; first: spot_agg_prod\/app-1-0: security_exception: .*indices:data\/write\/index.*; the credentials were accepted, but their roles lack the privilege for this$/,
            );
            return true;
          });
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
  }

  test('a 403 that is not security (an index write block) is no missing privilege', async () => {
    const reason = 'index [spot_agg_default] blocked by: [FORBIDDEN/8/index write (api)];';
    const es = await startEsStandin({
      bulkItemFault: () => ({ status: 403, type: 'cluster_block_exception', reason }),
    });
    try {
      const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url }));
      try {
        await assert.rejects(store.putAgg([aggDoc('app-1')]), (e: Error) => {
          assert.ok(!(e instanceof StoreAccessError), String(e));
          assert.match(e.message, /cluster_block_exception: index \[spot_agg_default\] blocked by: .*write \(api\)\]$/);
          return true;
        });
      } finally {
        await store.close();
      }
    } finally {
      await es.close();
    }
  });

  test("spot-submit's advice record the roles may not add stays in the outbox, with the reason", async () => {
    const es = await startEsStandin({ deniedActions: ['indices:data/write/index:op_type/create'] });
    const dir = mkdtempSync(join(tmpdir(), 'spot-outbox-'));
    try {
      const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url }), { create: false });
      try {
        const file = keepEntry(dir, { kind: 'advice', advice: advice('adv-1', 'etl', Date.UTC(2024, 0, 1)) });
        const summary = await replayOutbox(dir, store, { warn: () => undefined });
        assert.equal(summary.stored, 0);
        assert.deepEqual(pendingEntries(dir), [file]);
        assert.match(
          summary.error ?? '',
          /indices:data\/write\/index:op_type\/create.*create_doc,create,index,write,all/,
        );
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await es.close();
    }
  });
});

test('a crawl whose writes the roles refuse stops in one line, files no error against the apps, and stores them later', async () => {
  const shs = await startHistoryServer();
  const options: EsStandinOptions = { deniedActions: ['indices:data/write/index'] }; // may add (create_doc), not index
  const es = await startEsStandin(options);
  const home = tempHome();
  const env = { SPOT_STORE_TYPE: 'elasticsearch', SPOT_ELASTICSEARCH_URL: es.url, SPOT_ELASTICSEARCH_CLUSTER: 'prod' };
  const crawl = ['crawl', '--once', '--history-server', shs.url, '--since', SINCE];
  try {
    for (const s of specs(3, 'application_1709251200030')) shs.addSpec(s);
    const refused = await runSpot(crawl, home, { env });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /security_exception: .*indices:data\/write\/index.*the credentials were accepted/);
    assert.equal(es.indexes.get('spot_err_prod')?.docs.size ?? 0, 0, 'no app is blamed');
    options.deniedActions = [];
    const granted = await runSpot(crawl, home, { env });
    assert.equal(granted.code, 0, granted.stderr);
    assert.equal(es.indexes.get('spot_agg_prod')!.docs.size, 3);
  } finally {
    await Promise.all([es.close(), shs.close()]);
    home.cleanup();
  }
});
