import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHistoryServer } from '../../src/simulator/history-server.js';
import { startEsStandin } from '../support/es-standin.js';
import { runSpot, SINCE, specs, tempHome } from '../crawl/support.js';

// An index that exists before Spot's templates (created by hand, or by a write before the first crawl) has
// mappings of its own: the crawl refuses it up front, in one line, before storing anything, instead of storing
// documents that `spot runs` and `spot report` then cannot search.

const onEs = (url: string, cluster: string) => ({
  SPOT_STORE_TYPE: 'elasticsearch',
  SPOT_ELASTICSEARCH_URL: url,
  SPOT_ELASTICSEARCH_CLUSTER: cluster,
  SPOT_ELASTICSEARCH_INDEX_PREFIX: 'pre',
});

async function put(url: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(new URL(path, url), {
    method: 'PUT',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  assert.equal(res.status, 200, await res.text());
}

describe('an index created before Spot', () => {
  test('a bare index (`curl -XPUT host/pre_agg_c1`): the crawl refuses it in one line and stores nothing', async () => {
    const shs = await startHistoryServer();
    const es = await startEsStandin();
    const home = tempHome();
    try {
      for (const s of specs(3, 'application_1709251200009')) shs.addSpec(s);
      await put(es.url, '/pre_agg_c1');
      const crawl = await runSpot(['crawl', '--once', '--history-server', shs.url, '--since', SINCE], home, {
        env: onEs(es.url, 'c1'),
      });
      assert.equal(crawl.code, 1, crawl.stdout);
      assert.equal(crawl.stderr.trimEnd().split('\n').length, 1, crawl.stderr);
      assert.match(
        crawl.stderr,
        /index pre_agg_c1 does not map docId, which Spot searches as keyword, and would guess its type .*: delete it .*elasticsearch\.indexPrefix or cluster/,
      );
      assert.equal(es.indexes.get('pre_agg_c1')!.docs.size, 0);
      assert.equal(es.indexes.get('pre_runs_c1')?.docs.size ?? 0, 0, 'no run record stored either');
      const runs = await runSpot(['runs'], home, { env: onEs(es.url, 'c1') });
      assert.equal(runs.code, 1);
      assert.match(runs.stderr, /index pre_agg_c1 does not map docId/);
    } finally {
      await es.close();
      await shs.close();
      home.cleanup();
    }
  });

  test('an agg index with `name` as long: refused naming the field, its type and the fix', async () => {
    const shs = await startHistoryServer();
    const es = await startEsStandin();
    const home = tempHome();
    try {
      shs.addSpec(specs(1, 'application_1709251200010')[0]!);
      await put(es.url, '/pre_agg_c2', {
        mappings: { dynamic: false, properties: { docId: { type: 'keyword' }, name: { type: 'long' } } },
      });
      const crawl = await runSpot(['crawl', '--once', '--history-server', shs.url, '--since', SINCE], home, {
        env: onEs(es.url, 'c2'),
      });
      assert.equal(crawl.code, 1, crawl.stdout);
      assert.match(
        crawl.stderr,
        /index pre_agg_c2 maps name as long, but Spot searches it as text with a keyword sub-field \(name\.keyword\): delete it/,
      );
      assert.equal(es.indexes.get('pre_runs_c2')?.docs.size ?? 0, 0);
    } finally {
      await es.close();
      await shs.close();
      home.cleanup();
    }
  });
});
