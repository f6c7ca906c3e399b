import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toOtherSizes } from '../../bench/accuracy/cells.js';
import type { TrainingRow } from '../../models/types.js';

const GIB = 1024 ** 3;
const run = (id: string, gib: number, executors: number): TrainingRow => ({
  id,
  inputBytes: gib * GIB,
  executors,
  executorCores: 2,
  durationMs: 1000,
});

test('to the other input size: each size in turn is the history, every run of the other sizes is held out', () => {
  // 10.0 and 10.4 GiB are one size (within 10%); 20 GiB is the other.
  const h = [run('a', 10, 2), run('b', 10.4, 4), run('c', 20, 2), run('d', 20, 8)];
  const cases = toOtherSizes([h]);
  const ids = (rs: TrainingRow[]) => rs.map((r) => r.id).sort();
  assert.deepEqual(
    cases.map((c) => [ids(c.history), ids(c.heldOut), c.group]),
    [
      [['a', 'b'], ['c', 'd'], 0],
      [['c', 'd'], ['a', 'b'], 0],
    ],
  );
});
