import type { ModelSettings } from './types.js';

// The quantities the physical models are written in. m is the total core count (executors × cores per
// executor): Spark runs one task per core, so task slots — not machines, as in Ernest's paper — set how
// many tasks run at once. (In bench/accuracy, where cores per executor vary from 1 to 8, m = executors raises
// the median error from 6–11% to 30–58%.)

const BLOCK_BYTES = 128 * 1024 ** 2;
const GIB = 1024 ** 3;

export function totalCores(s: ModelSettings): number {
  return Math.max(1, s.executors * s.executorCores);
}

export function sizeGiB(inputBytes: number): number {
  return Math.max(0, inputBytes) / GIB;
}

/** Input tasks if one task reads one 128 MiB block (spark.sql.files.maxPartitionBytes' default). */
export function inputTasks(inputBytes: number): number {
  return Math.max(1, Math.ceil(Math.max(0, inputBytes) / BLOCK_BYTES));
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
