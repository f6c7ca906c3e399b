import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../../src/store/es/client.js';
import { ElasticsearchStore } from '../../src/store/elasticsearch.js';
import { indexNames, INDEX_KINDS } from '../../src/store/es/mappings.js';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { startEsStandin, type EsStandin } from '../support/es-standin.js';
import { makeTlsFiles } from '../support/tls-certs.js';
import { runStoreContract } from './contract.js';
import { MODELS_PER_JOB } from '../../src/store/common.js';
import { aggDoc } from './factories.js';
import { REFUSED_PORT } from '../support/loopback-http.js';

let standin: Promise<EsStandin> | undefined;
const getStandin = () => (standin ??= startEsStandin());
after(async () => {
  if (standin) await (await standin).close();
});

let n = 0;
runStoreContract('elasticsearch (stand-in)', async () => {
  const es = await getStandin();
  const config = elasticsearchSchema.parse({ url: es.url, cluster: `c${++n}` });
  const store = await ElasticsearchStore.open(config);
  return {
    store,
    cleanup: async () => {
      for (const name of Object.values(indexNames(config))) es.indexes.delete(name);
    },
  };
});

// Opened to read, the store creates nothing as it opens: each write to an index not there creates it first.
runStoreContract('elasticsearch (stand-in), opened to read, each index created by its first write', async () => {
  const es = await getStandin();
  const config = elasticsearchSchema.parse({ url: es.url, cluster: `r${++n}` });
  const store = await ElasticsearchStore.open(config, { create: false });
  return {
    store,
    cleanup: async () => {
      for (const name of Object.values(indexNames(config))) es.indexes.delete(name);
    },
  };
});

const realUrl = process.env.SPOT_TEST_ES_URL;
if (realUrl) {
  runStoreContract('elasticsearch (real cluster at SPOT_TEST_ES_URL)', async () => {
    const config = elasticsearchSchema.parse({
      url: realUrl,
      indexPrefix: `spot_test_${randomUUID().slice(0, 8)}`,
      username: process.env.SPOT_TEST_ES_USERNAME,
      password: process.env.SPOT_TEST_ES_PASSWORD,
      apiKey: process.env.SPOT_TEST_ES_API_KEY,
      tlsVerify: process.env.SPOT_TEST_ES_TLS_VERIFY !== 'false',
    });
    const store = await ElasticsearchStore.open(config);
    return {
      store,
      cleanup: async () => {
        const client = createClient({ ...config, url: realUrl });
        await client.call({
          method: 'DELETE',
          path: Object.values(indexNames(config)).join(','),
          query: { ignore_unavailable: true },
        });
        await client.close();
      },
    };
  });
} else {
  test('RunStore contract: elasticsearch (real cluster)', {
    skip: 'SPOT_TEST_ES_URL is not set: no real cluster to run the contract against',
  }, () => {});
}

