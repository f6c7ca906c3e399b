import { fullPeaks, list, mergePeaks, num, obj, optNum, shsDate, str, type Obj } from './fields.js';
import { addMetrics, emptyMetrics, type StageMetrics } from './task-metrics.js';

// Stage attempts as the History Server reports them (v1 StageData): created PENDING by the job that lists
// them, submitted, completed (COMPLETE, or FAILED with a reason); those a job listed but never ran become
// SKIPPED when the job ends. Task counts and metric sums come from the task ends.

type Status = 'PENDING' | 'ACTIVE' | 'COMPLETE' | 'FAILED' | 'SKIPPED';

/**
 * What sized a stage's input splits, by the RDDs it ran: Spark SQL's file scan (FileScanRDD, sized by
 * spark.sql.files.maxPartitionBytes) or a Hadoop input format (an RDD the SparkContext read files with, or a HadoopRDD
 * left unnamed). Neither: its input, if any, was a cached RDD's blocks or another source's partitions.
 */
type InputSplits = 'sqlFiles' | 'hadoop';

/** The SparkContext methods that read through a Hadoop input format, as an RDD's scope names them (Spark 1.3+). */
const HADOOP_SCOPES = new Set([
  'textFile',
  'wholeTextFiles',
  'binaryFiles',
  'binaryRecords',
  'hadoopRDD',
  'hadoopFile',
  'newAPIHadoopFile',
  'newAPIHadoopRDD',
  'sequenceFile',
  'objectFile',
]);

function inputSplits(rdds: Obj[]): InputSplits | undefined {
  if (rdds.some((r) => r.Name === 'FileScanRDD')) return 'sqlFiles';
  const scope = (r: Obj) => {
    try {
      return str(obj(JSON.parse(str(r.Scope) ?? '{}')).name);
    } catch {
      return undefined;
    }
  };
  const hadoop = rdds.some(
    (r) => r.Name === 'HadoopRDD' || r.Name === 'NewHadoopRDD' || HADOOP_SCOPES.has(scope(r) ?? ''),
  );
  return hadoop ? 'hadoop' : undefined;
}

interface LiveStage {
  stageId: number;
  attemptId: number;
  status: Status;
  name: string;
  details: string;
  numTasks: number;
  submissionTime?: number;
  firstLaunch?: number;
  completionTime?: number;
  failureReason?: string;
  active: number;
  complete: number;
  failed: number;
  killed: number;
  completedIndices: Set<number>;
  metrics: StageMetrics;
  rddIds: number[];
  accumulatorUpdates: Obj[];
  killedTasksSummary: Record<string, number>;
  schedulingPool: string;
  description?: string;
  resourceProfileId: number;
  peaks: Record<string, number>;
  jobIds: Set<number>;
  /** Submitted inside a SQL query's execution (its properties carry spark.sql.execution.id). */
  sql: boolean;
  splits?: InputSplits;
}

/** What decided a stage's task count, as far as its events say (task-stats.ts keeps it with its tasks' figures). */
export interface StageKind {
  sql: boolean;
  splits?: InputSplits;
}

export const stageKey = (stageId: number, attemptId: number): string => `${stageId}:${attemptId}`;

export class StageTracker {
  private readonly byKey = new Map<string, LiveStage>();

  private upsert(info: Obj): LiveStage {
    const stageId = num(info['Stage ID']);
    const attemptId = num(info['Stage Attempt ID']);
    const key = stageKey(stageId, attemptId);
    let st = this.byKey.get(key);
    if (!st) {
      st = {
        stageId,
        attemptId,
        status: 'PENDING',
        name: '',
        details: '',
        numTasks: 0,
        active: 0,
        complete: 0,
        failed: 0,
        killed: 0,
        completedIndices: new Set(),
        metrics: emptyMetrics(),
        rddIds: [],
        accumulatorUpdates: [],
        killedTasksSummary: {},
        schedulingPool: 'default',
        resourceProfileId: 0,
        peaks: {},
        jobIds: new Set(),
        sql: false,
      };
      this.byKey.set(key, st);
    }
    st.name = str(info['Stage Name']) ?? st.name;
    st.details = str(info.Details) ?? st.details;
    st.numTasks = num(info['Number of Tasks']);
    const rdds = list(info['RDD Info']).map(obj);
    st.rddIds = rdds.map((r) => num(r['RDD ID']));
    st.splits = inputSplits(rdds) ?? st.splits;
    st.resourceProfileId = num(info['Resource Profile Id']);
    st.submissionTime = optNum(info['Submission Time']) ?? st.submissionTime;
    return st;
  }

  jobStarted(e: Obj): void {
    const jobId = num(e['Job ID']);
    for (const info of list(e['Stage Infos'])) this.upsert(obj(info)).jobIds.add(jobId);
  }

  jobEnded(e: Obj): void {
    const jobId = num(e['Job ID']);
    for (const st of this.byKey.values()) if (st.status === 'PENDING' && st.jobIds.has(jobId)) st.status = 'SKIPPED';
  }

