import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDocuments } from '../../src/documents/build.js';
import type { JsonObject } from '../../src/types.js';
import { largeBlocksAttempt, nonJsonValues } from './fixtures.js';

// Hand-computed on the real executor list of application_1553914137147_0018 (attempt 20:39:44.286 →
// 20:40:46.454, T = 62168 ms; no executor has a removeTime, so each lived until the attempt's end)
// and the real stage list of local-1422981780767.

const ctx = { historyHost: 'shs.example', now: new Date('2024-05-01T10:00:00Z') };

async function built() {
  const warnings: string[] = [];
  const out = await buildDocuments([largeBlocksAttempt()], { ...ctx, warn: (m) => warnings.push(m) });
  return { ...out, agg: out.aggs[0]!, warnings };
}

describe('aggregated document on real History Server data', () => {
  test('document shape, ids and no NaN/Infinity anywhere', async () => {
    const { raw, aggs, agg } = await built();
    assert.equal(aggs.length, 1);
    assert.equal(agg.id, 'application_1553914137147_0018');
    assert.equal(agg.docId, 'application_1553914137147_0018-0');
    assert.equal(agg.isFinalAttempt, true);
    assert.equal(agg.history_host, 'shs.example');
    assert.deepEqual(agg.spot, { time_processed: '2024-05-01T10:00:00.000Z', history_host: 'shs.example' });
    assert.equal('allexecutors' in agg.attempt, false);
    assert.equal('stages' in agg.attempt, false);
    assert.equal(agg.attempt.startTime, '2019-04-08T20:39:44.286Z');
    assert.equal(agg.attempt.lastUpdated, null); // "" in Spark's expectations
    assert.deepEqual(nonJsonValues(raw), []);
    assert.deepEqual(nonJsonValues(aggs), []);
    assert.deepEqual(JSON.parse(JSON.stringify(aggs)), aggs);
  });

  test('driver: whole object plus x_* fields, nested dicts kept, host details removed', async () => {
    const { agg } = await built();
    const d = agg.attempt.aggs.allexecutors.driver;
    assert.equal(d.id, 'driver');
    assert.equal('hostPort' in d, false);
    assert.equal('executorLogs' in d, false);
    assert.equal((d.peakMemoryMetrics as JsonObject).JVMHeapMemory, 209883992);
    assert.equal(d.addTime, '2019-04-08T20:39:49.747Z');
    assert.equal(d.x_startTime, '2019-04-08T20:39:49.747Z');
    assert.equal(d.x_stopTime, '2019-04-08T20:40:46.454Z');
    // 20:40:46.454 - 20:39:49.747 = 56.707 s
    assert.equal(d.x_durationMilliseconds, 56707);
    assert.equal(d.x_durationHours, 56707 / 3.6e6);
    assert.equal(d.x_coreCost, 0); // totalCores 0
    // maxMemory 956615884 B = 0.890914... GiB, times 56707 ms
    assert.equal(d.x_storageCost, (956615884 / 2 ** 30) * 56707);
  });

  test('executor column aggregations (non-driver only)', async () => {
    const { agg } = await built();
    const e = agg.attempt.aggs.allexecutors.executors;
    assert.equal(e.elements_count, 3);
    // totalDuration 31015, 30302, 44900
    assert.deepEqual(e.totalDuration, {
      min: 30302,
      max: 44900,
      sum: 106217,
      mean: 106217 / 3,
      nunique: 3,
      count_zeroes: 0,
      count_not_null: 3,
    });
    // completedTasks 2, 1, 3; totalInputBytes 2500050000 x2 + 5000100000
    assert.deepEqual(e.completedTasks, {
      min: 1,
      max: 3,
      sum: 6,
      mean: 2,
      nunique: 3,
      count_zeroes: 0,
      count_not_null: 3,
    });
    assert.deepEqual(e.totalInputBytes, {
      min: 2500050000,
      max: 5000100000,
      sum: 10000200000,
      mean: 10000200000 / 3,
      nunique: 2,
      count_zeroes: 0,
      count_not_null: 3,
    });
    // nested dict → dotted column; JVMHeapMemory 759479480, 462135680, 984736560
    assert.deepEqual(e['peakMemoryMetrics.JVMHeapMemory'], {
      min: 462135680,
      max: 984736560,
      sum: 2206351720,
      mean: 2206351720 / 3,
      nunique: 3,
      count_zeroes: 0,
      count_not_null: 3,
    });
    assert.equal((e['memoryMetrics.totalOnHeapStorageMemory'] as JsonObject).sum, 3 * 3820172083);
    // bool without gaps: any / all / sum
    assert.deepEqual(e.isActive, { any: true, all: true, sum: 3 });
    assert.deepEqual(e.isExcluded, { any: false, all: false, sum: 0 });
    // dates: min / max only
    assert.deepEqual(e.addTime, { min: '2019-04-08T20:39:54.596Z', max: '2019-04-08T20:39:55.362Z' });
    // lifetimes: 46.454+60-55.362 = 51.092 s; -55.291 → 51.163 s; -54.596 → 51.858 s; one core each
    assert.deepEqual(e.x_coreCost, {
      min: 51092,
      max: 51858,
      sum: 154113,
      mean: 154113 / 3,
      nunique: 3,
      count_zeroes: 0,
      count_not_null: 3,
    });
    // strings, lists and absent columns are not aggregated
    for (const col of ['id', 'attributes.USER', 'excludedInStages', 'removeTime', 'hostPort'])
      assert.equal(col in e, false, col);
  });

  test('stage fields and column aggregations', async () => {
    const { agg } = await built();
    const s = agg.attempt.aggs.stages;
    assert.equal(s.elements_count, 4);
    // x_duration = completion - first task: stage 3: 07.226-07.191 = 35, stage 2: 06.347-06.296 = 51,
    // stage 1: 06.286-05.829 = 457, stage 0: 04.819-04.234 = 585
    assert.deepEqual(s.x_duration, {
      min: 35,
      max: 585,
      sum: 1128,
      mean: 282,
      nunique: 4,
      count_zeroes: 0,
      count_not_null: 4,
    });
    // only stage 0 waited for its first task: 04.234 - 04.228 = 6 ms
    assert.deepEqual(s.x_scheduling_overhead, {
      min: 0,
      max: 6,
      sum: 6,
      mean: 1.5,
      nunique: 2,
      count_zeroes: 3,
      count_not_null: 4,
    });
    // throughput_bytes = inputBytes / x_duration: 160/35, 0/51, 28000128/457, 0/585
    const tb = s.throughput_bytes as JsonObject;
    assert.equal(tb.max, 28000128 / 457);
    assert.equal(tb.min, 0);
    assert.equal(tb.sum, 160 / 35 + 28000128 / 457);
    assert.equal(tb.count_zeroes, 2);
    // x_average_task_input_bytes = inputBytes / numCompleteTasks: 160/8 = 20, 0/7, 28000128/8 = 3500016, 0/8
    assert.deepEqual(s.x_average_task_input_bytes, {
      min: 0,
      max: 3500016,
      sum: 3500036,
      mean: 3500036 / 4,
      nunique: 3,
      count_zeroes: 2,
      count_not_null: 4,
    });
    assert.deepEqual(s.inputBytes, {
      min: 0,
      max: 28000128,
      sum: 28000288,
      mean: 7000072,
      nunique: 3,
      count_zeroes: 2,
      count_not_null: 4,
    });
    assert.deepEqual(s.firstTaskLaunchedTime, { min: '2015-02-03T16:43:04.234Z', max: '2015-02-03T16:43:07.191Z' });
    assert.deepEqual(s.completionTime, { min: '2015-02-03T16:43:04.819Z', max: '2015-02-03T16:43:07.226Z' });
    assert.deepEqual(s.isShufflePushEnabled, { any: false, all: false, sum: 0 });
    assert.equal((s.numFailedTasks as JsonObject).sum, 1);
    assert.equal((s['peakExecutorMetrics.JVMHeapMemory'] as JsonObject).count_zeroes, 4);
    // executorCpuTime is 0 ns in these old logs
    assert.equal((s.x_executorCpuTime_ms as JsonObject).max, 0);
    for (const col of ['details', 'status', 'name', 'failureReason', 'rddIds']) assert.equal(col in s, false, col);
  });

  test('summary: every field of spec §2.3 plus the new ones', async () => {
    const { agg } = await built();
    const W = 31015 + 30302 + 44900; // 106217 task-ms
    const C = 51092 + 51163 + 51858; // 154113 core-ms
    const T = 62168;
    const P = 585 + 457 + 51 + 35; // 1128: the four stage intervals are disjoint
    const Mtot = 3 * 3820172083; // 11460516249
    const Dmax = 28000128;
    assert.deepEqual(agg.attempt.aggs.summary, {
      parallel_work: W,
      stages_sum: 1128,
      stages_interval: 2992, // 07.226 - 04.234
      seq_part: T - P, // 61040
      est_seq_time: T - P + W, // 167257
      parallel_part: P,
      stages_in_parallel: false,
      core_cost: C,
      estimated_core_efficiency: W / C, // 0.6892...
      unused_core_cost: C - W, // 47896
      x_unused_core_cost_hours: (C - W) / 3.6e6,
      stages_max_input_blocks: 1, // ceil(28000128 / 134217728)
      executors_total_input_blocks: 75, // ceil(10000200000 / 134217728) = ceil(74.507)
      average_throughput: 1 / T,
      unused_storage_memory: Mtot - Dmax, // 11432516121
      est_peak_memory_usage: Dmax + 0, // max inputBytes + max outputBytes
      storage_memory_usage: Dmax / Mtot,
      x_unused_storage_memory_bytes: Mtot - Dmax,
      estimated_speedup: (T - P + W) / T, // 2.6904...
      parallel_fraction: P / T,
      seq_fraction: (T - P) / T,
      idle_executors: 0, // every executor completed tasks (2, 1, 3)
      idle_executors_fraction: 0,
      idle_executors_core_hours: 0,
      allocated_core_hours: C / 3.6e6,
      max_concurrent_executors: 3, // added 54.596, 55.291, 55.362, none removed
      dynamic_allocation: false, // spark.dynamicAllocation.enabled = false
      failed_stages: 1, // stage 2 FAILED, with no later attempt
      input_bytes: 28000288, // 160 + 0 + 28000128 + 0
    });
  });
});
