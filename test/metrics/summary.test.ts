import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeSummary, METRICS, type Metric, type SummaryInput } from '../../src/metrics/index.js';
import { stageUnion } from '../../src/metrics/parallelism.js';
import { maxConcurrent } from '../../src/metrics/executors.js';
import type { ExecutorView, StageView } from '../../src/metrics/types.js';

function stage(stageId: number, first: number, done: number, extra: Partial<StageView> = {}): StageView {
  return {
    stageId,
    attemptId: 0,
    status: 'COMPLETE',
    firstTaskMs: first,
    completionMs: done,
    durationMs: done - first,
    inputBytes: 0,
    outputBytes: 0,
    ...extra,
  };
}

function executor(
  id: string,
  start: number,
  stop: number | undefined,
  extra: Partial<ExecutorView> = {},
): ExecutorView {
  return {
    id,
    totalCores: 2,
    totalDuration: 0,
    totalInputBytes: 0,
    maxMemory: 0,
    completedTasks: 1,
    startMs: start,
    stopMs: stop,
    coreCostMs: 2 * ((stop ?? start) - start),
    ...extra,
  };
}

function input(partial: Partial<SummaryInput>): SummaryInput {
  return {
    durationMs: 1000,
    executors: [],
    stages: [],
    sparkProperties: {},
    executorAggs: { elements_count: 0 },
    stageAggs: { elements_count: 0, firstTaskLaunchedTime: {}, completionTime: {} },
    ...partial,
  };
}

describe('parallel_part: union of stage intervals', () => {
  test('disjoint intervals add up', () => {
    // [0,100] + [200,250] + [400,1000] = 100 + 50 + 600
    assert.deepEqual(stageUnion([stage(2, 400, 1000), stage(0, 0, 100), stage(1, 200, 250)]), {
      parallelPart: 750,
      overlapped: false,
    });
  });
  test('overlapping and nested intervals count once', () => {
    // [0,100] ∪ [50,300] ∪ [60,70] = [0,300]; [500,600] touches nothing → 300 + 100
    assert.deepEqual(stageUnion([stage(0, 0, 100), stage(1, 50, 300), stage(2, 60, 70), stage(3, 500, 600)]), {
      parallelPart: 400,
      overlapped: true,
    });
  });
  test('touching intervals (next start = current end) are not "in parallel"', () => {
    assert.deepEqual(stageUnion([stage(0, 0, 100), stage(1, 100, 200)]), { parallelPart: 200, overlapped: false });
  });
  test('stages that never ran are ignored', () => {
    const pending: StageView = {
      stageId: 5,
      attemptId: 0,
      status: 'PENDING',
      durationMs: 0,
      inputBytes: 0,
      outputBytes: 0,
    };
    assert.deepEqual(stageUnion([pending, stage(0, 10, 20)]), { parallelPart: 10, overlapped: false });
    assert.deepEqual(stageUnion([]), { parallelPart: 0, overlapped: false });
  });
});

describe('max_concurrent_executors', () => {
  test('sweep over add/remove times; a replacement at the same instant is not concurrency', () => {
    assert.equal(maxConcurrent([executor('1', 0, 100), executor('2', 100, 200), executor('3', 150, undefined)]), 2);
    assert.equal(maxConcurrent([executor('1', 0, 100), executor('2', 10, 90), executor('3', 20, 80)]), 3);
    assert.equal(maxConcurrent([]), 0);
  });
});

