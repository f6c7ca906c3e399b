// What the one-run what-if needs from one finished attempt, read from the History Server's stage and executor
// lists as Spot stores them in the raw document (attempts[i].stages, attempts[i].allexecutors).

export interface StageObs {
  numTasks: number;
  /** Sum of the tasks' run time, ms (the History Server's executorRunTime). */
  executorRunTime: number;
  submissionMs: number;
  completionMs: number;
  inputBytes: number;
  shuffleReadBytes: number;
  /** Run time of its longest successful task (ms), where the server summarised its tasks (Spark 3.4+). */
  longestTaskMs?: number;
  /** Shuffle bytes its largest successful task read, where the summary tells it. */
  largestShuffleReadBytes?: number;
}

export interface RunObs {
  durationMs: number;
  startMs: number;
  /** Task slots the run had: cores over its executors (the driver excluded). */
  slots: number;
  /** Executors registered before the first stage began, and the time between two registrations among them (ms). */
  startup: { executors: number; msPerExecutor: number };
  stages: StageObs[];
}

type Json = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** ISO-8601, or the History Server's own "2024-01-31T10:00:00.000GMT". */
function time(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v.replace(/GMT$/, 'Z'));
  return Number.isFinite(t) ? t : undefined;
}

/** The latest attempt of each completed stage; undefined when the attempt says too little to model. */
export function observeAttempt(attempt: Json): RunObs | undefined {
  const startMs = time(attempt.startTime);
  const durationMs = num(attempt.duration) || (time(attempt.endTime) ?? 0) - (startMs ?? 0);
  const executors = Array.isArray(attempt.allexecutors) ? (attempt.allexecutors as Json[]) : [];
  const slots = executors.filter((e) => e.id !== 'driver').reduce((a, e) => a + num(e.totalCores), 0);
  const latest = new Map<number, Json>();
  for (const s of Array.isArray(attempt.stages) ? (attempt.stages as Json[]) : []) {
    if (s.status !== 'COMPLETE') continue;
    const id = num(s.stageId);
    const seen = latest.get(id);
    if (!seen || num(s.attemptId) > num(seen.attemptId)) latest.set(id, s);
  }
  const stages: StageObs[] = [];
  for (const s of latest.values()) {
    const submissionMs = time(s.submissionTime);
    const completionMs = time(s.completionTime);
    if (submissionMs === undefined || completionMs === undefined || num(s.numTasks) <= 0) continue;
    const longestTaskMs = atLongest(s, (d) => d.executorRunTime);
    const largestShuffleReadBytes = atLongest(s, (d) => (d.shuffleReadMetrics as Json | undefined)?.readBytes);
    stages.push({
      numTasks: num(s.numTasks),
      executorRunTime: num(s.executorRunTime),
      submissionMs,
      completionMs,
      inputBytes: num(s.inputBytes),
      shuffleReadBytes: num(s.shuffleReadBytes),
      ...(longestTaskMs !== undefined ? { longestTaskMs } : {}),
      ...(largestShuffleReadBytes !== undefined ? { largestShuffleReadBytes } : {}),
    });
  }
  if (startMs === undefined || durationMs <= 0 || slots <= 0 || stages.length === 0) return undefined;
  stages.sort((a, b) => a.submissionMs - b.submissionMs);
  return { durationMs, startMs, slots, stages, startup: startupOf(executors, stages[0]!.submissionMs) };
}

/**
 * A metric's value at quantile 1 (its largest task's) from the stage's task summary, the History Server's
 * `taskMetricsDistributions` as stored (src/common/task-summary.ts): the longest run time, the largest shuffle read.
 */
function atLongest(stage: Json, metric: (dist: Json) => unknown): number | undefined {
  const dist = stage.taskMetricsDistributions as Json | undefined;
  const values = dist && metric(dist);
  if (!dist || !Array.isArray(dist.quantiles) || !Array.isArray(values)) return undefined;
  const v: unknown = values[dist.quantiles.indexOf(1)];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/**
 * How the executors came up before the first stage: a cluster that starts them one after another shows it in
 * their add times, and a run with fewer executors would have begun its stages that much sooner. Executors added
 * once stages ran (dynamic allocation) did not hold the first stage up.
 */
function startupOf(executors: Json[], firstStageMs: number): RunObs['startup'] {
  const added = executors
    .filter((e) => e.id !== 'driver')
    .map((e) => time(e.addTime))
    .filter((t): t is number => t !== undefined && t <= firstStageMs)
    .sort((a, b) => a - b);
  const msPerExecutor = added.length >= 2 ? (added.at(-1)! - added[0]!) / (added.length - 1) : 0;
  return { executors: added.length, msPerExecutor };
}
