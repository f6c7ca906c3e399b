import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDocuments, DocumentError } from '../../src/documents/build.js';
import { aggregateColumns } from '../../src/documents/aggregate.js';
import type { AppAttempt, JsonObject } from '../../src/types.js';
import { expectation, largeBlocksAttempt, nonJsonValues, sparkShellAttempt } from './fixtures.js';

const ctx = { historyHost: 'shs.example', now: new Date('2024-05-01T10:00:00Z') };

describe('raw document', () => {
  test('dates to ISO UTC, removed keys, default classification, missing endpoints', async () => {
    const attempt = { ...sparkShellAttempt(), missing: ['allexecutors'] };
    const { raw } = await buildDocuments([attempt], ctx);
    assert.equal(raw.id, 'local-1422981780767');
    assert.equal(raw.name, 'Spark shell');
    assert.equal(raw.history_host, 'shs.example');
    assert.deepEqual(raw.spot, {
      time_processed: '2024-05-01T10:00:00.000Z',
      history_host: 'shs.example',
      missing_endpoints: ['allexecutors'],
    });
    // the name split on [ ;,.\-%_], numbered from 1
    assert.deepEqual(raw.app_specific_data, {
      classification: { app: 'Spark shell', type: 'Spark shell', 1: 'Spark', 2: 'shell' },
      tag: 'Spark shell',
    });
    const a = raw.attempts[0]!;
    assert.equal(a.startTime, '2015-02-03T16:42:59.720Z');
    assert.equal(a.endTimeEpoch, 1422981788731); // epochs kept as they are
    const ex = (a.allexecutors as JsonObject[])[0]!;
    assert.equal(ex.addTime, '2015-02-03T16:43:00.906Z');
    assert.equal('hostPort' in ex, false);
    const st = (a.stages as JsonObject[])[3]!;
    assert.equal(st.submissionTime, '2015-02-03T16:43:04.228Z');
    assert.equal('details' in st, false);
    assert.equal('x_duration' in st, false); // derived fields live in the aggregated document only
    assert.equal('app_specific_data' in a, false); // only Enceladus attempts carry one
    assert.deepEqual(nonJsonValues(raw), []);
  });

  test('no missing endpoints: no missing_endpoints key', async () => {
    const { raw } = await buildDocuments([sparkShellAttempt()], ctx);
    assert.equal('missing_endpoints' in raw.spot, false);
  });

  test('an attempt that has not ended gets its documents but no run record', async () => {
    const attempt = sparkShellAttempt();
    Object.assign(attempt.attempt, {
      completed: false,
      endTime: '1969-12-31T23:59:59.999GMT',
      endTimeEpoch: -1,
      duration: 0,
    });
    const built = await buildDocuments([attempt], ctx);
    assert.equal(built.aggs.length, 1);
    assert.equal(built.aggs[0]!.attempt.completed, false);
    assert.deepEqual(built.records, []);
    assert.equal((await buildDocuments([sparkShellAttempt()], ctx)).records.length, 1);
  });

  test('no attempts at all is a raw-stage DocumentError', () => {
    assert.throws(
      () => buildDocuments([], ctx),
      (e: unknown) => e instanceof DocumentError && e.stage === 'raw',
    );
  });

  test('a bad appKeyPattern fails in the aggregations stage, naming the cause', () => {
    assert.throws(
      () => buildDocuments([sparkShellAttempt()], { ...ctx, appKeyPattern: '(' }),
      (e: unknown) =>
        e instanceof DocumentError &&
        e.stage === 'aggregations' &&
        /aggregations: advisor.appKeyPattern "\(" is not a valid regular expression/.test(e.message),
    );
  });
});