describe('elasticsearch store specifics', () => {
  test('a job keeps only its newest fitted models, as in SQLite; other jobs keep theirs', async () => {
    const es = await getStandin();
    const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url, cluster: 'models-prune' }));
    const put = (app: string, i: number) =>
      store.putModel({
        app,
        query: String(1000 + i),
        fingerprint: 'f',
        version: 'v1',
        storedAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
        doc: { i },
      });
    try {
      await put('other', 0);
      for (let i = 1; i <= MODELS_PER_JOB + 5; i++) await put('etl', i);
      await store.close();
      assert.equal(es.indexes.get('spot_models_models-prune')!.docs.size, MODELS_PER_JOB + 1);
      const reopened = await ElasticsearchStore.open(
        elasticsearchSchema.parse({ url: es.url, cluster: 'models-prune' }),
      );
      const kept = await reopened.models('etl');
      await reopened.close();
      assert.deepEqual(
        kept.map((m) => m.query),
        Array.from({ length: MODELS_PER_JOB }, (_, k) => String(1000 + MODELS_PER_JOB + 5 - k)),
      );
    } finally {
      await store.close();
    }
  });

  test('indexes are created with Spot mappings, named <prefix>_<kind>_<cluster> in lowercase', async () => {
    const es = await getStandin();
    const store = await ElasticsearchStore.open(
      elasticsearchSchema.parse({ url: es.url, cluster: 'Prod', indexPrefix: 'spot' }),
    );
    await store.close();
    for (const kind of INDEX_KINDS) assert.ok(es.indexes.has(`spot_${kind}_prod`), kind);
    const agg = es.indexes.get('spot_agg_prod')!;
    assert.equal(agg.fields.get('attempt.endTime')?.type, 'date');
    assert.equal(agg.fields.get('name.keyword')?.type, 'keyword');
    assert.equal(es.indexes.get('spot_runs_prod')!.fields.get('app')?.type, 'keyword');
  });

  test('an existing index must map the fields Spot searches as Spot does; fields a dynamic:false index lacks are fine', async () => {
    const es = await startEsStandin();
    const put = async (path: string, body: unknown) => {
      const res = await fetch(new URL(path, es.url), {
        method: 'PUT',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.status, 200, await res.text());
    };
    try {
      // an older runs index that maps fewer fields, and no new ones: opens, and its reads work
      await put('/spot_runs_old', { mappings: { dynamic: false, properties: { id: { type: 'keyword' } } } });
      const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url, cluster: 'old' }));
      assert.deepEqual(await store.records({}), []);
      await store.close();
      // reopening what Spot created passes its own check
      await (await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url, cluster: 'old' }))).close();

      await put('/spot_err_text', { mappings: { properties: { docId: { type: 'text' } } } });
      await assert.rejects(
        ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url, cluster: 'text' })),
        /^StoreError: index spot_err_text maps docId as text, but Spot searches it as keyword: delete it/,
      );
      await put('/spot_agg_nokw', {
        mappings: { dynamic: false, properties: { docId: { type: 'keyword' }, name: { type: 'text' } } },
      });
      await assert.rejects(
        ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url, cluster: 'nokw' })),
        /index spot_agg_nokw maps name without the keyword sub-field name\.keyword that Spot searches/,
      );
    } finally {
      await es.close();
    }
  });

  test('a document wider than the field limit raises index.mapping.total_fields.limit and is stored', async () => {
    const es = await startEsStandin({ totalFieldsLimit: 200 });
    try {
      const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url }));
      const doc = aggDoc('wide');
      doc.attempt.environment = {
        sparkProperties: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`k${i}`, i])),
      };
      await store.putAgg([doc, aggDoc('narrow')]);
      assert.deepEqual(await store.getAgg('wide'), [doc]);
      await store.close();
      assert.ok(
        es.requests.some((r) => r.startsWith('PUT /spot_agg_default/_settings')),
        'limit raised',
      );
      assert.ok(es.indexes.get('spot_agg_default')!.totalFieldsLimit > 400);
    } finally {
      await es.close();
    }
  });

  test('concurrent links of one advice from two store instances both survive (optimistic concurrency)', async () => {
    const es = await getStandin();
    const config = elasticsearchSchema.parse({ url: es.url, cluster: 'linking' });
    const [a, b] = await Promise.all([ElasticsearchStore.open(config), ElasticsearchStore.open(config)]);
    const { advice, T0 } = await import('./factories.js');
    await a.putAdvice(advice('adv', 'etl', T0));
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => a.linkAdvice('adv', { exitCode: i })),
      ...Array.from({ length: 5 }, (_, i) => b.linkAdvice('adv', { wallMs: 100 + i })),
    ]);
    const outcome = (await b.getAdvice('adv'))?.outcome;
    assert.equal(typeof outcome?.exitCode, 'number');
    assert.equal(typeof outcome?.wallMs, 'number');
    assert.ok(
      es.requests.some((r) => r.includes('if_seq_no=')),
      'writes were conditional',
    );
    await a.close();
    await b.close();
  });

  test('what one process wrote is searchable by the next once it closed its store', async () => {
    const es = await getStandin();
    const config = elasticsearchSchema.parse({ url: es.url, cluster: 'handover' });
    const { aggDoc, runRecord, T0 } = await import('./factories.js');
    const crawler = await ElasticsearchStore.open(config);
    await crawler.putAgg([aggDoc('app-1')]);
    await crawler.putRecords([runRecord('r1', 'etl', T0)]);
    await crawler.close();
    const reader = await ElasticsearchStore.open(config);
    assert.deepEqual(
      (await reader.query({})).map((d) => d.docId),
      ['app-1-0'],
    );
    assert.deepEqual(
      (await reader.records({})).map((r) => r.id),
      ['r1'],
    );
    await reader.close();
  });

  test('TLS is verified by default; a CA file makes a private certificate acceptable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-es-tls-'));
    const t = await makeTlsFiles(dir);
    const es = await startEsStandin({
      tls: { key: readFileSync(t.serverKey, 'utf8'), cert: readFileSync(t.serverCert, 'utf8') },
    });
    try {
      await assert.rejects(ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url })), (e: Error) => {
        assert.equal(e.name, 'StoreError');
        assert.ok(e.message.includes(es.url), e.message);
        assert.match(e.message, /self-signed|certificate/i);
        assert.match(e.message, /set elasticsearch\.caFile to the CA bundle \(PEM\) that signed it$/);
        return true;
      });
      // The same port spoken to in plain HTTP: the reason says what the URL likely lacks.
      await assert.rejects(
        ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url.replace('https://', 'http://') })),
        /if the server speaks https, the URL must say https:\/\//,
      );
      const withCa = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url, caFile: t.ca }));
      await withCa.close();
      const unverified = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url, tlsVerify: false }));
      await unverified.close();
      await assert.rejects(
        ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url, caFile: join(dir, 'missing.pem') })),
        /cannot read elasticsearch.caFile .*missing\.pem: no such file or folder/,
      );
    } finally {
      await es.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unreachable cluster gives one StoreError naming the URL', async () => {
    const url = `http://127.0.0.1:${REFUSED_PORT}`;
    await assert.rejects(ElasticsearchStore.open(elasticsearchSchema.parse({ url, timeoutMs: 2000 })), (e: Error) => {
      assert.equal(e.name, 'StoreError');
      assert.match(e.message, new RegExp(`cannot reach the cluster at ${url.replace(/[.]/g, '\\.')}`));
      return true;
    });
  });

  test('a success that is no Elasticsearch answer (a proxy page, an empty object) is one StoreError', async () => {
    const es = await getStandin();
    // In front of the stand-in: searches and bulk writes get the answer under test, the rest goes through.
    let answer = '';
    const proxy = createServer((req, res) => {
      if (/\/_(search|bulk)$/.test(new URL(req.url ?? '/', 'http://p').pathname)) {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/html', 'x-elastic-product': 'Elasticsearch' });
        res.end(answer);
        return;
      }
      const target = new URL(req.url ?? '/', es.url);
      req.pipe(
        request(target, { method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        }),
      );
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url, cluster: 'proxied' }));
    try {
      for (const [body, message] of [
        ['<html>Sign in</html>', /not Elasticsearch's JSON: <html>Sign in<\/html>/],
        ['{}', /holds no hits list/],
      ] as const) {
        answer = body;
        await assert.rejects(store.query({ limit: 5 }), (e: Error) => {
          assert.equal(e.name, 'StoreError');
          assert.match(e.message, message);
          assert.ok(e.message.includes(url), e.message);
          return true;
        });
      }
      answer = '{"took":1}';
      await assert.rejects(store.putAgg([aggDoc('app-1')]), /holds no items list/);
    } finally {
      await store.close();
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  test('basic auth and API keys are sent; missing credentials are reported as such', async () => {
    const basic = await startEsStandin({ auth: { username: 'spot', password: 's3cret' } });
    const keyed = await startEsStandin({ auth: { apiKey: 'a2V5OnZhbHVl' } });
    try {
      await assert.rejects(
        ElasticsearchStore.open(elasticsearchSchema.parse({ url: basic.url })),
        /refused the request \(401/,
      );
      const s1 = await ElasticsearchStore.open(
        elasticsearchSchema.parse({ url: basic.url, username: 'spot', password: 's3cret' }),
      );
      await s1.close();
      const s2 = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: keyed.url, apiKey: 'a2V5OnZhbHVl' }));
      assert.deepEqual(await s2.records({}), []);
      await s2.close();
    } finally {
      await basic.close();
      await keyed.close();
    }
  });
});