  submitted(e: Obj): void {
    const st = this.upsert(obj(e['Stage Info']));
    st.status = 'ACTIVE';
    const props = obj(e.Properties);
    st.schedulingPool = str(props['spark.scheduler.pool']) ?? 'default';
    st.description = str(props['spark.job.description']);
    st.sql = props['spark.sql.execution.id'] !== undefined;
  }

  /** A task of the stage read through a Hadoop input format, as logs before Spark 2.0 say of each task. */
  readHadoop(stageId: number, attemptId: number): void {
    const st = this.byKey.get(stageKey(stageId, attemptId));
    if (st) st.splits ??= 'hadoop';
  }

  /** By stageKey: whether a SQL query's execution ran the stage attempt, and what sized its input splits. */
  kinds(): Map<string, StageKind> {
    const out = new Map<string, StageKind>();
    for (const [key, st] of this.byKey) out.set(key, { sql: st.sql, ...(st.splits ? { splits: st.splits } : {}) });
    return out;
  }

  completed(e: Obj): number {
    const info = obj(e['Stage Info']);
    const st = this.upsert(info);
    st.completionTime = optNum(info['Completion Time']);
    st.failureReason = str(info['Failure Reason']);
    st.status = st.failureReason !== undefined ? 'FAILED' : st.submissionTime !== undefined ? 'COMPLETE' : 'SKIPPED';
    st.accumulatorUpdates = list(info.Accumulables)
      .map(obj)
      .filter((a) => a.Internal !== true && typeof a.Name === 'string' && !String(a.Name).startsWith('internal.'))
      .map((a) => ({ id: num(a.ID), name: str(a.Name) ?? '', value: str(a.Value) ?? '' }));
    return st.stageId;
  }

  taskStarted(stageId: number, attemptId: number, launchTime: number): void {
    const st = this.byKey.get(stageKey(stageId, attemptId));
    if (!st) return;
    st.active += 1;
    if (launchTime > 0)
      st.firstLaunch = st.firstLaunch === undefined ? launchTime : Math.min(st.firstLaunch, launchTime);
  }

  taskEnded(
    stageId: number,
    attemptId: number,
    index: number,
    outcome: 'success' | 'failed' | 'killed',
    killReason: string | undefined,
    m: StageMetrics | undefined,
  ): void {
    const st = this.byKey.get(stageKey(stageId, attemptId));
    if (!st) return;
    st.active -= 1;
    if (outcome === 'success') {
      st.complete += 1;
      st.completedIndices.add(index);
    } else if (outcome === 'failed') st.failed += 1;
    else {
      st.killed += 1;
      const reason = killReason ?? 'killed';
      st.killedTasksSummary[reason] = (st.killedTasksSummary[reason] ?? 0) + 1;
    }
    if (m) addMetrics(st.metrics, m);
  }

  peaks(stageId: number, attemptId: number, metrics: unknown): void {
    const st = this.byKey.get(stageKey(stageId, attemptId));
    if (st) mergePeaks(st.peaks, metrics);
  }

  /** The REST `stages` list: newest stage first; `summaries` by stageKey (taskSummaries), where the server has one. */
  toRest(summaries: ReadonlyMap<string, Obj> = new Map()): Obj[] {
    const all = [...this.byKey.values()].sort((a, b) => b.stageId - a.stageId || b.attemptId - a.attemptId);
    return all.map((st) => {
      const out: Obj = {
        status: st.status,
        stageId: st.stageId,
        attemptId: st.attemptId,
        numTasks: st.numTasks,
        numActiveTasks: st.active,
        numCompleteTasks: st.complete,
        numFailedTasks: st.failed,
        numKilledTasks: st.killed,
        numCompletedIndices: st.completedIndices.size,
      };
      if (st.submissionTime !== undefined) out.submissionTime = shsDate(st.submissionTime);
      if (st.firstLaunch !== undefined) out.firstTaskLaunchedTime = shsDate(st.firstLaunch);
      if (st.completionTime !== undefined) out.completionTime = shsDate(st.completionTime);
      if (st.failureReason !== undefined) out.failureReason = st.failureReason;
      Object.assign(out, st.metrics);
      out.name = st.name;
      if (st.description !== undefined) out.description = st.description;
      out.details = st.details;
      out.schedulingPool = st.schedulingPool;
      out.rddIds = st.rddIds;
      out.accumulatorUpdates = st.accumulatorUpdates;
      out.killedTasksSummary = st.killedTasksSummary;
      out.resourceProfileId = st.resourceProfileId;
      out.peakExecutorMetrics = fullPeaks(st.peaks);
      // Where v1 StageData puts it; absent, as from the server, for an attempt without a successful task.
      const summary = summaries.get(stageKey(st.stageId, st.attemptId));
      if (summary) out.taskMetricsDistributions = summary;
      out.isShufflePushEnabled = false;
      out.shuffleMergersCount = 0;
      return out;
    });
  }
}
