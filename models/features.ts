import type { ModelSettings } from './types.js';

// The quantities the physical models are written in. m is the total core count (executors × cores per
// executor): Spark runs one task per core, so task slots — not machines, as in Ernest's paper — set how
// many tasks run at once. (In bench/accuracy, where cores per executor vary from 1 to 8, m = executors raises
// the median error from 6–11% to 30–58%.)

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
/** spark.sql.files.maxPartitionBytes' default: a scan task reads at most one 128 MiB block. */
export const MAX_PARTITION_BYTES = 128 * MIB;
/**
 * Bytes a shuffle task reads on average, from which its time follows its bytes rather than its fixed costs (launch,
 * fetch requests; tens of milliseconds): merging smaller tasks saves those costs; merging bigger ones saves nothing
 * and grows a skewed partition. A shuffle read slower than some hundred MB/s a task makes even a few MiB count:
 * 16 MiB let a slow shuffle (25 ms a MiB) of 2.7 MiB tasks be cut from 400 partitions to 96, which ran 1.2–1.3× the
 * fixed time (bench/loop --shapes random:100 --cluster all --seed s4, random 77).
 */
export const BYTES_BOUND_TASK = 4 * MIB;
/** spark.sql.files.openCostInBytes' default: what opening a file costs, counted as bytes read. */
const OPEN_COST_BYTES = 4 * MIB;
/**
 * How far a task count estimated for an input Spark has not yet split may fall short. Spark counts a file's partial
 * last split as a task, and the bytes read per byte of launch input vary from run to run; a cut whose slots just hold
 * the estimate rides on both (bench/loop parallel-jump, over-provisioned ETL, seed s53: 148 splits estimated on 148
 * slots, Spark cut 149, and the second wave ran 1.47× the fixed time).
 */
export const TASK_COUNT_MARGIN = 0.01;

export function totalCores(s: ModelSettings): number {
  return Math.max(1, s.executors * s.executorCores);
}

export function sizeGiB(inputBytes: number): number {
  return Math.max(0, inputBytes) / GIB;
}

/** Input tasks if one task reads one 128 MiB block (spark.sql.files.maxPartitionBytes' default). */
export function inputTasks(inputBytes: number): number {
  return Math.max(1, Math.ceil(Math.max(0, inputBytes) / MAX_PARTITION_BYTES));
}

/**
 * Spark's file splits for a scan on `slots` task slots: an input too small to give every slot a full block is cut
 * finer (never under the open cost), so it runs as one wave of smaller tasks. Spark spreads each file's length plus
 * its open cost, so an input cut for the slots never needs one split more than there are slots (read as one file).
 */
export function scanSplits(inputBytes: number, slots: number): { tasks: number; splitBytes: number } {
  const bytes = Math.max(0, inputBytes);
  const splitBytes = Math.min(
    MAX_PARTITION_BYTES,
    Math.max(OPEN_COST_BYTES, (bytes + OPEN_COST_BYTES) / Math.max(1, slots)),
  );
  return { tasks: Math.max(1, Math.ceil(bytes / splitBytes)), splitBytes };
}

/** Task waves: ⌈tasks / task slots⌉. */
export function waves(s: ModelSettings, inputBytes: number): number {
  return Math.ceil(inputTasks(inputBytes) / totalCores(s));
}

export function fmtSeconds(s: number): string {
  if (s === 0) return '0 s';
  const a = Math.abs(s);
  return `${a >= 100 ? s.toFixed(0) : a >= 1 ? s.toFixed(1) : a >= 0.01 ? s.toFixed(3) : s.toExponential(2)} s`;
}
