import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CHARTS, YARN_CHARTS } from '../../src/report/charts/index.js';
import { buildReport, type Report } from '../../src/report/index.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { RunStore } from '../../src/store/types.js';
import type { YarnStore } from '../../src/store/yarn.js';
import type { RunRecord } from '../../src/types.js';
import { appDoc } from '../../src/yarn/documents.js';
import { yarnErrorDoc } from '../../src/yarn/errors.js';
import { loadReportData } from '../../src/report/data.js';
import { fixtureApps } from '../support/rm-server.js';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { ElasticsearchStore } from '../../src/store/elasticsearch.js';
import { ElasticsearchYarnStore } from '../../src/store/elasticsearch-yarn.js';
import { startEsStandin } from '../support/es-standin.js';
import { fillRuns } from './fill.js';

// The report's YARN views over a store holding crawled Spark runs and the YARN application documents of the
// same applications (what `spot crawl` and `spot crawl --yarn` store side by side).

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function newStore(): Promise<RunStore & YarnStore> {
  const dir = mkdtempSync(join(tmpdir(), 'spot-report-yarn-'));
  dirs.push(dir);
  return SqliteStore.open(join(dir, 'spot.db'));
}

// YARN bills each Spark run 1.25 × the core time Spark allocated, in queue etl (or adhoc for one job).
function billedApps(records: RunRecord[]) {
  const template = fixtureApps()[1]!;
  const docs = records.map((r) =>
    appDoc(
      {
        ...template,
        id: r.appId,
        name: r.appName,
        applicationType: 'SPARK',
        queue: r.app === 'daily_sales' ? 'etl' : 'adhoc',
        user: r.app === 'daily_sales' ? 'svc-sales' : 'analyst',
        startedTime: Date.parse(r.endTime) - r.durationMs,
        finishedTime: Date.parse(r.endTime),
        vcoreSeconds: Math.round(((r.coreMs ?? 0) / 1000) * 1.25),
        memorySeconds: 1024 * 3600,
      },
      { now: new Date(), yarnHost: 'rm.test' },
    ),
  );
  // A MapReduce app YARN knows that Spark does not: counted in usage, not joined.
  docs.push(appDoc(fixtureApps()[0]!, { now: new Date(), yarnHost: 'rm.test' }));
  return docs;
}

test("the report counts the YARN crawler's error documents with the crawl errors", async () => {
  const store = await newStore();
  await store.putYarnError(
    yarnErrorDoc({
      yarnHost: 'rm.test',
      baseUrl: 'http://rm.test:8088/ws/v1',
      stage: 'yarn_cluster_stats',
      error: new Error('down'),
      now: new Date(),
    }),
  );
  const data = await loadReportData(store);
  await store.close();
  assert.equal(data.summary.errorsRead, 1);
  assert.deepEqual(
    data.errors.map((e) => e.stage),
    ['yarn_cluster_stats'],
  );
});

describe('spot report with YARN data', () => {
  let store: RunStore & YarnStore;
  let records: RunRecord[];
  let report: Report;
  before(async () => {
    store = await newStore();
    records = await fillRuns(store, 4);
    await store.putYarnApps(billedApps(records));
    report = await buildReport(store, { now: new Date('2024-03-20T00:00:00Z') });
  });
  after(() => store.close());

  test('usage by queue and by user, and Spark against YARN, are drawn after the Spark views', () => {
    const ids = report.charts.map((c) => c.id);
    assert.deepEqual(
      ids,
      [...CHARTS, ...YARN_CHARTS].map((c) => c.id),
    );
    for (const c of report.charts.slice(CHARTS.length)) assert.ok(c.svg, `${c.id}: ${c.note}`);
    assert.match(
      report.charts.find((c) => c.id === 'spark-vs-yarn')!.note ?? '',
      /^12 joined runs; YARN billed 1\.25× the core-hours Spark allocated\.$/,
    );
  });

  test('the join: each Spark run next to its YARN bill and queue', () => {
    const joined = report.data.yarn!.joined;
    assert.equal(joined.length, records.length);
    const sales = joined.filter((j) => j.app === 'daily_sales');
    assert.equal(sales.length, 4);
    for (const j of sales) {
      assert.equal(j.queue, 'etl');
      assert.ok(
        Math.abs(j.yarnVcoreHours / j.sparkCoreHours - 1.25) < 0.001,
        `${j.appId}: ${j.yarnVcoreHours} vs ${j.sparkCoreHours}`,
      );
      assert.equal(j.yarnMemoryGbHours, 1);
    }
    const usage = report.data.yarn!.apps;
    assert.equal(usage.length, records.length + 1);
    assert.deepEqual([...new Set(usage.map((u) => u.queue))].sort(), ['adhoc', 'default', 'etl']);
    assert.deepEqual([...new Set(usage.map((u) => u.user))].sort(), ['analyst', 'svc-sales', 'user1']);
  });

  test("the report's filters hold for YARN's views: user and since directly, app through the kept runs", async () => {
    const byUser = (await buildReport(store, { filter: { user: 'svc-sales' } })).data.yarn!;
    assert.deepEqual([...new Set(byUser.apps.map((u) => u.user))], ['svc-sales']);
    const byApp = (await buildReport(store, { filter: { app: 'daily_sales' } })).data.yarn!;
    assert.equal(byApp.apps.length, 4);
    assert.deepEqual([...new Set(byApp.apps.map((u) => u.queue))], ['etl']);
    assert.ok(byApp.joined.every((j) => j.app === 'daily_sales'));
    const future = (await buildReport(store, { filter: { since: new Date('2099-01-01') } })).data.yarn!;
    assert.deepEqual(future.apps, []);
  });

  test('on Elasticsearch: runs in the Spot indexes, YARN applications in the YARN indexes, the same views', async () => {
    const es = await startEsStandin();
    const config = elasticsearchSchema.parse({ url: es.url, cluster: 'report' });
    const runs = await ElasticsearchStore.open(config);
    const yarn = await ElasticsearchYarnStore.open(config);
    try {
      const crawled = await fillRuns(runs, 2);
      await yarn.putYarnApps(billedApps(crawled));
      const r = await buildReport(runs, { yarn });
      assert.equal(r.data.yarn?.joined.length, crawled.length);
      for (const c of r.charts.slice(CHARTS.length)) assert.ok(c.svg, `${c.id}: ${c.note}`);
    } finally {
      await Promise.all([runs.close(), yarn.close()]);
      await es.close();
    }
  });

  test('a store without YARN data draws the Spark views only', async () => {
    const plain = await newStore();
    try {
      await fillRuns(plain, 2);
      const r = await buildReport(plain);
      assert.equal(r.data.yarn, undefined);
      assert.deepEqual(
        r.charts.map((c) => c.id),
        CHARTS.map((c) => c.id),
      );
    } finally {
      await plain.close();
    }
  });

  test('a store of YARN applications only shows the charts it draws, not "the store holds no runs yet"', async () => {
    const yarnOnly = await newStore();
    try {
      const source = await newStore();
      const records = await fillRuns(source, 2);
      await source.close();
      await yarnOnly.putYarnApps(billedApps(records));
      const r = await buildReport(yarnOnly);
      const drawn = r.charts.filter((c) => c.svg !== undefined);
      assert.ok(drawn.length > 0, 'some YARN chart is drawn');
      assert.doesNotMatch(r.html, /The store holds no runs yet/);
      for (const c of drawn) assert.ok(r.html.includes(`<section id="${c.id}">`), c.id);
    } finally {
      await yarnOnly.close();
    }
  });
});