describe('aggregated documents: edge cases', () => {
  test('driver-only app (real local-1422981780767): executors elements_count only, no stage-based summary', async () => {
    const { aggs, records } = await buildDocuments([sparkShellAttempt()], ctx);
    const agg = aggs[0]!;
    assert.deepEqual(agg.attempt.aggs.allexecutors.executors, { elements_count: 0 });
    assert.equal(agg.attempt.aggs.allexecutors.driver.totalDuration, 9011);
    assert.equal(agg.attempt.aggs.stages.elements_count, 4);
    // the original's condition (executors > 0) fails: only fields that need neither executors nor stages
    assert.deepEqual(agg.attempt.aggs.summary, { dynamic_allocation: false, failed_stages: 1, input_bytes: 28000288 });
    assert.equal(records.length, 1);
    assert.equal(records[0]!.executors, 0);
    assert.equal(records[0]!.succeeded, false); // stage 2 failed for good
  });

  test('an app with no executors and no stages: elements_count alone', async () => {
    const a: AppAttempt = { ...sparkShellAttempt(), executors: [], stages: [] };
    const { aggs } = await buildDocuments([a], ctx);
    const agg = aggs[0]!;
    assert.deepEqual(agg.attempt.aggs.allexecutors, { driver: {}, executors: { elements_count: 0 } });
    assert.deepEqual(agg.attempt.aggs.stages, { elements_count: 0 });
    assert.deepEqual(agg.attempt.aggs.summary, { dynamic_allocation: false, failed_stages: 0, input_bytes: 0 });
    assert.deepEqual(nonJsonValues(aggs), []);
  });

  test('a zero-length stage does not break the document (spec §9.4): throughput null, skipped by aggregations', async () => {
    const a = largeBlocksAttempt();
    const stages = a.stages.map((s) => ({ ...s }));
    stages[0]!.completionTime = stages[0]!.firstTaskLaunchedTime; // stage 3: 160 bytes in 0 ms
    const warnings: string[] = [];
    const { aggs } = await buildDocuments([{ ...a, stages }], { ...ctx, warn: (m) => warnings.push(m) });
    const s = aggs[0]!.attempt.aggs.stages;
    assert.deepEqual(nonJsonValues(aggs), []);
    assert.equal((s.x_duration as JsonObject).count_zeroes, 1);
    assert.equal((s.x_duration as JsonObject).sum, 51 + 457 + 585);
    // 3 of 4 stages have a throughput; max is stage 1's, not Infinity
    assert.equal((s.throughput_bytes as JsonObject).count_not_null, 3);
    assert.equal((s.throughput_bytes as JsonObject).max, 28000128 / 457);
    const summary = aggs[0]!.attempt.aggs.summary;
    assert.equal(summary.parallel_part, 585 + 457 + 51 + 0);
    assert.equal('x_metric_errors' in summary, false);
  });

  test('stages that never ran keep the -1 markers and 0 duration', async () => {
    const a = largeBlocksAttempt();
    const pending = {
      stageId: 9,
      attemptId: 0,
      status: 'PENDING',
      numCompleteTasks: 0,
      inputBytes: 0,
      inputRecords: 0,
      outputBytes: 0,
      executorCpuTime: 0,
    };
    const { aggs } = await buildDocuments([{ ...a, stages: [...a.stages, pending] }], ctx);
    const s = aggs[0]!.attempt.aggs.stages;
    assert.equal((s.throughput_bytes as JsonObject).min, -1);
    assert.equal((s.x_duration as JsonObject).count_zeroes, 1);
    assert.equal((s.x_average_task_input_bytes as JsonObject).count_not_null, 4); // no division by 0 tasks
    assert.equal(aggs[0]!.attempt.aggs.summary.parallel_part, 1128);
  });

  test('two attempts, newest first: one agg doc each, final flag, one record (the final attempt)', async () => {
    const multi = expectation<{ id: string; name: string; attempts: AppAttempt['attempt'][] }>(
      'one_app_multi_attempt_json_expectation.json',
    );
    const base = sparkShellAttempt();
    const attempts = multi.attempts.map((attempt) => ({ ...base, app: { id: multi.id, name: multi.name }, attempt }));
    const { raw, aggs, records } = await buildDocuments(attempts, ctx);
    assert.equal(raw.attempts.length, 2);
    assert.deepEqual(
      aggs.map((a) => [a.docId, a.isFinalAttempt]),
      [
        ['local-1426533911241-2', true],
        ['local-1426533911241-1', false],
      ],
    );
    assert.deepEqual(
      records.map((r) => r.id),
      ['local-1426533911241-2'],
    );
  });
});

describe('column aggregation rules', () => {
  test('numeric columns with gaps, all-missing columns, bools with gaps, mixed types', () => {
    const rows = [
      { a: 1, b: null, flag: true, gappy: true, mixed: 1, when: '2024-01-01T00:00:00.000Z', nested: { x: 0 } },
      { a: 3, b: null, flag: false, mixed: 'x', when: null, nested: { x: 5 } },
      { flag: true, gappy: false, when: '2024-01-02T00:00:00.000Z', nested: {} },
    ];
    const out = aggregateColumns(rows, new Set(['when']));
    assert.deepEqual(out, {
      elements_count: 3,
      // missing values are skipped; count_not_null counts the present ones
      a: { min: 1, max: 3, sum: 4, mean: 2, nunique: 2, count_zeroes: 0, count_not_null: 2 },
      flag: { any: true, all: false, sum: 2 },
      when: { min: '2024-01-01T00:00:00.000Z', max: '2024-01-02T00:00:00.000Z' },
      'nested.x': { min: 0, max: 5, sum: 5, mean: 2.5, nunique: 2, count_zeroes: 1, count_not_null: 2 },
      // b (all null), gappy (bool with a gap) and mixed (number and string) are not aggregated
    });
  });

  test('no rows: elements_count only', () => {
    assert.deepEqual(aggregateColumns([], new Set()), { elements_count: 0 });
  });
});

