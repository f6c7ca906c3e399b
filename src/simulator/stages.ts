import { formatShsDate } from '../history/dates.js';
import { between } from './random.js';

// Lays an app's work out as a chain of stages inside the app's lifetime, the way a typical batch job looks in
// the History Server: the driver starts up, stage 0 reads the input and writes shuffle, middle stages read and
// write shuffle, the last stage writes the output; short driver-only gaps sit between stages.

const SPLIT_BYTES = 128 * 1024 * 1024; // spark.sql.files.maxPartitionBytes
const OPEN_COST_BYTES = 4 * 1024 * 1024; // spark.sql.files.openCostInBytes

export interface StagePlanInput {
  startMs: number;
  durationMs: number;
  stages: number;
  inputBytes: number;
  outputBytes: number;
  shuffleBytes: number;
  shufflePartitions: number;
  /** Cores per busy executor; one entry per executor that runs tasks. */
  busyExecutorCores: number[];
  /** Stages as a cluster model laid them out (bench/loop), instead of random shares of the duration. */
  layout?: StageLayout;
}

/** Driver-only time before the first stage, then each stage's wall time, tasks and mean task time. */
export interface StageLayout {
  leadMs: number;
  /**
   * Time between two executors' registrations: the last registers as the first stage starts, the others this far
   * apart before it (a cluster whose start-up grows with the executor count). Absent: all register together.
   */
  executorStaggerMs?: number;
  /** `spillBytes`: what the stage spilled (memory); its disk bytes are a third, as compressed spill files are. */
  stages: { wallMs: number; numTasks: number; taskMs: number; spillBytes?: number; tasks?: TaskTimes }[];
}

/** A stage's task times, for the task summaries a History Server serves on request (task-summaries.ts). */
export interface TaskTimes {
  numTasks: number;
  /** What every task but the longest took (ms of executor run time). */
  typicalMs: number;
  longestMs: number;
}

/** What each busy executor did, summed over stages (index = position in busyExecutorCores). */
export interface ExecutorWork {
  tasks: number;
  durationMs: number;
  inputBytes: number;
  shuffleRead: number;
  shuffleWrite: number;
  gcMs: number;
}

export interface StagePlan {
  stages: Record<string, unknown>[];
  /** Each stage's task times, in the order of `stages`. */
  taskTimes: TaskTimes[];
  work: ExecutorWork[];
  lastTaskEndMs: number;
}

