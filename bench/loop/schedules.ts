import { seededRandom } from '../../src/simulator/random.js';
import type { JobShape } from './cluster.js';

// The loop's input schedules: the size of each launch's input, in launch order. Every draw is seeded by the job's
// seed (bench/loop.ts --seed), so a schedule is the same on every run and another seed draws another.

const GIB = 1024 ** 3;

/**
 * 24 input sizes spread log-uniformly over the job's range, in a seeded random order; with a `jump` factor, every
 * other launch is that many times the one before (capped at the range's top), so no launch finds its size in the last.
 */
export function schedule(job: JobShape, launches: number, jump = 1): number[] {
  const rand = seededRandom(`loop/${job.seed ?? job.name}`);
  const lo = Math.log(job.minGiB);
  const hi = Math.log(job.maxGiB / jump);
  const sizes = Array.from({ length: launches }, () => Math.exp(lo + (hi - lo) * rand()));
  return sizes.map((g, i) =>
    Math.round((jump > 1 && i % 2 === 1 ? Math.min(job.maxGiB, sizes[i - 1]! * jump) : g) * GIB),
  );
}
