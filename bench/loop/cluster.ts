import { seededRandom } from '../../src/simulator/random.js';
import type { StageLayout } from '../../src/simulator/stages.js';

// The closed loop's "truth": how a job's duration really responds to its settings on the simulated cluster.
// Written apart from every model the advisor assumes (no Amdahl or Ernest form, no waves fit): a scan stage
// of file splits, a shuffle stage whose tasks spill once their partition outgrows the execution memory a
// task gets, one skewed partition that no number of executors shortens, executor start-up that grows with
// the executor count, per-core slow-down on fat executors, and multiplicative noise with rare stragglers.

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const SPLIT_BYTES = 128 * MIB;
const OPEN_COST_BYTES = 4 * MIB; // spark.sql.files.openCostInBytes
const RESERVED_BYTES = 300 * MIB; // Spark's reserved heap
const MEMORY_FRACTION = 0.6; // spark.memory.fraction
const AQE_TARGET_BYTES = 64 * MIB; // spark.sql.adaptive.advisoryPartitionSizeInBytes
const MEMORY_OVERHEAD_MIN_MIB = 384; // Spark's floor on the executor memory overhead (ResourceProfile)
const MEMORY_OVERHEAD_FACTOR = 0.1; // spark.executor.memoryOverheadFactor

export interface JobShape {
  name: string;
  /** The launch script's fixed settings. */
  fixed: ClusterSettings;
  minGiB: number;
  maxGiB: number;
  driverMs: number;
  /** Core-ms to scan one 128 MiB split. */
  scanMsPerSplit: number;
  /** Shuffle bytes per input byte. */
  shuffleRatio: number;
  /** Core-ms per MiB of shuffle a task reads, when it fits in memory. */
  shuffleMsPerMiB: number;
  /** Extra time per spilled byte, as a multiple of the in-memory time. */
  spillPenalty: number;
  /** The largest shuffle partition against the mean of the configured ones (1 = no skew). */
  skew: number;
  adaptive: boolean;
  /** Bytes the stages read from storage per byte of launch input (an input read more than once counts again). */
  stageReads: number;
  /** Names the input schedule and the noise (default: the job's name); bench/loop.ts --seed changes it. */
  seed?: string;
  /** How the cluster itself behaves (bench/loop/variants.ts); unset: the default cluster. */
  cluster?: Partial<ClusterBehaviour>;
}

/** The cluster's own costs, apart from the job's work. */
interface ClusterBehaviour {
  /** Executor start-up: a fixed part and a part per executor requested. */
  startupMs: number;
  startupMsPerExecutor: number;
  /** Per stage, per executor: scheduling, broadcast and shuffle-fetch fan-in that grow with the executor count. */
  stageMsPerExecutor: number;
  /** Log-normal run-to-run noise (sigma, ln units). */
  noise: number;
  /** Extra time of a spilling task at once, as a multiple of its in-memory time (a cliff rather than a slope). */
  spillCliff: number;
  /** A task fails once its partition is this many times the execution memory it gets. */
  oomOver: number;
  /** The skewed partition comes up last in the task order: it begins as the others' last wave does. */
  stragglerLast?: boolean;
  /**
   * The skew is a hot key's: its bytes are a share of the shuffle (as much as the skew gives the skewed partition at
   * the fixed settings' partition count), which more partitions do not split.
   */
  hotKey?: boolean;
  /**
   * The storage's aggregate read bandwidth (MiB/s over the whole cluster): a scan takes at least its reads over it,
   * however many slots read, as a shared file system or object store caps it (unset: no cap).
   */
  storageMiBps?: number;
}

const DEFAULT_CLUSTER: ClusterBehaviour = {
  startupMs: 4_000,
  startupMsPerExecutor: 150,
  stageMsPerExecutor: 0,
  noise: 0.04,
  spillCliff: 0,
  oomOver: 24,
};
const behaviour = (job: JobShape): ClusterBehaviour => ({ ...DEFAULT_CLUSTER, ...job.cluster });

export interface ClusterSettings {
  executors: number;
  executorCores: number;
  executorMemoryBytes: number;
  shufflePartitions: number;
  /** spark.executor.memoryOverhead, when the launch sets it; unset, Spark sizes it from the executor memory. */
  executorMemoryOverheadBytes?: number;
}

export interface ClusterRun {
  durationMs: number;
  /** Allocated core-hours: executors × cores × duration. */
  coreHours: number;
  /** Allocated GiB-hours of executor memory: executors × each container's memory × duration. */
  memoryHours: number;
  failed: boolean;
  shuffleBytes: number;
  spillBytes: number;
  /** How the run's time lies: driver-only lead, then each stage's wall time, tasks and mean task time. */
  layout: StageLayout;
}

/**
 * The memory each executor's container holds: spark.executor.memory plus the overhead Spark asks YARN for on top,
 * spark.executor.memoryOverhead or else max(384 MiB, 10% of the executor memory in whole MiB), as Spark sizes it.
 * YARN's rounding of the request up to its allocation increment is the cluster's, not the launch's, and is left out.
 */
