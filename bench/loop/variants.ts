import type { JobShape } from './cluster.js';

// Clusters the advisor was not tuned on: each variant changes one way the simulated cluster (or the job's input
// schedule) behaves, so a rule that only fits the default cluster shows up as a slowdown or a failure here.

export interface ClusterVariant {
  name: string;
  about: string;
  /** The job as it behaves on this cluster. */
  apply: (job: JobShape) => JobShape;
  /** Every other launch's input is this many times the one before (bench/loop/schedules.ts). */
  jump?: number;
}

const withCluster = (job: JobShape, cluster: JobShape['cluster']): JobShape => ({
  ...job,
  cluster: { ...job.cluster, ...cluster },
});

export const VARIANTS: ClusterVariant[] = [
  { name: 'default', about: 'the cluster the loop was first written with', apply: (j) => j },
  {
    name: 'parallel',
    about: 'almost all parallel work: 1/20 of the driver time, quick executor start-up',
    apply: (j) => withCluster({ ...j, driverMs: j.driverMs / 20 }, { startupMs: 1_000, startupMsPerExecutor: 20 }),
  },
  {
    name: 'overheads',
    about: 'heavy per-executor overheads: every stage pays 0.4 s per executor (slower with more executors)',
    apply: (j) => withCluster(j, { stageMsPerExecutor: 400 }),
  },
  {
    name: 'startup',
    about: 'strong executor start-up: 10 s plus 1 s per executor',
    apply: (j) => withCluster(j, { startupMs: 10_000, startupMsPerExecutor: 1_000 }),
  },
  {
    name: 'memory-cliff',
    about: 'a memory cliff: a spilling task takes 4× at once, and fails at 4× its execution memory',
    apply: (j) => withCluster(j, { spillCliff: 3, oomOver: 4 }),
  },
  { name: 'noise', about: '3× the run-to-run noise (sigma 0.12)', apply: (j) => withCluster(j, { noise: 0.12 }) },
  { name: 'jump', about: 'inputs that jump 10× between launches', apply: (j) => j, jump: 10 },
  {
    name: 'driver-bound',
    about: 'driver-bound: 10× the driver time, so the executors barely matter',
    apply: (j) => ({ ...j, driverMs: j.driverMs * 10 }),
  },
  {
    name: 'parallel-jump',
    about: 'almost all parallel work, and inputs that jump 10× between launches',
    apply: (j) => withCluster({ ...j, driverMs: j.driverMs / 20 }, { startupMs: 1_000, startupMsPerExecutor: 20 }),
    jump: 10,
  },
  {
    name: 'late-straggler',
    about: "a shuffle's skewed partition comes up last in the task order, so it begins as the others' last wave",
    apply: (j) => withCluster(j, { stragglerLast: true }),
  },
  {
    name: 'hot-key',
    about: "a shuffle's skew is a hot key: more shuffle partitions do not split it",
    apply: (j) => withCluster(j, { hotKey: true }),
  },
  {
    name: 'bandwidth',
    about: 'storage read at 2 GiB/s over the whole cluster: past that many slots, a scan gets no faster',
    apply: (j) => withCluster(j, { storageMiBps: 2048 }),
  },
  {
    name: 'parallel-noise',
    about: 'almost all parallel work with 3× the noise',
    apply: (j) =>
      withCluster({ ...j, driverMs: j.driverMs / 20 }, { startupMs: 1_000, startupMsPerExecutor: 20, noise: 0.12 }),
  },
];

export function variantsNamed(names: string[]): ClusterVariant[] {
  if (names.includes('all')) return VARIANTS;
  const unknown = names.filter((n) => !VARIANTS.some((v) => v.name === n));
  if (unknown.length)
    throw new Error(`unknown cluster ${unknown.join(', ')}; one of: all, ${VARIANTS.map((v) => v.name).join(', ')}`);
  return VARIANTS.filter((v) => names.includes(v.name));
}
