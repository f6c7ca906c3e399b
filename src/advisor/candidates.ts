import { BYTES_BOUND_TASK } from '../../models/features.js';
import type { SpotConfig } from '../config/schema.js';
import type { Reason, Settings } from '../types.js';
import { MIN_EXECUTOR_MEMORY, memoryFloor, roundMemory, stepRange, withinStep } from './guard-rails.js';
import { shufflePartitionsFor } from './rules.js';

// The settings the advisor considers: executors × cores per executor (× the memory that goes with the
// cores), all inside the cluster limits and one step of the anchor (the last run Spot advised, or the
// baseline). Pinned settings keep the baseline's value.

export interface CandidateInput {
  /** Settings the step limit is measured from. */
  anchor: Settings;
  baseline: Settings;
  pinned: Set<keyof Settings>;
  config: SpotConfig['advisor'];
  /** Memory per core recent runs needed, by cores per executor (observed peak + headroom, capped by what they had). */
  needPerCore?: (cores: number) => number | undefined;
  shuffleBytes?: number;
  adaptive: boolean;
  /** Runs of this input size spilled: no fewer shuffle partitions than the anchor's (no bigger tasks). */
  spills?: boolean;
  /** The job's recent runs show it clear of spill at its own shuffle partition count (spill.ts clearOfSpillAt). */
  clearOfSpill?: boolean;
  /** Shuffle partitions to keep at least: a run with fewer overran (Track.floorPartitions). */
  floorPartitions?: number;
  /** A shuffle stage's time was one configured partition that AQE left whole (WhatIf.wholePartitionStragglers). */
  wholePartitionStraggler?: boolean;
}

export interface Proposal {
  settings: Settings;
  rejected?: Reason;
}

function coreOptions(inp: CandidateInput): number[] {
  const { anchor, baseline, pinned, config } = inp;
  if (pinned.has('executorCores')) return [baseline.executorCores];
  const allowed = config.cluster.executorCores.filter((c) => withinStep(c, anchor.executorCores, config.maxStepFactor));
  return [...new Set([anchor.executorCores, ...allowed])].sort((a, b) => a - b);
}

