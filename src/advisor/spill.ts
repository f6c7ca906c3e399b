import type { RunRecord, Settings } from '../types.js';
import { firstN } from './features.js';
import { similarInput } from './band.js';

// What the job's own runs say about spill (RunRecord.memoryBytesSpilled, summed over stages). A job that never
// spills has nothing for a spill-aware model's extra term to learn but noise; a job whose runs of this input size
// spill must not get less execution memory per task unless a spill-aware model predicts what that costs.

/** Runs read for the question "does this job spill?", most recent first. */
const WINDOW = 20;
/** Spill below this share of the run's shuffle write is a straggler's, not the job's. */
const SPILL_SHARE = 0.01;

function spilled(r: RunRecord): boolean | undefined {
  if (r.memoryBytesSpilled === undefined) return undefined;
  const scale = Math.max(r.shuffleWriteBytes ?? 0, r.inputBytes, 1);
  return r.memoryBytesSpilled > SPILL_SHARE * scale;
}

/** The recent successful runs that carry the spill figure (older or imported runs do not). */
const spillKnown = (recent: RunRecord[]) =>
  firstN(recent, (r) => r.succeeded && r.memoryBytesSpilled !== undefined, WINDOW);

/** Whether recent successful runs spilled: undefined when none of them carries the figure (older or imported runs). */
export function jobSpills(recent: RunRecord[]): boolean | undefined {
  const known = spillKnown(recent);
  if (known.length === 0) return undefined;
  return known.some((r) => spilled(r) === true);
}

/**
 * Whether the job's recent runs show it clear of spill at its own shuffle partition count: some carry the figure,
 * none spilled, and none ran on more partitions than `own` (a run given more may have stayed clear by them).
 */
export function clearOfSpillAt(recent: RunRecord[], own: number): boolean {
  const known = spillKnown(recent);
  return known.length > 0 && known.every((r) => spilled(r) === false && (r.shufflePartitions ?? own) <= own);
}

/** The most recent run of a similar input size that spilled, if any. */
export function spillingRun(recent: RunRecord[], inputBytes: number): RunRecord | undefined {
  return firstN(recent, (r) => r.succeeded && similarInput(r.inputBytes, inputBytes), 6).find(
    (r) => spilled(r) === true,
  );
}

/**
 * Whether `s` gives a task more bytes or less memory than `anchor` did: more bytes per shuffle partition (fewer
 * partitions for the same input) or less executor memory per core. On a job that spills, either makes every
 * spilling task spill more; fewer executors alone only add waves of the same tasks, which every model sees.
 */
export function heavierTasks(s: Settings, anchor: Settings): boolean {
  const perCore = (x: Settings) => (x.executorMemoryBytes ?? 0) / Math.max(1, x.executorCores);
  const fewerPartitions =
    s.shufflePartitions !== undefined &&
    anchor.shufflePartitions !== undefined &&
    s.shufflePartitions < anchor.shufflePartitions;
  return fewerPartitions || perCore(s) < perCore(anchor);
}
