import type { SpotConfig } from '../config/schema.js';
import type { Reason, RunRecord, Settings } from '../types.js';
import { roundMemory } from './guard-rails.js';

// More executor memory per core where a failed run says a task's memory ran out and finer shuffle partitions do not
// answer it. advise.ts's `failedAsBaseline` answers a failure with smaller tasks; where the launch's own tasks would be
// no smaller than a failed run's on as much memory per core, no partition count within reach helps (a hot key's bytes
// stay in one task at any count), and only more memory per task does. Found by an outside closed loop (bench/loop
// --schedule huge --cluster hot-key --shapes random:30 --seed q11, random 13): on its 1.5 GiB per core, 12 of 24
// launches failed as the partitions went from 400 to 6,840; with this, 2 (the two before any run showed it).

/** Bytes of the input each task of a run gets, per shuffle partition (the shuffle follows the input). */
export const inputPerPartition = (inputBytes: number, partitions: number) => inputBytes / Math.max(1, partitions);
const share = inputPerPartition;
/**
 * Whether a failed run shows its tasks short of execution memory: they spilled. A run that failed for another reason
 * (a bug, a missing input) before its tasks pressed on memory says nothing of the memory they need, and a raise
 * for each such failure would climb to the cluster's limit on a job that fails whatever its memory.
 */
const pressedOnMemory = (r: RunRecord) => (r.memoryBytesSpilled ?? 0) > 0 || (r.diskBytesSpilled ?? 0) > 0;
/** Unknown for a run that names no memory, or no cores (a record of an app that failed before its executors came). */
export const memoryPerCore = (s: Pick<Settings, 'executorMemoryBytes' | 'executorCores'>) =>
  s.executorMemoryBytes === undefined || !(s.executorCores > 0) ? undefined : s.executorMemoryBytes / s.executorCores;

/**
 * The failed runs of a known input on `perCore` bytes of executor memory per core or more, with theirs: what a launch
 * on `perCore` may learn from a failure (a run on less memory per core says nothing of one on more).
 */
export function failedOnAsMuchMemory(recent: RunRecord[], perCore: number): { run: RunRecord; perCore: number }[] {
  return recent.flatMap((r) => {
    const runPerCore = memoryPerCore(r);
    return !r.succeeded && r.inputBytes > 0 && runPerCore !== undefined && runPerCore >= perCore
      ? [{ run: r, perCore: runPerCore }]
      : [];
  });
}

/**
 * Shuffle partitions enough that each task of a launch of `inputBytes` on `perCore` bytes of executor memory per core
 * gets no more of the input than a successful run on as little memory per core gave its tasks, where a failed run
 * on as much memory per core or more gave its tasks more than that: between the two the failure's bound is unknown,
 * and a launch that lands there may fail as the run did. Taken half way, a launch failed past it (bench/loop
 * --schedule huge --cluster all --shapes random:30 --seed p1, random 13: runs on 7.5 GiB × 5 cores succeeded at
 * 1.19 GiB of input per partition and failed at 1.67; a launch on 800 partitions for 1,000 GiB, 1.25, failed on 8 of
 * 13 clusters). The most such a successful run gave, short of the failure's, is the bound; a failed run that a
 * successful one with as large tasks or larger on as little memory per core contradicts failed for another reason.
 * A failure with no success below it says nothing of smaller tasks (memoryAfterFailure answers it). Undefined
 * without such a pair, or where `partitions` already gives each task no more than the bound.
 */
export function partitionsAfterFailure(
  recent: RunRecord[],
  perCore: number | undefined,
  inputBytes: number,
  partitions: number | undefined,
): { partitions: number; run: RunRecord; good: RunRecord } | undefined {
  if (perCore === undefined || partitions === undefined || inputBytes <= 0) return undefined;
  const shareOf = (r: RunRecord) => share(r.inputBytes, r.shufflePartitions ?? partitions);
  const succeeded = recent.filter((r) => {
    const runPerCore = memoryPerCore(r);
    return r.succeeded && r.inputBytes > 0 && runPerCore !== undefined && runPerCore <= perCore;
  });
  const good = succeeded.reduce<RunRecord | undefined>((a, r) => (a && shareOf(a) >= shareOf(r) ? a : r), undefined);
  if (!good || share(inputBytes, partitions) <= shareOf(good)) return undefined;
  const run = failedOnAsMuchMemory(recent, perCore).find((f) => shareOf(f.run) > shareOf(good))?.run;
  return run && { partitions: Math.ceil(inputBytes / shareOf(good)), run, good };
}

export interface MemoryRaise {
  /** Executor memory for the planned cores per executor. */
  bytes: number;
  reason: Reason;
}

/**
 * The executor memory for `planned` at an input of `inputBytes`, where a failed run on its memory per core or more
 * shows that finer shuffle partitions do not answer the failure: either it gave each task as much of the input as
 * `planned` does or less (those settings would fail again), or, at an input no larger than this one, it gave each
 * task less than another failed run on that memory did (more partitions were tried, and failed too: a hot key's
 * bytes stay in one task at any count). One step of advisor.maxStepFactor over the most memory per core such a run
 * had (the step any other setting may take: a failed run says only that its tasks needed more than they had), within
 * advisor.cluster.maxExecutorMemoryBytes. Undefined where the memory is pinned (advisor.pinned, --spot-pin, or kept by
 * fill mode, which the caller passes as pinned), unknown, or already at the cluster's limit.
 */
export function memoryAfterFailure(
  recent: RunRecord[],
  planned: Settings,
  inputBytes: number,
  pinned: Set<keyof Settings>,
  config: SpotConfig['advisor'],
): MemoryRaise | undefined {
  const perCore = memoryPerCore(planned);
  const partitions = planned.shufflePartitions;
  if (pinned.has('executorMemoryBytes') || perCore === undefined || partitions === undefined || inputBytes <= 0)
    return undefined;
  const tasks = share(inputBytes, partitions);
  const shareOf = (r: RunRecord) => share(r.inputBytes, r.shufflePartitions ?? partitions);
  const failed = failedOnAsMuchMemory(recent, perCore).filter((f) => pressedOnMemory(f.run));
  let worst: { run: RunRecord; perCore: number; coarser?: RunRecord } | undefined;
  for (const f of failed) {
    const coarser =
      shareOf(f.run) > tasks && f.run.inputBytes <= inputBytes
        ? failed.find((g) => shareOf(g.run) > shareOf(f.run))?.run
        : undefined;
    if (shareOf(f.run) > tasks && !coarser) continue;
    if (!worst || f.perCore > worst.perCore) worst = { ...f, ...(coarser ? { coarser } : {}) };
  }
  if (!worst) return undefined;
  const want = roundMemory(worst.perCore * config.maxStepFactor * planned.executorCores);
  const bytes = Math.min(want, config.cluster.maxExecutorMemoryBytes);
  if (bytes <= planned.executorMemoryBytes!) return undefined;
  return {
    bytes,
    reason: {
      code: 'memory-after-failure',
      values: {
        runId: worst.run.id,
        runPerCoreBytes: worst.perCore,
        ...(worst.coarser ? { coarserRunId: worst.coarser.id } : {}),
        stepFactor: config.maxStepFactor,
        executorMemoryBytes: bytes,
        perCoreBytes: bytes / planned.executorCores,
        ...(bytes < want ? { clusterLimit: true } : {}),
      },
    },
  };
}