export function planStages(p: StagePlanInput, rand: () => number): StagePlan {
  const n = p.layout ? Math.max(1, p.layout.stages.length) : Math.max(1, p.stages);
  const cores = p.busyExecutorCores.reduce((a, b) => a + b, 0);
  const work: ExecutorWork[] = p.busyExecutorCores.map(() => ({
    tasks: 0,
    durationMs: 0,
    inputBytes: 0,
    shuffleRead: 0,
    shuffleWrite: 0,
    gcMs: 0,
  }));
  // Sequential (driver-only) time: start-up, gaps between stages, shut-down.
  const lead = p.layout ? p.layout.leadMs : Math.round(p.durationMs * 0.04);
  const gap = p.layout ? 0 : Math.round(p.durationMs * 0.01);
  const parallelMs = Math.max(0, p.durationMs - lead - Math.round(p.durationMs * 0.02) - gap * (n - 1));
  const weights = Array.from({ length: n }, () => between(rand, 0.5, 1.5));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const shufflePerBoundary = n > 1 ? Math.round(p.shuffleBytes / (n - 1)) : 0;

  const stages: Record<string, unknown>[] = [];
  const taskTimes: TaskTimes[] = [];
  let cursor = p.startMs + lead;
  let lastTaskEndMs = cursor;
  for (let i = 0; i < n; i++) {
    const laid = p.layout?.stages[i];
    const wallMs = laid ? Math.round(laid.wallMs) : Math.floor((parallelMs * (weights[i] ?? 1)) / weightSum);
    const inputBytes = i === 0 ? p.inputBytes : 0;
    const shuffleReadBytes = i > 0 ? shufflePerBoundary : 0;
    const shuffleWriteBytes = i < n - 1 ? shufflePerBoundary : 0;
    const outputBytes = i === n - 1 ? p.outputBytes : 0;
    const numTasks = laid
      ? laid.numTasks
      : i === 0
        ? inputTasks(p.inputBytes, cores)
        : Math.max(1, p.shufflePartitions);
    const launchDelay = Math.min(wallMs, Math.round(between(rand, 5, 60)));
    const taskWallMs = wallMs - launchDelay;
    const executorRunTime =
      cores === 0
        ? 0
        : laid
          ? Math.round(laid.taskMs * numTasks)
          : Math.round(taskWallMs * Math.min(cores, numTasks) * between(rand, 0.55, 0.9));
    const gcMs = Math.round(executorRunTime * 0.03);
    const spill =
      laid?.spillBytes !== undefined
        ? Math.round(laid.spillBytes)
        : shuffleReadBytes > 0 && shuffleReadBytes / numTasks > 512 * 1024 * 1024
          ? Math.round(shuffleReadBytes * 0.3)
          : 0;
    assignTasks(work, p.busyExecutorCores, numTasks, {
      executorRunTime,
      inputBytes,
      shuffleReadBytes,
      shuffleWriteBytes,
      gcMs,
    });
    // A laid-out stage's tasks are alike unless it says otherwise; without a layout one is a quarter longer than
    // the others (no random draw, so every other figure the seed gives stays as it was).
    const typicalMs = numTasks > 0 ? executorRunTime / numTasks : 0;
    taskTimes.push(laid?.tasks ?? { numTasks, typicalMs, longestMs: laid ? typicalMs : typicalMs * 1.25 });
    const submissionTime = cursor;
    const completionTime = cursor + wallMs;
    stages.push({
      status: 'COMPLETE',
      stageId: i,
      attemptId: 0,
      numTasks,
      numActiveTasks: 0,
      numCompleteTasks: numTasks,
      numFailedTasks: 0,
      numKilledTasks: 0,
      numCompletedIndices: numTasks,
      submissionTime: formatShsDate(new Date(submissionTime)),
      firstTaskLaunchedTime: formatShsDate(new Date(submissionTime + launchDelay)),
      completionTime: formatShsDate(new Date(completionTime)),
      executorDeserializeTime: numTasks * 4,
      executorDeserializeCpuTime: numTasks * 3_000_000,
      executorRunTime,
      executorCpuTime: Math.round(executorRunTime * 0.85) * 1_000_000,
      resultSize: numTasks * 2_000,
      jvmGcTime: gcMs,
      resultSerializationTime: numTasks,
      memoryBytesSpilled: spill,
      diskBytesSpilled: Math.round(spill / 3),
      peakExecutionMemory: Math.round(shuffleReadBytes / numTasks),
      inputBytes,
      inputRecords: Math.round(inputBytes / 100),
      outputBytes,
      outputRecords: Math.round(outputBytes / 100),
      shuffleRemoteBlocksFetched: i > 0 ? numTasks * 4 : 0,
      shuffleLocalBlocksFetched: i > 0 ? numTasks : 0,
      shuffleFetchWaitTime: 0,
      shuffleRemoteBytesRead: Math.round(shuffleReadBytes * 0.8),
      shuffleRemoteBytesReadToDisk: 0,
      shuffleLocalBytesRead: shuffleReadBytes - Math.round(shuffleReadBytes * 0.8),
      shuffleReadBytes,
      shuffleReadRecords: Math.round(shuffleReadBytes / 100),
      shuffleCorruptMergedBlockChunks: 0,
      shuffleMergedFetchFallbackCount: 0,
      shuffleMergedRemoteBlocksFetched: 0,
      shuffleMergedLocalBlocksFetched: 0,
      shuffleMergedRemoteChunksFetched: 0,
      shuffleMergedLocalChunksFetched: 0,
      shuffleMergedRemoteBytesRead: 0,
      shuffleMergedLocalBytesRead: 0,
      shuffleRemoteReqsDuration: 0,
      shuffleMergedRemoteReqsDuration: 0,
      shuffleWriteBytes,
      shuffleWriteTime: Math.round(shuffleWriteBytes / 1e4),
      shuffleWriteRecords: Math.round(shuffleWriteBytes / 100),
      name: i === n - 1 ? `save at Job.scala:${40 + i}` : `${i === 0 ? 'load' : 'groupBy'} at Job.scala:${20 + i}`,
      details: '',
      schedulingPool: 'default',
      rddIds: [i * 2 + 1, i * 2],
      accumulatorUpdates: [],
      killedTasksSummary: {},
      resourceProfileId: 0,
      isShufflePushEnabled: false,
      shuffleMergersCount: 0,
    });
    lastTaskEndMs = completionTime;
    cursor = completionTime + gap;
  }
  // The History Server lists the newest stage first.
  stages.reverse();
  taskTimes.reverse();
  return { stages, taskTimes, work, lastTaskEndMs };
}

interface StageTotals {
  executorRunTime: number;
  inputBytes: number;
  shuffleReadBytes: number;
  shuffleWriteBytes: number;
  gcMs: number;
}

/** Spark splits files so every core gets work, but never into pieces smaller than the 4 MiB open cost. */
function inputTasks(inputBytes: number, cores: number): number {
  const bySize = Math.ceil(inputBytes / SPLIT_BYTES);
  const byCores = Math.min(cores, Math.ceil(inputBytes / OPEN_COST_BYTES));
  return Math.max(1, bySize, byCores);
}

/** Spreads a stage's tasks over executors in proportion to their cores; shares of the totals follow the tasks. */
function assignTasks(work: ExecutorWork[], cores: number[], numTasks: number, t: StageTotals): void {
  const totalCores = cores.reduce((a, b) => a + b, 0);
  if (totalCores === 0) return;
  const counts = cores.map((c) => Math.floor((numTasks * c) / totalCores));
  // Leftover tasks go one each to the executors that got fewest, so small stages still reach every executor.
  let left = numTasks - counts.reduce((a, b) => a + b, 0);
  const order = work.map((_, i) => i).sort((a, b) => (work[a]?.tasks ?? 0) - (work[b]?.tasks ?? 0));
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) counts[order[j] ?? 0]! += 1;
  const share = (total: number, i: number): number => {
    // Integer shares that add up exactly to the stage total.
    const before = counts.slice(0, i).reduce((a, b) => a + b, 0);
    const upto = before + (counts[i] ?? 0);
    return Math.round((total * upto) / numTasks) - Math.round((total * before) / numTasks);
  };
  counts.forEach((k, i) => {
    const w = work[i];
    if (!w) return;
    w.tasks += k;
    w.durationMs += share(t.executorRunTime, i);
    w.inputBytes += share(t.inputBytes, i);
    w.shuffleRead += share(t.shuffleReadBytes, i);
    w.shuffleWrite += share(t.shuffleWriteBytes, i);
    w.gcMs += share(t.gcMs, i);
  });
}