export function executorContainerBytes(s: ClusterSettings): number {
  const heapMiB = Math.floor(s.executorMemoryBytes / MIB);
  const overhead =
    s.executorMemoryOverheadBytes ??
    Math.max(MEMORY_OVERHEAD_MIN_MIB, Math.floor(MEMORY_OVERHEAD_FACTOR * heapMiB)) * MIB;
  return s.executorMemoryBytes + overhead;
}

/**
 * GiB-hours of executor memory a run held. The driver is left out: a launch of the loop never changes the driver's
 * memory, so its share only follows run time (the time figure already says that), and core-hours leave it out too.
 */
function memoryHours(s: ClusterSettings, durationMs: number): number {
  return (s.executors * executorContainerBytes(s) * durationMs) / GIB / 3.6e6;
}

/** Execution memory one task can use: the unified pool shared by the executor's concurrent tasks. */
function memoryPerTask(s: ClusterSettings): number {
  return Math.max(
    16 * MIB,
    ((s.executorMemoryBytes - RESERVED_BYTES) * MEMORY_FRACTION) / Math.max(1, s.executorCores),
  );
}

/** Expected duration (no noise), with spill and failure. */
export function expected(job: JobShape, inputBytes: number, s: ClusterSettings): ClusterRun {
  const cl = behaviour(job);
  const fanIn = cl.stageMsPerExecutor * s.executors;
  const slots = Math.max(1, s.executors * s.executorCores);
  const perCoreSpeed = 1 + 0.05 * (s.executorCores - 1); // fat executors contend for disk and memory bandwidth
  // Spark's file splits: small inputs are cut finer so that every slot gets a piece (never under the 4 MiB open cost);
  // Spark spreads the file's length plus its open cost, so the cut never leaves one split more than there are slots.
  const splitBytes = Math.min(SPLIT_BYTES, Math.max(OPEN_COST_BYTES, (inputBytes + OPEN_COST_BYTES) / slots));
  const splits = Math.max(1, Math.ceil(inputBytes / splitBytes));
  const cpuScanTaskMs = job.scanMsPerSplit * (splitBytes / SPLIT_BYTES) * perCoreSpeed + 40;
  const scanWaves = Math.ceil(splits / slots);
  // Tasks that read faster together than the storage serves wait on their reads: each one takes longer.
  const storageMs = cl.storageMiBps ? ((inputBytes * job.stageReads) / MIB / cl.storageMiBps) * 1000 : 0;
  const scanTaskMs = Math.max(cpuScanTaskMs, storageMs / scanWaves);
  const scanMs = scanWaves * scanTaskMs + fanIn;

  const shuffleBytes = inputBytes * job.shuffleRatio;
  let partitions = Math.max(1, s.shufflePartitions);
  if (job.adaptive) partitions = Math.max(1, Math.min(partitions, Math.ceil(shuffleBytes / AQE_TARGET_BYTES)));
  const meanPart = shuffleBytes / partitions;
  const taskMem = memoryPerTask(s);
  const taskMs = (bytes: number): { ms: number; spill: number; oom: boolean } => {
    const over = bytes / taskMem;
    const spill = over > 1 ? bytes - taskMem : 0;
    const slope = over > 1 ? (job.spillPenalty * (1 - 1 / over) * Math.min(over, 6)) / 2 + cl.spillCliff : 0;
    const ms = (bytes / MIB) * job.shuffleMsPerMiB * perCoreSpeed * (1 + slope) + 40;
    return { ms, spill, oom: over > cl.oomOver };
  };
  const mean = taskMs(meanPart);
  // The skewed partition is one of the configured ones: AQE merges whole partitions up to its target and never splits
  // one, so a partition over the target runs alone, as large as the configured count makes it; under the target it
  // runs in a piece of about the others' size.
  const skewedBytes = cl.hotKey
    ? meanPart + ((job.skew - 1) * shuffleBytes) / Math.max(1, job.fixed.shufflePartitions)
    : Math.max(meanPart, (job.skew * shuffleBytes) / Math.max(1, s.shufflePartitions));
  const big = taskMs(skewedBytes);
  // Waves of mean tasks; the skewed task runs alongside and sets the floor, or begins with their last wave.
  const waves = Math.ceil(partitions / slots);
  const bigEndMs = (cl.stragglerLast ? (waves - 1) * mean.ms : 0) + big.ms;
  const shuffleMs = shuffleBytes > 0 ? Math.max(waves * mean.ms, bigEndMs) + fanIn : 0;
  const spillBytes = shuffleBytes > 0 ? mean.spill * (partitions - 1) + big.spill : 0;

  const startupMs = cl.startupMs + cl.startupMsPerExecutor * s.executors;
  const durationMs = job.driverMs + startupMs + scanMs + shuffleMs;
  const stages: ClusterRun['layout']['stages'] = [
    { wallMs: scanMs, numTasks: splits, taskMs: scanTaskMs, spillBytes: 0 },
  ];
  if (shuffleBytes > 0)
    stages.push({
      wallMs: shuffleMs,
      numTasks: partitions,
      taskMs: (mean.ms * (partitions - 1) + big.ms) / partitions,
      spillBytes,
      tasks: { numTasks: partitions, typicalMs: mean.ms, longestMs: big.ms },
    });
  const layout = { leadMs: job.driverMs + startupMs, executorStaggerMs: cl.startupMsPerExecutor, stages };
  return {
    durationMs,
    coreHours: (slots * durationMs) / 3.6e6,
    memoryHours: memoryHours(s, durationMs),
    failed: big.oom,
    shuffleBytes,
    spillBytes,
    layout,
  };
}

