import { formatShsDate } from '../history/dates.js';
import type { ShsApplication, ShsAttempt } from '../types.js';
import { environment } from './environment.js';
import { executorEntry, IDLE_TIMEOUT_MS, type ExecutorEntryInput } from './executors.js';
import { jobList } from './jobs.js';
import { seededRandom } from './random.js';
import { planStages, type ExecutorWork, type StageLayout, type TaskTimes } from './stages.js';

// Synthetic Spark apps whose History Server answers are internally consistent: stages lie inside the app's
// lifetime, executor task time adds up to stage task time, idle executors ran no task, and the Spark properties
// say what the app really had.

export interface SyntheticAppSpec {
  id: string;
  name: string;
  attemptId?: string;
  startMs: number;
  durationMs: number;
  executors: number;
  executorCores: number;
  executorMemoryBytes?: number;
  inputBytes: number;
  outputBytes?: number;
  shuffleBytes?: number;
  stages?: number;
  /** Stages as a cluster model laid them out; random shares of the duration otherwise. */
  stageLayout?: StageLayout;
  /** Executors (out of `executors`) that never get a task. */
  idleExecutors?: number;
  dynamicAllocation?: boolean;
  sparkProperties?: Record<string, string>;
  sparkVersion?: string;
  user?: string;
  /** Its job ended failed although every stage completed (a driver-side error): a failed run. */
  failedJob?: boolean;
}

interface SimAttemptData {
  executors: object[];
  stages: object[];
  /** v1 JobData, newest first; an app added without them answers `jobs` with `[]`. */
  jobs?: object[];
  /** Each stage's task times, in the order of `stages`: for `stages?withSummaries=true`. */
  taskTimes?: TaskTimes[];
  environment: object;
}

export interface SimApp {
  listing: ShsApplication;
  /** Keyed by attemptId, or '' for an app whose attempt has no id (client mode). */
  attempts: Record<string, SimAttemptData>;
}

const GIB = 1024 * 1024 * 1024;

/** When executor `i` (1-based) of `executors` registered: laid out by the cluster's start-up when it gives one. */
function registeredMs(spec: SyntheticAppSpec, i: number, executors: number): number {
  const layout = spec.stageLayout;
  if (!layout?.executorStaggerMs) return spec.startMs + Math.round(spec.durationMs * 0.02) + i * 20;
  const firstStageMs = spec.startMs + layout.leadMs;
  return Math.max(spec.startMs, Math.round(firstStageMs - (executors - i) * layout.executorStaggerMs));
}

/** One completed app with one attempt. */
export function syntheticApp(spec: SyntheticAppSpec): SimApp {
  const { attempt, data } = syntheticAttempt(spec, spec.attemptId);
  return { listing: { id: spec.id, name: spec.name, attempts: [attempt] }, attempts: { [spec.attemptId ?? '']: data } };
}

/**
 * An app that ran `attempts` times (YARN cluster mode re-running the driver): attempt ids "1", "2", ...,
 * each `durationMs` long, `gapMs` apart; the listing has the newest attempt first, as the History Server does.
 */
export function syntheticMultiAttemptApp(
  spec: SyntheticAppSpec,
  opts: { attempts?: number; gapMs?: number } = {},
): SimApp {
  const count = Math.max(1, opts.attempts ?? 2);
  const gap = opts.gapMs ?? 5_000;
  const listed: ShsAttempt[] = [];
  const attempts: Record<string, SimAttemptData> = {};
  for (let i = 1; i <= count; i++) {
    const startMs = spec.startMs + (i - 1) * (spec.durationMs + gap);
    const { attempt, data } = syntheticAttempt({ ...spec, startMs }, String(i));
    listed.unshift(attempt);
    attempts[String(i)] = data;
  }
  return { listing: { id: spec.id, name: spec.name, attempts: listed }, attempts };
}

