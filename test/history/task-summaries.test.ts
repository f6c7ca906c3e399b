import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compactTaskSummary, taskQuantiles } from '../../src/common/task-summary.js';
import { configSchema } from '../../src/config/schema.js';
import { buildDocuments } from '../../src/documents/build.js';
import { cleanStage } from '../../src/documents/clean.js';
import { findingsOf } from '../../src/findings/index.js';
import { findingPhrase } from '../../src/findings/words.js';
import { HistoryClient } from '../../src/history/client.js';
import { fetchAppAttempts } from '../../src/history/fetch-attempt.js';
import { startHistoryServer, type SimHistoryServer } from '../../src/simulator/history-server.js';
import type { SyntheticAppSpec } from '../../src/simulator/apps.js';
import { SHS_FIXTURES } from '../support/paths.js';

// Each stage's task times at the median and the longest task: asked of the History Server with the stage list
// (Spark 3.4+'s withSummaries), kept in the stored stage as the server's own shape, only the task times.

type Row = Record<string, unknown>;
const GIB = 1024 ** 3;
const spec: SyntheticAppSpec = {
  id: 'application_1700000000000_0007',
  name: 'skewed',
  startMs: Date.UTC(2024, 2, 1, 8),
  durationMs: 60_000,
  executors: 4,
  executorCores: 2,
  inputBytes: GIB,
  shuffleBytes: GIB / 2,
  stageLayout: {
    leadMs: 5_000,
    stages: [
      { wallMs: 20_000, numTasks: 8, taskMs: 4_000 },
      { wallMs: 30_000, numTasks: 10, taskMs: 1_800, tasks: { numTasks: 10, typicalMs: 1_000, longestMs: 9_000 } },
    ],
  },
};

describe('stage task summaries from the simulated History Server (Spark 3.5)', () => {
  let sim: SimHistoryServer;
  let client: HistoryClient;
  before(async () => {
    sim = await startHistoryServer();
    sim.addSpec(spec);
    client = new HistoryClient({ baseUrl: sim.url, timeoutMs: 30_000, retries: 0, retryBaseMs: 5, concurrency: 2 });
  });
  after(async () => {
    await client.close();
    await sim.close();
  });
  const stagesAt = async (query: string): Promise<{ status: number; body: string }> => {
    const res = await fetch(`${sim.url}/applications/${spec.id}/stages${query}`);
    return { status: res.status, body: await res.text() };
  };

  test('asked for: each stage carries its tasks at the quantiles asked; not asked: none', async () => {
    const plain = JSON.parse((await stagesAt('')).body) as Row[];
    assert.ok(plain.every((s) => !('taskMetricsDistributions' in s)));
    const asked = JSON.parse((await stagesAt('?withSummaries=true&quantiles=1,0.5')).body) as Row[];
    const shuffle = asked.find((s) => s.stageId === 1)!;
    const dist = shuffle.taskMetricsDistributions as Row;
    assert.deepEqual(dist.quantiles, [0.5, 1]);
    assert.deepEqual(dist.executorRunTime, [1_000, 9_000]);
    const byDefault = JSON.parse((await stagesAt('?withSummaries=true')).body) as Row[];
    assert.equal(((byDefault[0]!.taskMetricsDistributions as Row).quantiles as number[]).length, 5);
  });

  test('a quantile that is no number is a 400 with Spark’s message', async () => {
    const bad = await stagesAt('?withSummaries=true&quantiles=0.5,max');
    assert.equal(bad.status, 400);
    assert.match(bad.body, /Bad value for parameter "quantiles".*got "max"/);
  });

  test('the crawl asks for them and stores only the task times, in the server’s shape', async () => {
    const [attempt] = await fetchAppAttempts(client, {
      id: spec.id,
      name: spec.name,
      attempts: [{ completed: true } as never],
    });
    const stage = cleanStage(attempt!.stages.find((s) => s.stageId === 1)!, () => {});
    assert.deepEqual(Object.keys(stage.taskMetricsDistributions as Row).sort(), [
      'duration',
      'executorRunTime',
      'quantiles',
    ]);
    assert.ok(!('executorMetricsDistributions' in stage));
    assert.deepEqual((stage.taskMetricsDistributions as Row).executorRunTime, [1_000, 9_000]);
  });
});

test('a run crawled from a Spark 3.4+ History Server shows its task skew, from the task summaries', async () => {
  const sim = await startHistoryServer();
  const client = new HistoryClient({ baseUrl: sim.url, timeoutMs: 30_000, retries: 0, retryBaseMs: 5, concurrency: 2 });
  try {
    sim.addSpec(spec);
    const attempts = await fetchAppAttempts(client, { id: spec.id, name: spec.name, attempts: [{} as never] });
    const { aggs } = await buildDocuments(attempts, { historyHost: sim.url, now: new Date(0) });
    const thresholds = configSchema.parse({}).findings;
    const skew = findingsOf(aggs[0]!, thresholds).findings.find((f) => f.id === 'taskSkew');
    // The shuffle read's longest task took 9 s (9,004 ms with its deserializing), the median 1,004 ms.
    assert.deepEqual([skew?.data, skew?.level], ['stage', 'severe']);
    assert.ok(Math.abs(skew!.value - 9_004 / 1_004) < 1e-9, String(skew?.value));
    assert.match(
      findingPhrase(skew!),
      /^slowest task 9\.0x the median in its worst stage \(from stage data; set spark\.sql\.adaptive\.skewJoin\.enabled=true\)$/,
    );
  } finally {
    await client.close();
    await sim.close();
  }
});

test("Spark's own task summary (3.5.1, custom quantiles) keeps its quantiles, task times and shuffle reads only", () => {
  const file = join(SHS_FIXTURES, 'expectations', 'stage_task_summary_w__custom_quantiles_expectation.json');
  const spark = JSON.parse(readFileSync(file, 'utf8')) as Row;
  const kept = compactTaskSummary(spark)!;
  assert.deepEqual(kept, {
    quantiles: spark.quantiles,
    duration: spark.duration,
    executorRunTime: spark.executorRunTime,
    shuffleReadMetrics: { readBytes: (spark.shuffleReadMetrics as Row).readBytes },
  });
  assert.equal(compactTaskSummary(null), undefined);
  assert.equal(compactTaskSummary({ quantiles: [0.5], executorRunTime: ['x'] }), undefined);
});

test('quantiles are picked as Spark picks them: index min(⌊q·n⌋, n − 1) of the sorted values', () => {
  assert.deepEqual(taskQuantiles([4, 1, 3, 2]), [3, 4]);
  assert.deepEqual(taskQuantiles([7]), [7, 7]);
  assert.equal(taskQuantiles([]), undefined);
});
