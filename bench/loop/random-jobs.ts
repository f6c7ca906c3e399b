import { seededRandom } from '../../src/simulator/random.js';
import { expected, type JobShape } from './cluster.js';
import { VARIANTS } from './variants.js';

// Job shapes nobody picked (bench/loop.ts --shapes random:N): every knob of the job and of its cluster drawn from a
// named generator, so a rule that fits only the shapes written by hand shows up as a slowdown, a failure or no
// saving. The draws are wide on purpose: inputs from kilobytes to terabytes, fixed settings from 2 to 80 executors
// of 1 to 8 cores, driver time from 2 s to 5 min, with or without AQE, skew, spill cliffs and per-executor overheads.

const GIB = 1024 ** 3;

/** Draws random job shapes from one named generator (the same name always draws the same shapes). */
export function randomJobs(count: number, name = 'random'): JobShape[] {
  const rand = seededRandom(`loop/${name}`);
  const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rand());
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const jobs: JobShape[] = [];
  while (jobs.length < count) {
    const cores = pick([1, 2, 4, 5, 8]);
    const minGiB = logUniform(0.001, 20);
    const job: JobShape = {
      name: `${name} ${jobs.length + 1}`,
      fixed: {
        executors: Math.round(logUniform(2, 80)),
        executorCores: cores,
        executorMemoryBytes: Math.round(cores * pick([1, 1.5, 2, 3, 4]) * GIB),
        shufflePartitions: pick([100, 200, 400, 800, 2000]),
      },
      minGiB: Number(minGiB.toPrecision(2)),
      maxGiB: Number((minGiB * logUniform(3, 1000)).toPrecision(2)),
      driverMs: Math.round(logUniform(2_000, 300_000)),
      scanMsPerSplit: Math.round(logUniform(500, 8_000)),
      shuffleRatio: rand() < 0.2 ? 0 : logUniform(0.05, 1.5),
      shuffleMsPerMiB: logUniform(3, 40),
      spillPenalty: logUniform(0.5, 3),
      skew: rand() < 0.5 ? 1 + rand() * 0.5 : logUniform(1.5, 15),
      adaptive: rand() < 0.5,
      stageReads: 1 + rand() * 0.5,
      cluster: {
        startupMs: Math.round(logUniform(1_000, 15_000)),
        startupMsPerExecutor: Math.round(logUniform(20, 1_000)),
        stageMsPerExecutor: rand() < 0.7 ? 0 : Math.round(logUniform(20, 400)),
        noise: logUniform(0.02, 0.12),
        spillCliff: rand() < 0.7 ? 0 : logUniform(1, 3),
        oomOver: Math.round(logUniform(4, 24)),
      },
    };
    // A launch script whose own settings fail on its largest input, on any cluster the loop runs it on, is no
    // baseline: a team would have fixed it.
    if (VARIANTS.every((v) => !expected(v.apply(job), job.maxGiB * GIB, job.fixed).failed)) jobs.push(job);
  }
  return jobs;
}
