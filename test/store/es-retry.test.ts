import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createContext } from '../../src/cli/context.js';
import { ElasticsearchYarnStore } from '../../src/store/elasticsearch-yarn.js';
import { ElasticsearchStore } from '../../src/store/elasticsearch.js';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { startEsStandin, type EsStandinOptions } from '../support/es-standin.js';
import { aggDoc, runRecord, T0 } from './factories.js';

// Reads, existence checks and index creation are tried again when the cluster is too busy (429, 502-504) or the
// connection drops, with doubling pauses (recorded, not waited for); past the retries, one line says what was asked,
// what the cluster answered in words, and how many tries it took. Bulk writes keep their own item-by-item retries.

const busy429 = { status: 429, type: 'es_rejected_execution_exception', reason: 'rejected execution of operation' };
const noMaster = {
  status: 503,
  type: 'cluster_block_exception',
  reason: 'blocked by: [SERVICE_UNAVAILABLE/2/no master];',
};

/** Faults `count` requests that `match` picks (all of them with Infinity), then lets the server answer. */
function faults(
  match: (r: { method: string; path: string }) => boolean,
  count: number,
  fault: ReturnType<NonNullable<EsStandinOptions['requestFault']>>,
): EsStandinOptions['requestFault'] {
  let left = count;
  return (r) => {
    if (!match(r) || left <= 0) return undefined;
    left--;
    return fault;
  };
}

const isSearch = (r: { path: string }) => r.path.endsWith('/_search');

async function withStore(
  requestFault: EsStandinOptions['requestFault'],
  body: (store: ElasticsearchStore, pauses: number[], requests: string[]) => Promise<void>,
  retries = 3,
): Promise<void> {
  const es = await startEsStandin({ requestFault });
  const pauses: number[] = [];
  try {
    const config = elasticsearchSchema.parse({ url: es.url, retries, retryBaseMs: 100 });
    const store = await ElasticsearchStore.open(config, {
      retrySleep: async (ms) => void pauses.push(ms),
      bulkRetry: { retries: 2, baseMs: 1, sleep: async () => {} },
    });
    try {
      await body(store, pauses, es.requests);
    } finally {
      await store.close();
    }
  } finally {
    await es.close();
  }
}

describe('elasticsearch retries of reads and checks', () => {
  test('a search answered 503 then 429 is tried again with doubling pauses and answers', async () => {
    let n = 0;
    await withStore(
      (r) => (isSearch(r) && n++ < 2 ? (n === 1 ? noMaster : busy429) : undefined),
      async (store, pauses, requests) => {
        await store.putAgg([aggDoc('app-1')]);
        assert.deepEqual(
          (await store.query({})).map((d) => d.id),
          ['app-1'],
        );
        assert.deepEqual(pauses, [100, 200]);
        assert.equal(requests.filter((r) => r.includes('/_search')).length, 3);
      },
    );
  });

  test('a connection dropped without an answer is tried again', async () => {
    await withStore(faults(isSearch, 1, 'reset'), async (store, pauses) => {
      assert.deepEqual(await store.query({}), []);
      assert.deepEqual(pauses, [100]);
    });
  });

  test('an existence check answered 429 while opening the store is tried again, and the store opens', async () => {
    await withStore(
      faults((r) => r.method === 'HEAD', 2, busy429),
      async (_store, pauses) => {
        assert.deepEqual(pauses, [100, 200]);
      },
    );
  });

  test('past the retries: what was asked, the status in words and the tries, in one line', async () => {
    await withStore(
      faults(isSearch, Infinity, busy429),
      async (store, pauses) => {
        await assert.rejects(store.query({}), (e: Error) => {
          assert.equal(e.name, 'StoreError');
          assert.match(
            e.message,
            /failed while searching spot_agg_default: the cluster answered 429 Too Many Requests to a search of spot_agg_default, 3 tries \(es_rejected_execution_exception: rejected execution of operation\)$/,
          );
          return true;
        });
        assert.deepEqual(pauses, [100, 200]);
      },
      2,
    );
  });

  test('a HEAD has no body: a refused existence check still says 429 Too Many Requests, not a bare "429"', async () => {
    const es = await startEsStandin({ requestFault: faults((r) => r.method === 'HEAD', Infinity, busy429) });
    try {
      const config = elasticsearchSchema.parse({ url: es.url, retries: 1, retryBaseMs: 100 });
      await assert.rejects(ElasticsearchStore.open(config, { retrySleep: async () => {} }), (e: Error) => {
        assert.equal(e.name, 'StoreError');
        assert.match(
          e.message,
          /failed while opening the store: the cluster answered 429 Too Many Requests to an existence check of spot_raw_default, 2 tries$/,
        );
        return true;
      });
    } finally {
      await es.close();
    }
  });

  test('a cluster block is not doubled by retries of a bulk write, and refusals are not retried', async () => {
    await withStore(
      faults((r) => r.path === '/_bulk', Infinity, noMaster),
      async (store, pauses, requests) => {
        await assert.rejects(store.putAgg([aggDoc('app-1')]), /no master\]$/);
        // the bulk write's own retries (bulkRetry: 2) only, each sent once
        assert.equal(requests.filter((r) => r.startsWith('POST /_bulk')).length, 3);
        assert.deepEqual(pauses, []);
      },
    );
    await withStore(
      faults(isSearch, 1, { status: 400, type: 'parsing_exception', reason: 'unknown query' }),
      async (store, pauses) => {
        await assert.rejects(store.query({}), /parsing_exception: unknown query$/);
        assert.deepEqual(pauses, []);
      },
    );
  });
});