/** One run on the cluster: the expected duration with noise (seeded, so a launch and its fixed twin share it). */
export function runOnCluster(job: JobShape, inputBytes: number, s: ClusterSettings, seed: string): ClusterRun {
  const e = expected(job, inputBytes, s);
  const rand = seededRandom(seed);
  const u = Math.max(rand(), 1e-12);
  const g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  const straggler = rand() < 0.05 ? 1.12 : 1;
  const durationMs = Math.round(e.durationMs * Math.exp(behaviour(job).noise * g) * straggler);
  const f = durationMs / e.durationMs;
  const layout = {
    ...e.layout,
    leadMs: e.layout.leadMs * f,
    ...(e.layout.executorStaggerMs ? { executorStaggerMs: e.layout.executorStaggerMs * f } : {}),
    stages: e.layout.stages.map((st) => ({
      ...st,
      wallMs: st.wallMs * f,
      taskMs: st.taskMs * f,
      ...(st.tasks
        ? { tasks: { ...st.tasks, typicalMs: st.tasks.typicalMs * f, longestMs: st.tasks.longestMs * f } }
        : {}),
    })),
  };
  return {
    ...e,
    durationMs,
    coreHours: (s.executors * s.executorCores * durationMs) / 3.6e6,
    memoryHours: memoryHours(s, durationMs),
    layout,
  };
}

/** The four job shapes of the loop. */
export const JOBS: JobShape[] = [
  {
    name: 'over-provisioned ETL',
    fixed: { executors: 40, executorCores: 4, executorMemoryBytes: 8 * GIB, shufflePartitions: 200 },
    minGiB: 1,
    maxGiB: 200,
    driverMs: 30_000,
    scanMsPerSplit: 3_000,
    shuffleRatio: 0.3,
    shuffleMsPerMiB: 12,
    spillPenalty: 1.5,
    skew: 1.5,
    adaptive: true,
    stageReads: 1.3,
  },
  {
    name: 'memory-hungry shuffle',
    fixed: { executors: 12, executorCores: 4, executorMemoryBytes: 6 * GIB, shufflePartitions: 200 },
    minGiB: 0.5,
    maxGiB: 120,
    driverMs: 20_000,
    scanMsPerSplit: 2_000,
    shuffleRatio: 1.2,
    shuffleMsPerMiB: 20,
    spillPenalty: 2.5,
    skew: 1.3,
    adaptive: false,
    stageReads: 1,
  },
  {
    name: 'under-provisioned',
    fixed: { executors: 4, executorCores: 2, executorMemoryBytes: 4 * GIB, shufflePartitions: 200 },
    minGiB: 5,
    maxGiB: 60,
    driverMs: 15_000,
    scanMsPerSplit: 2_500,
    shuffleRatio: 0.2,
    shuffleMsPerMiB: 10,
    spillPenalty: 1.5,
    skew: 1.2,
    adaptive: true,
    stageReads: 1,
  },
  {
    name: 'skewed shuffle',
    fixed: { executors: 20, executorCores: 4, executorMemoryBytes: 8 * GIB, shufflePartitions: 400 },
    minGiB: 2,
    maxGiB: 80,
    driverMs: 20_000,
    scanMsPerSplit: 2_500,
    shuffleRatio: 0.6,
    shuffleMsPerMiB: 15,
    spillPenalty: 2,
    skew: 12,
    adaptive: true,
    stageReads: 1.1,
  },
];

/**
 * The cheapest grid setting (executor counts × cores, the fixed memory per core) within `slack` of the fixed run time.
 */
export function bestGrid(
  job: JobShape,
  inputBytes: number,
  slack = 1.1,
): { settings: ClusterSettings; run: ClusterRun } {
  const fixed = expected(job, inputBytes, job.fixed);
  const perCore = job.fixed.executorMemoryBytes / job.fixed.executorCores;
  let best = { settings: job.fixed, run: fixed };
  for (const cores of [1, 2, 3, 4, 5, 6, 8]) {
    for (const memFactor of [1, 1.5, 2]) {
      for (let executors = 1; executors <= 120; executors++) {
        for (const shufflePartitions of [job.fixed.shufflePartitions, 50, 100, 400, 800, 1600]) {
          const s = {
            executors,
            executorCores: cores,
            executorMemoryBytes: Math.round(perCore * cores * memFactor),
            shufflePartitions,
          };
          const r = expected(job, inputBytes, s);
          if (!r.failed && r.durationMs <= fixed.durationMs * slack && r.coreHours < best.run.coreHours)
            best = { settings: s, run: r };
        }
      }
    }
  }
  return best;
}