describe('real standalone app app-20161116163331-0000 (4 executors x 4 cores, two of them idle)', () => {
  // Attempt times from its event log: ApplicationStart 1479335609916 (22:33:29.916), ApplicationEnd
  // 1479335620587 (22:33:40.587), duration 10671 ms. No executor was removed, so each lived until 40.587.
  function attempt(): AppAttempt {
    return {
      app: { id: 'app-20161116163331-0000', name: 'Spark shell' },
      attempt: {
        startTime: '2016-11-16T22:33:29.916GMT',
        endTime: '2016-11-16T22:33:40.587GMT',
        lastUpdated: '',
        duration: 10671,
        sparkUser: 'jose',
        completed: true,
        appSparkVersion: '2.1.0-SNAPSHOT',
        startTimeEpoch: 1479335609916,
        endTimeEpoch: 1479335620587,
        lastUpdatedEpoch: 0,
      },
      executors: expectation('executor_memory_usage_expectation.json'),
      stages: [],
      environment: expectation('app_environment_expectation.json'),
      missing: [],
    };
  }

  test('idle executors, allocated core-hours and concurrency without any stage', async () => {
    const { aggs } = await buildDocuments([attempt()], ctx);
    const agg = aggs[0]!;
    // lifetimes: 40.587 - 35.320 = 5267, -35.393 = 5194, -35.443 = 5144, -35.462 = 5125 ms; 4 cores each
    const C = 4 * (5267 + 5194 + 5144 + 5125); // 82920 core-ms
    assert.deepEqual(agg.attempt.aggs.summary, {
      idle_executors: 2, // executors 2 and 0 completed no task
      idle_executors_fraction: 0.5,
      idle_executors_core_hours: (4 * (5194 + 5125)) / 3.6e6,
      allocated_core_hours: C / 3.6e6,
      max_concurrent_executors: 4,
      dynamic_allocation: false,
      failed_stages: 0,
      input_bytes: 0,
    });
    const e = agg.attempt.aggs.allexecutors.executors;
    assert.equal((e.x_coreCost as JsonObject).sum, C);
    assert.deepEqual(e.completedTasks, {
      min: 0,
      max: 12,
      sum: 16,
      mean: 4,
      nunique: 3,
      count_zeroes: 2,
      count_not_null: 4,
    });
    // the driver has no peakMemoryMetrics; every executor reports 0
    assert.equal((e['peakMemoryMetrics.JVMHeapMemory'] as JsonObject).count_zeroes, 4);
    assert.deepEqual(e.isExcluded, { any: true, all: true, sum: 4 });
    assert.deepEqual(agg.attempt.aggs.stages, { elements_count: 0 });
  });

  test('a numeric column only the driver has: counts only, as pandas gave for an all-NaN column', async () => {
    const a = attempt();
    a.executors = a.executors.map((e) => (e.id === 'driver' ? { ...e, driverOnlyMetric: 7 } : e));
    const { aggs } = await buildDocuments([a], ctx);
    assert.deepEqual(aggs[0]!.attempt.aggs.allexecutors.executors.driverOnlyMetric, {
      sum: 0,
      nunique: 0,
      count_zeroes: 0,
      count_not_null: 0,
    });
    assert.equal(aggs[0]!.attempt.aggs.allexecutors.driver.driverOnlyMetric, 7);
  });
});

test('numeric attempt ids still give distinct doc ids and one final attempt', async () => {
  const base = sparkShellAttempt();
  const attempts = [2, 1].map((n) => ({ ...base, attempt: { ...base.attempt, attemptId: n as unknown as string } }));
  const { aggs } = await buildDocuments(attempts, ctx);
  assert.deepEqual(
    aggs.map((a) => [a.docId, a.isFinalAttempt]),
    [
      ['local-1422981780767-2', true],
      ['local-1422981780767-1', false],
    ],
  );
});