describe('elasticsearch close after the cluster stopped answering', () => {
  const isRefresh = (r: { path: string }) => r.path.endsWith('/_refresh');

  /**
   * A store with something written (so close refreshes), its pauses and warnings recorded, on a stand-in faulted by
   * `fault`.
   */
  async function written(fault: EsStandinOptions['requestFault'], timeoutMs = 30_000) {
    const es = await startEsStandin({ requestFault: fault });
    const pauses: number[] = [];
    const warnings: string[] = [];
    const config = elasticsearchSchema.parse({ url: es.url, retries: 3, retryBaseMs: 100, timeoutMs });
    const store = await ElasticsearchStore.open(config, {
      retrySleep: async (ms) => void pauses.push(ms),
      warn: (line) => void warnings.push(line),
    });
    await store.putAgg([aggDoc('app-1')]);
    // Only close's pauses are asked about: a loaded machine may have retried the setup's requests.
    pauses.length = 0;
    return { es, store, pauses, warnings };
  }

  /** The one line a user reads when the closing refresh failed: which cluster, why, and what it means. */
  function assertOneStaleWarning(warnings: string[], url: string, why: RegExp): void {
    assert.equal(warnings.length, 1, warnings.join('\n'));
    const [line] = warnings as [string];
    assert.doesNotMatch(line, /\n/);
    assert.ok(line.includes(url), line);
    assert.match(line, why);
    assert.match(line, /last writes may not be searchable yet/);
  }

  test('the cluster gone before close: close resolves after one try, without retry pauses, and warns once', async () => {
    const { es, store, pauses, warnings } = await written(undefined);
    await es.close();
    await store.close();
    assert.deepEqual(pauses, []);
    assertOneStaleWarning(warnings, es.url, /cannot reach the cluster/);
    await store.close(); // closed once: said once
    assert.equal(warnings.length, 1);
  });

  test('a refresh refused (503) or never answered at close: close resolves, without retry pauses, and warns once', async () => {
    for (const [fault, timeoutMs, why] of [
      [noMaster, 30_000, /cluster_block_exception/],
      // Long enough that the setup's requests never meet it: it bounds only the refresh that never comes.
      ['hang', 1_000, /no answer within 1000 ms/],
    ] as const) {
      const { es, store, pauses, warnings } = await written((r) => (isRefresh(r) ? fault : undefined), timeoutMs);
      try {
        await store.close();
        assert.deepEqual(pauses, [], String(fault));
        assert.equal(es.requests.filter((r) => r.includes('/_refresh')).length, 1);
        assertOneStaleWarning(warnings, es.url, why);
      } finally {
        await es.close();
      }
    }
  });

  test('a refresh that succeeds at close warns nothing', async () => {
    const { es, store, warnings } = await written(undefined);
    try {
      await store.close();
      assert.equal(es.requests.filter((r) => r.includes('/_refresh')).length, 1);
      assert.deepEqual(warnings, []);
    } finally {
      await es.close();
    }
  });

  test('the YARN store warns the same once when its closing refresh fails', async () => {
    const es = await startEsStandin();
    const warnings: string[] = [];
    const store = await ElasticsearchYarnStore.open(elasticsearchSchema.parse({ url: es.url, cluster: 'prod' }), {
      warn: (line) => void warnings.push(line),
    });
    await store.putYarnCluster({ spot: { time_processed: '2024-05-01T10:00:00.000Z', yarn_host: 'rm.test' } });
    await es.close();
    await store.close();
    assertOneStaleWarning(warnings, es.url, /cannot reach the cluster/);
  });

  test('through the CLI context: one "spot: warning:" line on its stderr, and close still resolves', async () => {
    const es = await startEsStandin();
    const home = mkdtempSync(join(tmpdir(), 'spot-es-close-'));
    try {
      let err = '';
      const ctx = await createContext({
        env: { SPOT_HOME: home, SPOT_STORE_TYPE: 'elasticsearch', SPOT_ELASTICSEARCH_URL: es.url },
        out: { write: () => undefined, isTTY: false },
        err: {
          write: (t) => {
            err += t;
          },
          isTTY: false,
        },
      });
      await (await ctx.store()).putAgg([aggDoc('app-1')]);
      await es.close();
      await ctx.close();
      const lines = err.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, err);
      assert.match(lines[0]!, /^spot: warning: cannot reach the cluster at .*last writes may not be searchable yet/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('a search still waiting on a cluster that stopped answering does not hold close up', async () => {
    const { es, store } = await written((r) => (isSearch(r) ? 'hang' : undefined), 3_600_000);
    try {
      const pending = assert.rejects(store.query({}), /the store is closed|destroyed/);
      // The search is on the wire once the stand-in has it (the refresh of what was written goes first).
      while (!es.requests.some((r) => r.includes('/_search'))) await new Promise((r) => setImmediate(r));
      await store.close();
      await pending;
    } finally {
      await es.close();
    }
  });

  test('so too on a store opened over indexes already there, whose existence checks come one after another', async () => {
    const { es, store: writer } = await written((r) => (isSearch(r) ? 'hang' : undefined), 3_600_000);
    await writer.close();
    const config = elasticsearchSchema.parse({ url: es.url, timeoutMs: 3_600_000 });
    const store = await ElasticsearchStore.open(config);
    try {
      // Two HEADs in a row (spot_raw, spot_agg): undici resets the connection after each.
      const heads = es.requests.filter((r) => r.startsWith('HEAD '));
      assert.ok(heads.length >= 2, es.requests.join('\n'));
      const pending = assert.rejects(store.query({}), /the store is closed|destroyed/);
      const searches = es.requests.filter((r) => r.includes('/_search')).length;
      while (es.requests.filter((r) => r.includes('/_search')).length === searches)
        await new Promise((r) => setImmediate(r));
      await store.close();
      await pending;
    } finally {
      await es.close();
    }
  });

  test('a search with a shard missing is tried again and then fails, never answered with part of the history', async () => {
    let shardDown = false;
    const es = await startEsStandin({ shardFailure: () => shardDown });
    const pauses: number[] = [];
    try {
      const config = elasticsearchSchema.parse({ url: es.url, retries: 2, retryBaseMs: 100 });
      const store = await ElasticsearchStore.open(config, { retrySleep: async (ms) => void pauses.push(ms) });
      await store.putRecords(Array.from({ length: 10 }, (_, i) => runRecord(`r${i}`, 'etl', T0 + i)));
      assert.equal((await store.records({})).length, 10);
      shardDown = true;
      await assert.rejects(store.records({}), (e: Error) => {
        assert.match(
          e.message,
          /the cluster answered 503 Service Unavailable to a search of spot_runs_default, 3 tries \(search_phase_execution_exception: Partial shards failure\)$/,
        );
        return true;
      });
      assert.deepEqual(pauses, [100, 200]);
      shardDown = false; // the node is back
      assert.equal((await store.records({})).length, 10);
      await store.close();
    } finally {
      await es.close();
    }
  });
});