function executorOptions(inp: CandidateInput): number[] {
  const { anchor, baseline, pinned, config } = inp;
  if (pinned.has('executors')) return [baseline.executors];
  const [lo, hi] = stepRange(
    anchor.executors,
    config.maxStepFactor,
    config.cluster.minExecutors,
    config.cluster.maxExecutors,
  );
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** Memory for `cores` cores: the anchor's memory per core, never under the observed need, within a step. */
function memoryFor(inp: CandidateInput, cores: number): { bytes?: number; rejected?: Reason } {
  const { anchor, baseline, pinned, config } = inp;
  if (pinned.has('executorMemoryBytes')) return { bytes: baseline.executorMemoryBytes };
  const floor = memoryFloor(inp.needPerCore?.(cores), cores);
  if (anchor.executorMemoryBytes === undefined) return { bytes: floor && Math.max(floor, MIN_EXECUTOR_MEMORY) };
  const perCore = anchor.executorMemoryBytes / anchor.executorCores;
  const scaled = cores === anchor.executorCores ? anchor.executorMemoryBytes : roundMemory(perCore * cores);
  // More cores than the anchor's (pinned, or kept by fill mode) would scale its memory per core to a heap no run of
  // the job launched with, which the cluster may refuse (YARN's largest container): at most the anchor's or the
  // baseline's, whichever is larger, and a candidate that needs more is no candidate.
  const proven = Math.max(anchor.executorMemoryBytes, baseline.executorMemoryBytes ?? 0);
  const more = cores > anchor.executorCores;
  const ceiling = Math.min(
    config.cluster.maxExecutorMemoryBytes,
    more ? proven : anchor.executorMemoryBytes * config.maxStepFactor,
  );
  const want = Math.max(more ? Math.min(scaled, proven) : scaled, floor ?? 0);
  if (want > ceiling) {
    return { rejected: { code: 'memory-over-limit', values: { needBytes: want } } };
  }
  return { bytes: Math.max(want, anchor.executorMemoryBytes / config.maxStepFactor, MIN_EXECUTOR_MEMORY) };
}

/**
 * Under AQE the configured count is only where coalescing starts (Spark's SQL performance tuning guide: set a large
 * enough initial partition number and let AQE pick the count at run time), but it bounds a skewed partition, which
 * AQE never splits. The count a run advised with kept, or, where a shuffle's time was one such partition, a step
 * above the job's own: a finer cut that leaves AQE nothing to merge costs no more than the coarser one.
 */
function adaptiveInitial(inp: CandidateInput): number | undefined {
  const own = inp.baseline.shufflePartitions;
  if (own === undefined) return undefined;
  const finer = inp.wholePartitionStraggler ? Math.round(own * inp.config.maxStepFactor) : own;
  return Math.max(finer, inp.anchor.shufflePartitions ?? 0);
}

/**
 * Shuffle partitions for `totalCores` task slots: the size rule, within a step of the anchor's when AQE is off
 * (a big jump in partition count is a change the models cannot predict); the baseline's when unknown or pinned.
 */
export function partitionsFor(inp: CandidateInput, totalCores: number): number | undefined {
  const { baseline, config } = inp;
  if (inp.shuffleBytes === undefined || inp.pinned.has('shufflePartitions')) return baseline.shufflePartitions;
  let p = shufflePartitionsFor(
    inp.shuffleBytes,
    totalCores,
    config.targetPartitionBytes,
    inp.adaptive,
    inp.adaptive ? adaptiveInitial(inp) : baseline.shufflePartitions,
  );
  const anchorP = inp.anchor.shufflePartitions;
  if (anchorP && !inp.adaptive)
    p = Math.min(Math.max(p, Math.ceil(anchorP / config.maxStepFactor)), Math.floor(anchorP * config.maxStepFactor));
  if (anchorP && inp.spills) p = Math.max(p, anchorP);
  // Without AQE nothing splits a skewed partition, and every partition grows with a cut: below the baseline's count
  // a cut only merges tasks too small for their bytes to matter (bench/loop --shapes random:50 --cluster all --seed
  // s3, random 13: a skewed shuffle of 17 MiB tasks cut from 400 to 110–160 partitions ran 1.25–1.52× the fixed time),
  // or drops a partial last wave, which grows each partition by less than a wave's share. Not on a job whose runs of
  // this size spilled: every partition grown spills more (an outside loop's 20.9 GiB spilling shuffle cut from 200 to
  // 168 partitions, a wave of 56 slots fewer, ran 1.40× the fixed time).
  if (!inp.adaptive && baseline.shufflePartitions) {
    const kept = Math.min(baseline.shufflePartitions, Math.ceil(inp.shuffleBytes / BYTES_BOUND_TASK));
    const whole = !inp.spills && kept >= totalCores;
    p = Math.max(p, whole ? Math.floor(kept / totalCores) * totalCores : kept);
  }
  // Without AQE, on a job whose recent runs at its own count never spilled, more partitions only repack the same
  // work into other waves: a gain within the replay's error, bought with costs no model here prices (a task's fixed
  // overhead, a file per partition for the job's commit, more and smaller shuffle blocks). Raised so, on outside
  // closed loops the baseline was priced 8–12% slower than it ran, and cuts that kept within the limit against that
  // price ran 1.12–1.25× the fixed time. A job that spills at some size gets the size rule's count before its runs
  // of a new, larger size spill (an outside loop's 118 GiB shuffle at the job's own count: 1.30× the time of the
  // raised one), and so does one whose runs on more partitions may have stayed clear by them. Merging tasks too
  // small to matter still goes ahead.
  if (!inp.adaptive && inp.clearOfSpill && baseline.shufflePartitions) p = Math.min(p, baseline.shufflePartitions);
  return Math.max(p, Math.ceil(inp.floorPartitions ?? 0));
}

export function proposals(inp: CandidateInput): Proposal[] {
  const out: Proposal[] = [];
  const { baseline, config } = inp;
  const anchorCores = inp.anchor.executors * inp.anchor.executorCores;
  for (const cores of coreOptions(inp)) {
    const mem = memoryFor(inp, cores);
    for (const executors of executorOptions(inp)) {
      // The step limit holds for the total core count too, not only for each factor of it.
      if (!withinStep(executors * cores, anchorCores, config.maxStepFactor)) continue;
      const settings: Settings = { executors, executorCores: cores };
      const bytes = mem.bytes ?? baseline.executorMemoryBytes;
      if (bytes !== undefined) settings.executorMemoryBytes = bytes;
      const p = partitionsFor(inp, executors * cores);
      if (p !== undefined) settings.shufflePartitions = p;
      out.push(mem.rejected ? { settings, rejected: mem.rejected } : { settings });
    }
  }
  return out;
}
