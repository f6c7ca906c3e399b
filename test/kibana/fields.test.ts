import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ElasticsearchStore } from '../../src/store/elasticsearch.js';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { buildDocuments } from '../../src/documents/build.js';
import { fetchMenasRuns } from '../../src/crawl/menas-runs.js';
import { MenasClient } from '../../src/enceladus/menas-client.js';
import { readSavedObjects } from '../../src/kibana/saved-objects.js';
import { startEsStandin, type EsStandin, type StandinIndex } from '../support/es-standin.js';
import { startMenas, type MenasStandIn } from '../support/menas-server.js';
import { KIBANA_FIXTURES } from '../support/paths.js';
import { AGGREGATABLE, fieldsUsed, kibanaType, type FieldUse } from '../support/kibana-fields.js';
import { largeBlocksAttempt } from '../documents/fixtures.js';
import { errorDoc } from '../../src/crawl/error-doc.js';

// Every field a shipped dashboard uses exists in the indexes Spot writes, with a type Kibana can use;
// the original Spot's own exports (imported unchanged) find theirs too; and an index the original wrote
// (dynamic mapping, date detection on) sits under the same pattern without a field-type conflict.

const ENCELADUS_NAME =
  'Enceladus Standardization&Conformance 3.0.0-SNAPSHOT concatenationConformanceRule 1 2020-03-23 1';

let es: EsStandin;
let menas: MenasStandIn;
before(async () => {
  es = await startEsStandin();
  menas = await startMenas();
  // The original's index, as its dynamic mapping made it, created before Spot installs its templates.
  await call('PUT', '/spot_agg_original', { settings: { index: { mapping: { total_fields: { limit: 5000 } } } } });
  await call('PUT', '/spot_err_original', {});
  const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url, cluster: 'prod' }));
  const menasClient = new MenasClient({
    url: menas.url,
    username: 'spot',
    password: 'menas-pass',
    timeoutMs: 30_000,
    defaultTimezone: 'UTC',
    retryBaseMs: 1,
  });
  const ctx = { historyHost: 'shs', now: new Date('2024-05-01T00:00:00Z') };
  const plain = await buildDocuments([largeBlocksAttempt([['spark.driver.cores', '2']])], ctx);
  const enceladusApp = { ...largeBlocksAttempt(), app: { id: 'local-1663770713457', name: ENCELADUS_NAME } };
  const menasRuns = await fetchMenasRuns(menasClient, [enceladusApp], () => {});
  const enceladus = buildDocuments([enceladusApp], { ...ctx, menasRuns });
  const failure = errorDoc({
    appId: 'app-x',
    historyHost: 'shs',
    stage: 'raw',
    error: new Error('boom'),
    now: ctx.now,
  });
  await store.putAgg([...plain.aggs, ...enceladus.aggs]);
  await store.putError(failure);
  await store.close();
  // what the original wrote: the same documents, mapped dynamically
  for (const [i, doc] of [...plain.aggs, ...enceladus.aggs].entries())
    await call('PUT', `/spot_agg_original/_doc/${i}`, doc);
  await call('PUT', '/spot_err_original/_doc/1', failure);
});
after(async () => {
  await es.close();
  await menas.close();
});

async function call(method: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(es.url + path, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.text()}`);
}

// YARN dashboards read the YARN crawler's indexes; test/yarn/es-store.test.ts checks them against that store.
const sparkSide = (uses: FieldUse[]): FieldUse[] => uses.filter((u) => !u.pattern.startsWith('spot_yarn'));

const indexFor = (pattern: string, which: 'prod' | 'original'): StandinIndex => {
  const name = pattern.replace('*', which);
  const idx = es.indexes.get(name);
  assert.ok(idx, `no index ${name} for pattern ${pattern}`);
  return idx;
};

function problems(uses: FieldUse[], which: 'prod' | 'original'): string[] {
  const out: string[] = [];
  for (const u of uses) {
    const type = indexFor(u.pattern, which).fields.get(u.field)?.type;
    if (!type) out.push(`${u.object}: ${u.field} (${u.use}) is not mapped in ${u.pattern.replace('*', which)}`);
    else if (u.use === 'agg' && !AGGREGATABLE.has(type))
      out.push(`${u.object}: ${u.field} is ${type}, which Kibana cannot aggregate`);
    else if (u.use === 'time' && type !== 'date') out.push(`${u.pattern}: time field ${u.field} is ${type}`);
  }
  return [...new Set(out)];
}

describe('Kibana saved objects against the mapping', () => {
  test('every field the shipped dashboards use exists in the indexes Spot writes, aggregatable where aggregated', () => {
    const uses = sparkSide(fieldsUsed(readSavedObjects()));
    assert.ok(uses.length > 80, `found ${uses.length} field uses`);
    assert.deepEqual(problems(uses, 'prod'), []);
  });

  test("the original's own exports find their fields too (YARN ones read YARN indexes, not checked here)", () => {
    const uses = sparkSide(fieldsUsed(readSavedObjects(KIBANA_FIXTURES)));
    assert.deepEqual(problems(uses, 'prod'), []);
  });

  test('an index the original wrote and one Spot writes, under one pattern, give no field-type conflict', () => {
    const conflicts: string[] = [];
    for (const u of sparkSide(fieldsUsed(readSavedObjects()))) {
      const ours = indexFor(u.pattern, 'prod').fields.get(u.field)?.type;
      const theirs = indexFor(u.pattern, 'original').fields.get(u.field)?.type;
      if (ours && theirs && kibanaType(ours) !== kibanaType(theirs))
        conflicts.push(`${u.field}: ${ours} here, ${theirs} in the original's index`);
    }
    assert.deepEqual([...new Set(conflicts)], []);
  });

  test('spot.error.type keeps the .keyword sub-field the original alert filters on', () => {
    assert.equal(es.indexes.get('spot_err_prod')!.fields.get('spot.error.type.keyword')?.type, 'keyword');
  });
});
