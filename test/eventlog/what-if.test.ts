import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { findEventLogs } from '../../src/eventlog/find.js';
import { readEventLog } from '../../src/eventlog/read.js';
import { TaskTable } from '../../src/eventlog/replay/tasks.js';
import { busyTime, listSchedule, observedSlots, taskWhatIf, waveEstimate } from '../../src/eventlog/what-if.js';
import { SHS_FIXTURES } from '../support/paths.js';

const row = (launch: number, duration: number) => ({
  launch,
  duration,
  runTime: duration,
  gcTime: 0,
  inputBytes: 0,
  outputBytes: 0,
  shuffleReadBytes: 0,
  spillBytes: 0,
});

test('list scheduling: each task to the slot that frees first, in order', () => {
  const d = Float64Array.from([4, 1, 1, 1, 1]);
  assert.equal(listSchedule(d, 2), 4); // slot A: 4; slot B: 1+1+1+1
  assert.equal(listSchedule(d, 1), 8);
  assert.equal(listSchedule(d, 10), 4);
  // A straggler: the wave estimate (2 waves of the mean 1.6) misses it; list scheduling does not.
  assert.equal(waveEstimate(d, 2), Math.ceil(5 / 2) * 1.6);
});

test('observed slots and busy time from real launch and finish times', () => {
  const t = new TaskTable();
  t.add('0:0', '1', true, row(0, 10));
  t.add('0:0', '1', true, row(0, 10));
  t.add('0:0', '2', true, row(5, 10));
  t.add('1:0', '2', true, row(30, 5));
  assert.equal(observedSlots(t), 3);
  assert.equal(busyTime(t), 20); // [0, 15) and [30, 35)
  const w = taskWhatIf(t, 50)!;
  // 30 ms outside tasks, stage 0 (10, 10, 10 over 3 slots) then stage 1 (5).
  assert.equal(w.slots, 3);
  assert.equal(w.list_ms, 30 + 10 + 5);
  assert.equal(w.list_error, 5 / 50);
  assert.deepEqual(
    w.at.map((a) => a.slots),
    [1, 6],
  );
  assert.equal(w.at[0]!.list_ms, 30 + 30 + 5);
});

test('stages that ran side by side share the slots (one phase)', () => {
  const t = new TaskTable();
  // Two concurrent stages of two 10 ms tasks each over 4 slots: 10 ms together, not 20 ms one after the other.
  for (const stage of ['0:0', '1:0']) for (let i = 0; i < 2; i++) t.add(stage, String(i), true, row(0, 10));
  assert.equal(taskWhatIf(t, 10)!.list_ms, 10);
});

test('on real logs the task-level what-if is at least as close at the observed slots as the stage-average estimate, on all but two', async () => {
  let closer = 0;
  let total = 0;
  for (const source of await findEventLogs(join(SHS_FIXTURES, 'spark-events'))) {
    const { attempt } = await readEventLog(source);
    const w = (attempt.attempt.x_tasks as { what_if?: { list_error: number; wave_error: number } }).what_if;
    if (!w) continue;
    total += 1;
    if (w.list_error <= w.wave_error) closer += 1;
  }
  assert.ok(total >= 8);
  // 9 of 11 here; on local-1430917381534 the two are within 0.2 points (3.1% against 2.9%), on
  // application_1553914137147_0018 (3 one-core executors) 6.0% against 4.5%. Counted as 4 slots, as overlapping
  // logged task times once had it, its wave estimate was 25% off and this was 10 of 11.
  assert.ok(closer >= total - 2, `${closer} of ${total}`);
});

test("a run's observed slots never exceed its executors' cores, though a failed task's logged finish overlaps the next", async () => {
  const slotsOf = async (name: string) => {
    const [source] = await findEventLogs(join(SHS_FIXTURES, 'spark-events', name));
    const { attempt } = await readEventLog(source!);
    return (attempt.attempt.x_tasks as { what_if: { slots: number; at: { slots: number }[] } }).what_if;
  };
  // local-cluster[2,1,1024]: two one-core executors. On executor 0, task 0 failed and is logged finishing at
  // 313909 ms, 10 ms after task 2 was launched in the same slot (313899 ms): three tasks "at once".
  const standalone = await slotsOf('app-20180109111548-0000');
  assert.equal(standalone.slots, 2);
  assert.deepEqual(
    standalone.at.map((a) => a.slots),
    [1, 4],
  );
  // local-cluster[4,4,1024]: four four-core executors, all sixteen slots busy at once.
  assert.equal((await slotsOf('app-20161116163331-0000')).slots, 16);
  // An executor whose slots are unknown is not capped.
  const t = new TaskTable();
  for (const [launch, duration] of [
    [0, 10],
    [5, 10],
  ] as const)
    t.add('0.0', '1', true, row(launch, duration));
  assert.equal(observedSlots(t), 2);
  assert.equal(observedSlots(t, [1]), 1);
});
