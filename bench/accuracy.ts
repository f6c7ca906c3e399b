// Accuracy of the duration models on simulated recurring jobs whose true behaviour has none of the models'
// forms: driver time, executor start-up that grows with the executor count, three stages in task waves
// (a fixed 200 shuffle partitions), a shuffle fetch cost per executor, a memory cliff (spill when a task's
// working set exceeds the memory per core), skewed last waves and run-to-run noise.
// Run: node --import tsx bench/accuracy.ts [--jobs N]
import { allSpecs, selectModel } from '../models/select.js';
import type { TrainingRow } from '../models/types.js';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
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

interface Run { executors: number; cores: number; memGiB: number; gib: number }

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
    3 + job.startupPerExecutor * run.executors +
    stage(scanTasks, slots, 128 / job.scanMiBps + 0.3, r) +
    stage(partitions, slots, (perPartition / MIB / job.shuffleMiBps) * spill + 0.2 + job.fetchPerExecutor * run.executors, r) +
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

const argJobs = process.argv.indexOf('--jobs');
const JOBS = argJobs > 0 ? Number(process.argv[argJobs + 1]) : 100;
const HISTORY = [6, 12, 30];
const TESTS_PER_JOB = 6;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};

const started = Date.now();
const specs = allSpecs();
const columns: string[] = [];
const errors = new Map<string, number[][]>(); // model -> per column list of |rel err|
const coverage: number[] = [];
const chosenCount = new Map<string, number>();
for (const sc of SCENARIOS) {
  for (const n of HISTORY) {
    const col = columns.push(`${sc.name}, ${n} runs`) - 1;
    for (let j = 0; j < JOBS; j++) {
      const r = rng(1000 * col + j + 1);
      const job = newJob(r);
      const rows: TrainingRow[] = Array.from({ length: n }, (_, i) => {
        const run = sc.train(r, job);
        return { id: `t${i}`, inputBytes: run.gib * GIB, executors: run.executors, executorCores: run.cores, executorMemoryBytes: run.memGiB * GIB, durationMs: simulate(job, run, r) };
      });
      const tests = Array.from({ length: TESTS_PER_JOB }, () => {
        const run = sc.test(r, job);
        return { run, actual: simulate(job, run, r) };
      });
      const add = (name: string, predict: (run: Run) => number) => {
        const per = errors.get(name) ?? columns.map(() => []);
        errors.set(name, per);
        while (per.length < columns.length) per.push([]);
        for (const t of tests) per[col]!.push(Math.abs(predict(t.run) / t.actual - 1));
      };
      for (const spec of specs) {
        if (n < Math.min(spec.minRows, 6) + 1) continue; // the forest is shown on short histories too, for comparison
        const m = spec.fit(rows);
        add(spec.name, (run) => m.predictMs({ executors: run.executors, executorCores: run.cores, executorMemoryBytes: run.memGiB * GIB }, run.gib * GIB));
      }
      // The selection is asked at the test input size, as the advisor asks at the next run's size.
      const queryBytes = median(tests.map((t) => t.run.gib * GIB));
      const sel = selectModel(rows, { queryBytes })!;
      chosenCount.set(sel.model.name, (chosenCount.get(sel.model.name) ?? 0) + 1);
      add('selection', (run) => sel.model.predictMs({ executors: run.executors, executorCores: run.cores }, run.gib * GIB));
      for (const t of tests) {
        const p = sel.model.predict({ executors: t.run.executors, executorCores: t.run.cores }, t.run.gib * GIB);
        coverage.push(t.actual >= p.low && t.actual <= p.high ? 1 : 0);
      }
    }
  }
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');
const names = [...errors.keys()].sort((a, b) => (a === 'selection' ? 1 : b === 'selection' ? -1 : a.localeCompare(b)));
const width = Math.max(...names.map((n) => n.length), 10);
console.log(`Median |% error| of predicted duration on held-out runs (${JOBS} simulated jobs × ${TESTS_PER_JOB} held-out runs per cell)\n`);
const head = ['model'.padEnd(width), ...columns.map((c, i) => `[${i + 1}]`.padStart(8))].join(' ');
console.log(head);
for (const name of names) {
  const per = errors.get(name)!;
  console.log([name.padEnd(width), ...columns.map((_, i) => pct(median(per[i] ?? [])).padStart(8))].join(' '));
}
console.log('');
columns.forEach((c, i) => console.log(`[${i + 1}] ${c}`));
const sel = errors.get('selection')!;
const ern = errors.get('ernest/absolute')!;
const wins = columns.filter((_, i) => median(sel[i]!) <= median(ern[i] ?? [])).length;
const extrap = columns.flatMap((c, i) => (c.includes('≤2×') ? [median(sel[i]!)] : []));
const pooled = (per: number[][]) => median(per.flat());
console.log(`\npooled over all cells: selection ${pct(pooled(sel))}, Ernest-by-NNLS ${pct(pooled(ern))}`);
console.log(`selection beats or ties Ernest-by-NNLS (ernest/absolute) in ${wins} of ${columns.length} cells`);
console.log(`selection's worst median error when extrapolating ≤2×: ${pct(Math.max(...extrap))} (goal ≤ 10%)`);
console.log(`80% interval of the selection covered ${pct(coverage.reduce((a, b) => a + b, 0) / coverage.length)} of held-out runs`);
console.log(`models chosen: ${[...chosenCount].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