describe('computeSummary', () => {
  test('spec formulas on a small hand-made attempt', () => {
    // T = 1000; two executors of 2 cores living [0,1000] and [0,500]: C = 2000 + 1000 = 3000 core-ms
    // task time W = 600 + 300 = 900; stages [100,400] and [300,700] overlap: P = 600, Q = 400
    const s = computeSummary(
      input({
        executors: [
          executor('1', 0, 1000, { totalDuration: 600, maxMemory: 1000, totalInputBytes: 200 * 2 ** 20 }),
          executor('2', 0, 500, { totalDuration: 300, maxMemory: 1000, completedTasks: 0 }),
        ],
        stages: [stage(0, 100, 400, { inputBytes: 300 }), stage(1, 300, 700, { outputBytes: 100 })],
      }),
    );
    assert.equal(s.parallel_part, 600);
    assert.equal(s.stages_in_parallel, true);
    assert.equal(s.stages_sum, 700);
    assert.equal(s.stages_interval, 600);
    assert.equal(s.seq_part, 400);
    assert.equal(s.est_seq_time, 1300);
    assert.equal(s.estimated_speedup, 1.3);
    assert.equal(s.core_cost, 3000);
    assert.equal(s.estimated_core_efficiency, 0.3);
    assert.equal(s.unused_core_cost, 2100);
    assert.equal(s.x_unused_core_cost_hours, 2100 / 3.6e6);
    assert.equal(s.allocated_core_hours, 3000 / 3.6e6);
    assert.equal(s.executors_total_input_blocks, 2); // ceil(200 MiB / 128 MiB)
    assert.equal(s.stages_max_input_blocks, 1);
    assert.equal(s.est_peak_memory_usage, 400); // 300 + 100
    assert.equal(s.storage_memory_usage, 0.2); // 400 / 2000
    assert.equal(s.unused_storage_memory, 1700); // 2000 - 300
    assert.equal(s.idle_executors, 1);
    assert.equal(s.idle_executors_fraction, 0.5);
    assert.equal(s.idle_executors_core_hours, 1000 / 3.6e6);
    assert.equal(s.max_concurrent_executors, 2);
  });

  test('T = 0 and C = 0: the divisions are skipped, not NaN', () => {
    const s = computeSummary(
      input({ durationMs: 0, executors: [executor('1', 0, 0, { totalCores: 0 })], stages: [stage(0, 0, 0)] }),
    );
    for (const k of [
      'estimated_speedup',
      'parallel_fraction',
      'seq_fraction',
      'average_throughput',
      'estimated_core_efficiency',
      'storage_memory_usage',
    ]) {
      assert.equal(k in s, false, k);
    }
    assert.equal(s.core_cost, 0);
    assert.ok(Object.values(s).every((v) => typeof v !== 'number' || Number.isFinite(v)));
  });

  test('one failing metric does not stop the others; its name and message are recorded', () => {
    const broken: Metric = {
      name: 'broken',
      needs: 'none',
      compute: () => {
        throw new Error('boom');
      },
    };
    const infinite: Metric = { name: 'infinite', needs: 'none', compute: () => ({ fine: 1, bad: Infinity }) };
    const warnings: string[] = [];
    const s = computeSummary(input({ stages: [stage(0, 0, 10)] }), (m) => warnings.push(m), [
      broken,
      infinite,
      ...METRICS,
    ]);
    assert.deepEqual(s.x_metric_errors, { broken: 'boom', infinite: 'bad is Infinity' });
    assert.equal('fine' in s, false); // a metric's fields come all or not at all
    assert.equal(s.dynamic_allocation, false);
    assert.equal(s.input_bytes, 0);
    assert.equal(warnings.length, 2);
  });

  test('preconditions: no executors → only metrics that need neither executors nor stages', () => {
    const s = computeSummary(
      input({
        stages: [stage(0, 0, 10, { status: 'FAILED' })],
        sparkProperties: { spark_dynamicAllocation_enabled: true },
      }),
    );
    assert.deepEqual(s, { dynamic_allocation: true, failed_stages: 1, input_bytes: 0 });
  });

  test('failed_stages counts a stage only when its latest attempt failed; input_bytes counts each stage once', () => {
    const s = computeSummary(
      input({
        stages: [
          stage(1, 0, 10, { status: 'FAILED', inputBytes: 100 }),
          stage(1, 20, 30, { attemptId: 1, inputBytes: 100 }),
          stage(2, 40, 50, { status: 'FAILED', inputBytes: 7 }),
        ],
      }),
    );
    assert.equal(s.failed_stages, 1);
    assert.equal(s.input_bytes, 107);
  });
});