describe('es stand-in strictness (so the store cannot pass by using what it lacks)', () => {
  const headers = {
    accept: 'application/vnd.elasticsearch+json; compatible-with=9',
    'content-type': 'application/vnd.elasticsearch+json; compatible-with=9',
  };
  const call = async (method: string, path: string, body?: unknown, h: Record<string, string> = headers) => {
    const es = await getStandin();
    const res = await fetch(es.url + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      product: res.headers.get('x-elastic-product'),
      body: (await res.json()) as { error?: { type: string; reason: string } },
    };
  };

  test('answers with the product header, and refuses a media type of a later major version', async () => {
    const ok = await call('GET', '/');
    assert.equal(ok.product, 'Elasticsearch');
    const later = await call('GET', '/', undefined, {
      accept: 'application/vnd.elasticsearch+json; compatible-with=10',
    });
    assert.equal(later.status, 400);
    assert.equal(later.body.error?.type, 'media_type_header_exception');
  });

  test('unsupported queries, aggregations and unknown endpoints are 400s; searches see only refreshed documents', async () => {
    await call('PUT', '/strict_idx', { mappings: { properties: { k: { type: 'keyword' }, t: { type: 'text' } } } });
    await call('PUT', '/strict_idx/_doc/1', { k: 'A b', t: 'Hello World' });
    assert.equal((await call('POST', '/strict_idx/_count', {})).body.error, undefined);
    assert.deepEqual((await call('POST', '/strict_idx/_count', {})).body, { count: 0 }, 'not refreshed yet');
    await call('POST', '/strict_idx/_refresh');
    const count = async (query: unknown) =>
      ((await call('POST', '/strict_idx/_count', { query })).body as { count: number }).count;
    assert.equal(await count({ term: { k: 'A b' } }), 1);
    assert.equal(await count({ term: { t: 'Hello World' } }), 0, 'term on text matches tokens, not the whole value');
    assert.equal(await count({ term: { t: 'hello' } }), 1);
    const agg = await call('POST', '/strict_idx/_search', { aggs: { x: { terms: { field: 'k' } } } });
    assert.equal(agg.status, 400);
    assert.equal(
      (await call('POST', '/strict_idx/_search', { query: { match: { t: 'x' } } })).body.error?.type,
      'parsing_exception',
    );
    assert.equal((await call('POST', '/strict_idx/_search', { sort: [{ t: 'asc' }] })).status, 400);
    assert.equal((await call('POST', '/strict_idx/_search', { size: 10_001 })).status, 400);
    assert.equal((await call('GET', '/_cat/indices')).status, 400);
    assert.equal((await call('POST', '/missing_idx/_search', {})).status, 404);
  });
});
