import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expected, JOBS } from '../../bench/loop/cluster.js';
import { planStages } from '../../src/simulator/stages.js';
import { seededRandom } from '../../src/simulator/random.js';

// The loop's runs spill as the cluster says, and the simulated History Server shows that spill in the stages
// the crawl sums into RunRecord.memoryBytesSpilled, so the advisor sees the same spill the cluster charged for.

const GIB = 1024 ** 3;
const hungry = JOBS.find((j) => j.name.startsWith('memory-hungry'))!;

describe('bench/loop: spill reaches the History Server documents', () => {
  test('a memory-hungry run spills on a large input, not on a small one, and its shuffle stage says so', () => {
    const big = expected(hungry, 120 * GIB, hungry.fixed);
    const small = expected(hungry, 2 * GIB, hungry.fixed);
    assert.ok(big.spillBytes > 0);
    assert.equal(small.spillBytes, 0);
    const plan = planStages(
      {
        startMs: 0,
        durationMs: big.durationMs,
        stages: 2,
        inputBytes: 120 * GIB,
        outputBytes: 0,
        shuffleBytes: big.shuffleBytes,
        shufflePartitions: hungry.fixed.shufflePartitions,
        busyExecutorCores: Array(hungry.fixed.executors).fill(hungry.fixed.executorCores),
        layout: big.layout,
      },
      seededRandom('spill'),
    );
    const spilled = plan.stages.reduce((a, s) => a + (s.memoryBytesSpilled as number), 0);
    assert.equal(spilled, Math.round(big.spillBytes));
    assert.equal(
      plan.stages.reduce((a, s) => a + (s.diskBytesSpilled as number), 0),
      Math.round(big.spillBytes / 3),
    );
  });
});
