import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { TASK_QUANTILES } from '../../src/common/task-summary.js';
import { findEventLogs } from '../../src/eventlog/find.js';
import { readEventLog } from '../../src/eventlog/read.js';
import { taskSummaries } from '../../src/eventlog/replay/task-summaries.js';
import { TaskTable } from '../../src/eventlog/replay/tasks.js';
import { SHS_FIXTURES } from '../support/paths.js';

// Replayed stages carry the task-time summary a Spark 3.4+ History Server sends for `withSummaries=true`, over the
// successful tasks only, as Spark's taskSummary counts them.

type Row = Record<string, unknown>;

async function read(log: string) {
  const [source] = await findEventLogs(join(SHS_FIXTURES, 'spark-events', log));
  return readEventLog(source!);
}

/** A stage's summary value of `metric` at quantile `q`. */
function taskQuantile(stage: Row, metric: 'duration' | 'executorRunTime', q: number): number | undefined {
  const dist = stage.taskMetricsDistributions as Record<string, number[]> | undefined;
  return dist?.[metric]?.[dist.quantiles!.indexOf(q)];
}

const stageOf = (stages: Row[], id: number, attempt = 0) =>
  stages.find((s) => s.stageId === id && s.attemptId === attempt)!;

test('a stage with failed tasks: longest and median over its successful tasks only', async () => {
  // Stage 0 of this log: 16 successful tasks, and 8 failed ones that ran far longer.
  const { attempt, replay } = await read('app-20161116163331-0000');
  const t = replay.tasks;
  const ok: { duration: number[]; runTime: number[] } = { duration: [], runTime: [] };
  let failedMaxRun = 0;
  for (let i = 0; i < t.length; i++) {
    if (t.stageKeys[t.stage[i]!] !== '0:0') continue;
    if (!t.succeeded[i]) failedMaxRun = Math.max(failedMaxRun, t.cols.runTime[i]!);
    else for (const c of ['duration', 'runTime'] as const) ok[c].push(t.cols[c][i]!);
  }
  assert.equal(ok.runTime.length, 16);
  assert.ok(failedMaxRun > Math.max(...ok.runTime), 'the failed tasks would change the longest');

  const stage = stageOf(attempt.stages as Row[], 0);
  const dist = stage.taskMetricsDistributions as Row;
  assert.deepEqual(Object.keys(dist).sort(), ['duration', 'executorRunTime', 'quantiles', 'shuffleReadMetrics']);
  assert.deepEqual(dist.quantiles, [...TASK_QUANTILES]);
  assert.equal(taskQuantile(stage, 'executorRunTime', 1), Math.max(...ok.runTime));
  assert.equal(taskQuantile(stage, 'duration', 1), Math.max(...ok.duration));
  // Spark's index rule: the value at min(⌊q·n⌋, n − 1) of the sorted values (n = 16: index 8, not a mean of two).
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(Math.floor(0.5 * xs.length), xs.length - 1)];
  assert.equal(taskQuantile(stage, 'executorRunTime', 0.5), median(ok.runTime));
  assert.equal(taskQuantile(stage, 'duration', 0.5), median(ok.duration));
});

test("medians equal Spark's own taskSummary answers for the same log", async () => {
  const { attempt } = await read('local-1430917381534');
  for (const [id, file] of [
    [0, 'stage_task_summary_w__custom_quantiles_expectation.json'],
    [1, 'stage_task_summary_w_shuffle_read_expectation.json'],
  ] as const) {
    const spark = JSON.parse(await readFile(join(SHS_FIXTURES, 'expectations', file), 'utf8')) as Row;
    const at = (spark.quantiles as number[]).indexOf(0.5);
    const stage = stageOf(attempt.stages as Row[], id);
    assert.equal(taskQuantile(stage, 'duration', 0.5), (spark.duration as number[])[at], `stage ${id} duration`);
    assert.equal(
      taskQuantile(stage, 'executorRunTime', 0.5),
      (spark.executorRunTime as number[])[at],
      `stage ${id} executorRunTime`,
    );
  }
});

test('a stage attempt without a successful task has no summary', async () => {
  const { attempt } = await read('local-1422981759269');
  const skipped = stageOf(attempt.stages as Row[], 3);
  assert.equal(skipped.status, 'SKIPPED');
  assert.ok(!('taskMetricsDistributions' in skipped));

  // Tasks that all failed or were killed: the server sends no summary, so neither does the replay.
  const row = (duration: number, runTime: number) => ({
    launch: 0,
    duration,
    runTime,
    gcTime: 0,
    inputBytes: 0,
    outputBytes: 0,
    shuffleReadBytes: 0,
    spillBytes: 0,
  });
  const t = new TaskTable();
  t.add('4:1', '1', false, row(500, 400));
  t.add('4:1', '2', false, row(600, 450));
  t.add('4:2', '1', true, row(30, 20));
  const summaries = taskSummaries(t);
  assert.deepEqual([...summaries.keys()], ['4:2']);
  assert.deepEqual(summaries.get('4:2'), {
    quantiles: [...TASK_QUANTILES],
    duration: [30, 30],
    executorRunTime: [20, 20],
    shuffleReadMetrics: { readBytes: [0, 0] },
  });
});
