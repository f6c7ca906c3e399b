import type { TrainingRow } from '../../models/types.js';
import type { Cell } from './cells.js';
import { mulberry32 } from '../../src/simulator/random.js';

// Simulated recurring jobs whose true behaviour has none of the models' forms: driver time, executor start-up
// that grows with the executor count, three stages in task waves (a fixed 200 shuffle partitions), a shuffle
// fetch cost per executor, a memory cliff (spill when a task's working set exceeds the memory per core), skewed
// last waves and run-to-run noise. Cores per executor vary from 1 to 8, which the Scout histories do not.

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const pick = <T>(r: () => number, xs: T[]): T => xs[Math.floor(r() * xs.length)]!;

interface Job {
  baseGiB: number;
  driverSec: number;
  startupPerExecutor: number;
  scanMiBps: number;
  shuffleRatio: number;
  shuffleMiBps: number;
  fetchPerExecutor: number;
  writeMiBps: number;
  noise: number;
}

function newJob(r: () => number): Job {
  return {
    baseGiB: 10 + r() * 90,
    driverSec: 15 + r() * 45,
    startupPerExecutor: 0.1 + r() * 0.9,
    scanMiBps: 15 + r() * 30,
    shuffleRatio: 0.2 + r() * 0.6,
    shuffleMiBps: 10 + r() * 20,
    fetchPerExecutor: 0.005 + r() * 0.03,
    writeMiBps: 20 + r() * 30,
    noise: 0.03 + r() * 0.07,
  };
}

interface Run {
  executors: number;
  cores: number;
  memGiB: number;
  gib: number;
}

function stage(tasks: number, slots: number, taskSec: number, r: () => number): number {
  const full = Math.floor(tasks / slots);
  const last = tasks % slots > 0 ? 1 : 0;
  // Skew: the slowest task of each wave sets the wave's time.
  return (full + last) * taskSec * (1 + 0.15 * r());
}

function simulate(job: Job, run: Run, r: () => number): number {
  const bytes = run.gib * GIB;
  const slots = run.executors * run.cores;
  const scanTasks = Math.ceil(bytes / (128 * MIB));
  const shuffleBytes = bytes * job.shuffleRatio;
  const partitions = 200;
  const perPartition = shuffleBytes / partitions;
  const memPerCore = (run.memGiB * GIB * 0.6) / run.cores; // Spark's unified memory fraction
  const spill = perPartition * 3 + 300 * MIB > memPerCore ? 2.2 : 1;
  const writeTasks = Math.ceil((shuffleBytes * 0.5) / (128 * MIB));
  const t =
    job.driverSec +
    2 * Math.log2(1 + run.gib) +
    3 +
    job.startupPerExecutor * run.executors +
    stage(scanTasks, slots, 128 / job.scanMiBps + 0.3, r) +
    stage(
      partitions,
      slots,
      (perPartition / MIB / job.shuffleMiBps) * spill + 0.2 + job.fetchPerExecutor * run.executors,
      r,
    ) +
    stage(writeTasks, slots, 128 / job.writeMiBps + 0.3, r);
  return t * Math.exp(job.noise * gauss(r)) * 1000;
}

interface Scenario {
  name: string;
  train: (r: () => number, job: Job) => Run;
  test: (r: () => number, job: Job) => Run;
}

const settings = (r: () => number, lo: number, hi: number) => {
  const cores = pick(r, [1, 2, 4, 8]);
  return { executors: lo + Math.floor(r() * (hi - lo + 1)), cores, memGiB: cores * pick(r, [1.5, 2, 3]) };
};

const SCENARIOS: Scenario[] = [
  {
    name: 'within range',
    train: (r, j) => ({ ...settings(r, 2, 12), gib: j.baseGiB * (0.7 + 0.6 * r()) }),
    test: (r, j) => ({ ...settings(r, 2, 12), gib: j.baseGiB * (0.7 + 0.6 * r()) }),
  },
  {
    name: 'cores ≤2× largest',
    train: (r, j) => ({ ...settings(r, 2, 12), gib: j.baseGiB * (0.8 + 0.4 * r()) }),
    test: (r, j) => ({ ...settings(r, 13, 24), gib: j.baseGiB * (0.8 + 0.4 * r()) }),
  },
  {
    name: 'input ≤2× largest',
    train: (r, j) => ({ ...settings(r, 2, 12), gib: j.baseGiB * (0.6 + 0.4 * r()) }),
    test: (r, j) => ({ ...settings(r, 2, 12), gib: j.baseGiB * (1 + r()) }),
  },
];

const HISTORY = [6, 12, 30];
const TESTS_PER_JOB = 6;

function row(id: string, run: Run, durationMs: number): TrainingRow {
  return {
    id,
    inputBytes: run.gib * GIB,
    executors: run.executors,
    executorCores: run.cores,
    executorMemoryBytes: run.memGiB * GIB,
    durationMs,
  };
}

export function simulatedCells(jobs: number): Cell[] {
  const cells: Cell[] = [];
  for (const sc of SCENARIOS) {
    for (const n of HISTORY) {
      const col = cells.length;
      const cases = Array.from({ length: jobs }, (_, j) => {
        const r = mulberry32(1000 * col + j + 1);
        const job = newJob(r);
        const history = Array.from({ length: n }, (_, i) => {
          const run = sc.train(r, job);
          return row(`t${i}`, run, simulate(job, run, r));
        });
        const heldOut = Array.from({ length: TESTS_PER_JOB }, (_, i) => {
          const run = sc.test(r, job);
          return row(`h${i}`, run, simulate(job, run, r));
        });
        return { history, heldOut };
      });
      cells.push({ name: `simulated: ${sc.name}, ${n} runs`, cases });
    }
  }
  return cells;
}

/** One simulated job's history of `n` runs (most recent first), for timing the selection on a long history. */
export function simulatedHistory(n: number, seed = 1): TrainingRow[] {
  const r = mulberry32(seed);
  const job = newJob(r);
  return Array.from({ length: n }, (_, i) => {
    const run = { ...settings(r, 2, 24), gib: job.baseGiB * (0.5 + r()) };
    return row(`t${i}`, run, simulate(job, run, r));
  });
}
