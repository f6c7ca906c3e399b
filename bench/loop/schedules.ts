import { seededRandom } from '../../src/simulator/random.js';
import type { JobShape } from './cluster.js';

// The loop's input schedules: the size of each launch's input, in launch order. Every draw is seeded by the job's
// seed (bench/loop.ts --seed), so a schedule is the same on every run and another seed draws another.

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/** `launches` sizes drawn log-uniformly between `lo` and `hi` (in any one unit), in the job's seeded order. */
function logUniform(job: JobShape, launches: number, lo: number, hi: number): number[] {
  const rand = seededRandom(`loop/${job.seed ?? job.name}`);
  const [a, b] = [Math.log(lo), Math.log(hi)];
  return Array.from({ length: launches }, () => Math.exp(a + (b - a) * rand()));
}

const bytes = (gib: number[]) => gib.map((g) => Math.round(g * GIB));

/**
 * 24 input sizes spread log-uniformly over the job's range, in a seeded random order; with a `jump` factor, every
 * other launch is that many times the one before (capped at the range's top), so no launch finds its size in the last.
 */
export function schedule(job: JobShape, launches: number, jump = 1): number[] {
  const sizes = logUniform(job, launches, job.minGiB, job.maxGiB / jump);
  return bytes(sizes.map((g, i) => (jump > 1 && i % 2 === 1 ? Math.min(job.maxGiB, sizes[i - 1]! * jump) : g)));
}

/**
 * The schedules bench/loop.ts --schedule NAME runs on every cluster in place of the cluster's own, each outside the
 * range the job's fixed settings were written for or in an order that no last run prepares for.
 */
export const SCHEDULES = {
  /** Every other input 100× the one before, capped at the range's top: the last run's size says nothing. */
  jump100: (job: JobShape, launches: number) => schedule(job, launches, 100),
  /** 0.5–10 MiB whatever the job's range: start-up and the driver's time are all there is to the run. */
  tiny: (job: JobShape, launches: number) => bytes(logUniform(job, launches, (0.5 * MIB) / GIB, (10 * MIB) / GIB)),
  /** 1–7.4× the job's largest input: past every size its runs have shown, where memory runs out first. */
  huge: (job: JobShape, launches: number) => bytes(logUniform(job, launches, job.maxGiB, 7.4 * job.maxGiB)),
  /** From the range's bottom to its top, the same factor each launch: a table that grows day by day. */
  grow: (job: JobShape, launches: number) =>
    bytes(
      Array.from(
        { length: launches },
        (_, i) => job.minGiB * (job.maxGiB / job.minGiB) ** (i / Math.max(1, launches - 1)),
      ),
    ),
} satisfies Record<string, (job: JobShape, launches: number) => number[]>;

export type ScheduleName = keyof typeof SCHEDULES;
