import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDocuments } from '../../src/documents/build.js';
import { jobKey, toRunRecord } from '../../src/documents/record.js';
import { enceladusClassification } from '../../src/enceladus/classification.js';
import type { AggDoc } from '../../src/types.js';
import { largeBlocksAttempt } from './fixtures.js';

const ctx = { historyHost: 'shs.example', now: new Date('2024-05-01T10:00:00Z') };

describe('jobKey', () => {
  test('dates, timestamps, UUIDs, app ids and long numbers are normalised away', () => {
    assert.equal(jobKey('daily_etl 2024-01-31'), jobKey('daily_etl 2024-02-01'));
    assert.equal(jobKey('daily_etl 2024-01-31'), 'daily_etl {date}');
    const same = ['ingest 2024-01-31T12:00:00Z', 'ingest 2024-02-29T23:59:59.123+01:00', 'ingest 20240131'].map((n) =>
      jobKey(n),
    );
    assert.deepEqual(new Set(same).size, 1, JSON.stringify(same));
    assert.equal(jobKey('report_31-01-2024'), jobKey('report_01-02-2024'));
    assert.equal(jobKey('load 123e4567-e89b-12d3-a456-426614174000'), 'load {uuid}');
    assert.equal(jobKey('retry of application_1553914137147_0018'), 'retry of {appid}');
    assert.equal(jobKey('batch 1706700000 part'), 'batch {n} part');
    // short numbers are part of a job's identity
    assert.equal(jobKey('top10 v2'), 'top10 v2');
    assert.notEqual(jobKey('daily_etl 2024-01-31'), jobKey('weekly_etl 2024-01-31'));
    assert.equal(jobKey('  spaced   name  '), 'spaced name');
  });

  test('a configured pattern wins: named group key, else first group, else whole match', () => {
    assert.equal(jobKey('acme:orders:2024-01-31', undefined, '^acme:(?<key>[a-z]+):'), 'orders');
    assert.equal(jobKey('acme:orders:2024-01-31', undefined, '^acme:([a-z]+)'), 'orders');
    assert.equal(jobKey('acme:orders:2024-01-31', undefined, '^acme:[a-z]+'), 'acme:orders');
    // no match: fall back to normalisation
    assert.equal(jobKey('other 2024-01-31', undefined, '^acme:(\\w+)'), 'other {date}');
  });

  test('Enceladus: the job key without report date and version', () => {
    const c = enceladusClassification('Enceladus Standardization 2.23.0 sales 3 2024-01-31 2')!;
    assert.equal(jobKey('Enceladus Standardization 2.23.0 sales 3 2024-01-31 2', c), 'standardization_sales_3');
    const c2 = enceladusClassification('Enceladus Standardization 2.24.0 sales 3 2024-02-01 1')!;
    assert.equal(jobKey('x', c2), 'standardization_sales_3');
  });
});

describe('toRunRecord on a document built from fixtures', () => {
  test('LargeBlocks: static allocation, 3 x 1 core x 7g', async () => {
    const { aggs, records } = await buildDocuments([largeBlocksAttempt([['spark.spot.adviceId', 'adv-123']])], ctx);
    const rec = toRunRecord(aggs[0]!);
    assert.deepEqual(records, [rec]);
    assert.deepEqual(rec, {
      id: 'application_1553914137147_0018-0',
      app: 'LargeBlocks',
      appName: 'LargeBlocks',
      appId: 'application_1553914137147_0018',
      inputBytes: 28000288, // sum over stages (one attempt each): 160 + 28000128
      executors: 3, // spark.executor.instances, dynamic allocation off
      executorCores: 1, // spark.executor.cores
      durationMs: 62168,
      dynamicAllocation: false,
      succeeded: false, // stage 2 of the borrowed stage list FAILED
      endTime: '2019-04-08T20:40:46.454Z',
      source: 'crawl',
      executorMemoryBytes: 7 * 2 ** 30,
      adaptiveExecution: false, // 3.0.0-SNAPSHOT < 3.2, property unset
      coreMs: 154113,
      peakExecutorMemoryBytes: 984736560, // executor 1's peak JVM heap
      shuffleWriteBytes: 13180,
      // Sums over the four stages of local-1422981780767's stage list: nothing spilled.
      memoryBytesSpilled: 0,
      diskBytesSpilled: 0,
      jvmGcTimeMs: 352,
      executorRunTimeMs: 8254,
      adviceId: 'adv-123',
    });
  });

  test('dynamic allocation: executors = most alive at once; AQE default on from Spark 3.2; success', async () => {
    const a = largeBlocksAttempt([
      ['spark.dynamicAllocation.enabled', 'true'],
      ['spark.sql.shuffle.partitions', '64'],
    ]);
    a.attempt = { ...a.attempt, appSparkVersion: '3.5.1' };
    // executor 2 leaves before executor 3 arrives: at most 2 alive at once (1 and 3)
    a.executors = a.executors.map((e) => (e.id === '2' ? { ...e, removeTime: '2019-04-08T20:39:55.300GMT' } : e));
    a.stages = a.stages.filter((s) => s.status !== 'FAILED');
    const { aggs } = await buildDocuments([a], ctx);
    const rec = toRunRecord(aggs[0]!, { appKeyPattern: '^(Large)' });
    assert.equal(rec.app, 'Large');
    assert.equal(rec.executors, 2);
    assert.equal(rec.dynamicAllocation, true);
    assert.equal(rec.adaptiveExecution, true);
    assert.equal(rec.shufflePartitions, 64);
    assert.equal(rec.succeeded, true);
  });

  test('no executor properties: falls back to the executors observed', async () => {
    const a = largeBlocksAttempt();
    a.environment = { sparkProperties: [] };
    const { aggs } = await buildDocuments([a], ctx);
    const rec = toRunRecord(aggs[0]!);
    assert.equal(rec.executors, 3); // max concurrent
    assert.equal(rec.executorCores, 1); // totalCores max
    assert.equal(rec.executorMemoryBytes, undefined);
    assert.equal(rec.adviceId, undefined);
  });

  test("a driver that exited non-zero (Spark 4's ApplicationEnd ExitCode) is no success, though every job ended well", async () => {
    const a = largeBlocksAttempt();
    a.stages = a.stages.filter((s) => s.status !== 'FAILED');
    a.attempt = { ...a.attempt, exitCode: 1 } as typeof a.attempt;
    const { aggs } = await buildDocuments([a], ctx);
    assert.equal(toRunRecord(aggs[0]!).succeeded, false);
    const ok = largeBlocksAttempt();
    ok.stages = ok.stages.filter((s) => s.status !== 'FAILED');
    ok.attempt = { ...ok.attempt, exitCode: 0 } as typeof ok.attempt;
    assert.equal(toRunRecord((await buildDocuments([ok], ctx)).aggs[0]!).succeeded, true);
  });

  test('a non-final attempt never counts as a success', async () => {
    const { aggs } = await buildDocuments([largeBlocksAttempt()], ctx);
    const agg: AggDoc = { ...aggs[0]!, isFinalAttempt: false };
    assert.equal(toRunRecord(agg).succeeded, false);
  });
});
