import type { WhatIf } from '../../models/what-if/one-run.js';
import { isUsableRun } from '../../models/family.js';
import type { RunRecord } from '../types.js';
import { runSettings } from './features.js';
import { NOISE_FLOOR } from './explore.js';
import { similarInput } from './band.js';

// Whether a job's skewed shuffle partition is a hot key's, which more partitions do not split, or a hash partition's
// skew, which they do: told by its runs of a similar input size on fewer configured partitions than the run replayed
// (runs of other sizes carry the replay's error across sizes, which can be larger than the skewed task's share).

/** Most recent runs on fewer partitions the two replays are priced at. */
const MAX_CHECKS = 10;
/**
 * Fewest such runs for a verdict: one run's noise (a straggling executor, 5% of runs by 12% on bench/loop's clusters)
 * once called a hot key a hash partition's skew, and a cut priced against the baseline so grown ran 1.24× the fixed
 * time (bench/loop --cluster hot-key --seed s332, skewed shuffle, launch 15).
 */
const MIN_RUNS = 2;

/**
 * The replay grows a shuffle's longest task, one configured partition (under AQE, one that AQE left whole), with
 * fewer configured partitions, as a hash partition's skew grows. A hot key's partition is whole at any count: a
 * replay of a run on a finer cut then prices the job's own coarser count too slowly, and the limit the cuts are held
 * to with it (cuts ran 1.29× the fixed time: bench/loop --cluster hot-key, skewed shuffle, once the partitions were
 * raised; without AQE, --shapes random:40 --cluster hot-key --seed s36, random 13: a run on 1,015 partitions replayed
 * at the job's 400 priced the baseline at 250 s for 122 GiB where it ran 150 s, and a cut from 8 executors to 4 ran
 * 1.53× the fixed time). Of the replay with the task grown and the one with it whole, the one that misses the runs
 * on fewer partitions less is taken, when the runs tell them apart beyond the noise; undefined otherwise, or without
 * such runs or such a task.
 */
export function wholeKeyCheck(
  runId: string,
  inputBytes: number,
  partitions: number | undefined,
  plain: WhatIf,
  build: () => WhatIf,
  records: RunRecord[],
): boolean | undefined {
  if (plain.wholePartitionStages === 0 || partitions === undefined) return undefined;
  const others = records
    .filter((r) => r.id !== runId && isUsableRun(r) && similarInput(r.inputBytes, inputBytes))
    .filter((r) => r.shufflePartitions !== undefined && r.shufflePartitions < partitions)
    .slice(0, MAX_CHECKS);
  if (others.length < MIN_RUNS) return undefined;
  const whole = build();
  // Only where the two replays part does a run tell them apart: each run counts by how far they part at its settings,
  // and by which of the two it ran the nearer.
  let apart = 0;
  let forWhole = 0;
  for (const r of others) {
    const s = runSettings(r);
    const grown = Math.log(plain.predictMs(s, r.inputBytes) / r.durationMs);
    const held = Math.log(whole.predictMs(s, r.inputBytes) / r.durationMs);
    apart += Math.abs(grown - held);
    forWhole += Math.abs(grown) - Math.abs(held);
  }
  // Parted by less than the noise, or ran about as near to both: no verdict, the caller stays on the safe side.
  if (apart < 2 * NOISE_FLOOR || Math.abs(forWhole) < apart / 2) return undefined;
  return forWhole > 0;
}