function syntheticAttempt(
  spec: SyntheticAppSpec,
  attemptId: string | undefined,
): { attempt: ShsAttempt; data: SimAttemptData } {
  const rand = seededRandom(`${spec.id}/${attemptId ?? ''}`);
  const endMs = spec.startMs + spec.durationMs;
  const executors = Math.max(1, Math.round(spec.executors));
  const idle = Math.min(Math.max(0, spec.idleExecutors ?? 0), executors - 1);
  const memory = spec.executorMemoryBytes ?? 4 * GIB;
  const dynamic = spec.dynamicAllocation ?? false;
  const shufflePartitions = Number.parseInt(spec.sparkProperties?.['spark.sql.shuffle.partitions'] ?? '', 10) || 200;
  const shuffleBytes = spec.shuffleBytes ?? Math.round(spec.inputBytes * 0.3);
  const busy = executors - idle;

  const plan = planStages(
    {
      startMs: spec.startMs,
      durationMs: spec.durationMs,
      stages: spec.stages ?? (shuffleBytes > 0 ? 3 : 1),
      inputBytes: spec.inputBytes,
      outputBytes: spec.outputBytes ?? Math.round(spec.inputBytes * 0.5),
      shuffleBytes,
      shufflePartitions,
      busyExecutorCores: Array.from({ length: busy }, () => spec.executorCores),
      ...(spec.stageLayout ? { layout: spec.stageLayout } : {}),
    },
    rand,
  );

  const noWork: ExecutorWork = { tasks: 0, durationMs: 0, inputBytes: 0, shuffleRead: 0, shuffleWrite: 0, gcMs: 0 };
  const appKey = spec.id.replace(/^application_/, '');
  const entries: ExecutorEntryInput[] = [
    {
      id: 'driver',
      host: 'driver-host',
      cores: 0,
      heapBytes: 2 * GIB,
      addMs: spec.startMs,
      work: noWork,
      appId: appKey,
    },
  ];
  for (let i = 1; i <= executors; i++) {
    const work = plan.work[i - 1] ?? noWork;
    const addMs = Math.min(endMs, registeredMs(spec, i, executors));
    // Under dynamic allocation an executor leaves once idle for the timeout, unless the app ends first.
    const idleFrom = work.tasks > 0 ? plan.lastTaskEndMs : addMs;
    const removeMs = dynamic && idleFrom + IDLE_TIMEOUT_MS < endMs ? idleFrom + IDLE_TIMEOUT_MS : undefined;
    entries.push({
      id: String(i),
      host: `worker-${((i - 1) % 16) + 1}.cluster`,
      cores: spec.executorCores,
      heapBytes: memory,
      addMs,
      ...(removeMs !== undefined ? { removeMs } : {}),
      work,
      appId: appKey,
    });
  }

  const user = spec.user ?? 'spark';
  const attempt: ShsAttempt = {
    ...(attemptId !== undefined ? { attemptId } : {}),
    startTime: formatShsDate(new Date(spec.startMs)),
    endTime: formatShsDate(new Date(endMs)),
    lastUpdated: formatShsDate(new Date(endMs + 1_000)),
    duration: spec.durationMs,
    sparkUser: user,
    completed: true,
    appSparkVersion: spec.sparkVersion ?? '3.5.1',
    startTimeEpoch: spec.startMs,
    endTimeEpoch: endMs,
    lastUpdatedEpoch: endMs + 1_000,
  };
  const data: SimAttemptData = {
    executors: entries.map((e) => executorEntry(e, rand)),
    stages: plan.stages,
    jobs: jobList(plan.stages, spec.failedJob === true),
    taskTimes: plan.taskTimes,
    environment: environment({
      appId: spec.id,
      name: spec.name,
      startMs: spec.startMs,
      executors,
      executorCores: spec.executorCores,
      executorMemoryBytes: memory,
      shufflePartitions,
      dynamicAllocation: dynamic,
      user,
      extra: spec.sparkProperties ?? {},
    }),
  };
  return { attempt, data };
}
