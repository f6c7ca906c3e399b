import { environmentOf, taskCpus } from './environment.js';
import { ExecutorTracker } from './executors.js';
import { executorId, list, num, obj, optNum, str, type Obj } from './fields.js';
import { StageTracker, stageKey } from './stages.js';
import { taskMetrics } from './task-metrics.js';
import { TaskTable } from './tasks.js';

// Replays one attempt's events into what the History Server would report for it. Each event kind has one
// handler; an event Spot does not use is counted, and one whose handler throws (a malformed event) is
// counted as skipped: one bad event never costs the log.

type Handler = (r: AppReplay, e: Obj) => void;

// Spark 3.1 renamed blacklist to exclude; logs carry one or the other name.
const EXCLUDED = ['ExecutorBlacklisted', 'ExecutorExcluded'];
const UNEXCLUDED = ['ExecutorUnblacklisted', 'ExecutorUnexcluded'];
const NODE_EXCLUDED = ['NodeBlacklisted', 'NodeExcluded'];
const NODE_UNEXCLUDED = ['NodeUnblacklisted', 'NodeUnexcluded'];
const STAGE_EXCLUDED = ['ExecutorBlacklistedForStage', 'ExecutorExcludedForStage'];

const HANDLERS: Record<string, Handler> = {
  SparkListenerLogStart: (r, e) => (r.sparkVersion = str(e['Spark Version']) ?? ''),
  SparkListenerApplicationStart: (r, e) => {
    r.appId = str(e['App ID']);
    r.appName = str(e['App Name']) ?? '';
    r.attemptId = str(e['App Attempt ID']);
    r.startTime = num(e.Timestamp);
    r.user = str(e.User) ?? '';
    r.executors.driverLogs(e['Driver Logs'], e['Driver Attributes']);
  },
  SparkListenerApplicationEnd: (r, e) => {
    r.endTime = num(e.Timestamp);
    // Spark 4.0+ logs the driver's exit code (SPARK-46399); a History Server that knows it shows it on the attempt.
    r.exitCode = optNum(e.ExitCode);
    r.executors.applicationEnded(r.endTime - r.startTime);
  },
  SparkListenerEnvironmentUpdate: (r, e) => (r.env = e),
  SparkListenerExecutorAdded: (r, e) => r.executors.added(e),
  SparkListenerExecutorRemoved: (r, e) => r.executors.removed(e),
  SparkListenerBlockManagerAdded: (r, e) => r.executors.blockManagerAdded(e),
  SparkListenerJobStart: (r, e) => r.stages.jobStarted(e),
  SparkListenerJobEnd: (r, e) => {
    r.stages.jobEnded(e);
    // JobSucceeded or JobFailed (the exception that failed it, e.g. a driver-side error after its stages ran).
    if (str(obj(e['Job Result']).Result) === 'JobFailed') r.failedJobs += 1;
  },
  SparkListenerStageSubmitted: (r, e) => r.stages.submitted(e),
  SparkListenerStageCompleted: (r, e) => r.executors.stageDone(r.stages.completed(e)),
  SparkListenerTaskStart: (r, e) => {
    const info = obj(e['Task Info']);
    r.stages.taskStarted(num(e['Stage ID']), num(e['Stage Attempt ID']), num(info['Launch Time']));
    r.executors.taskStarted(executorId(info['Executor ID']) ?? '');
  },
  SparkListenerTaskEnd: (r, e) => r.taskEnded(e),
  SparkListenerStageExecutorMetrics: (r, e) => {
    r.executors.peaks(executorId(e['Executor ID']), e['Executor Metrics']);
    r.stages.peaks(num(e['Stage ID']), num(e['Stage Attempt ID']), e['Executor Metrics']);
  },
  SparkListenerExecutorMetricsUpdate: (r, e) => {
    for (const u of list(e['Executor Metrics Updated']))
      r.executors.peaks(executorId(e['Executor ID']), obj(u)['Executor Metrics']);
  },
};
for (const n of EXCLUDED)
  HANDLERS[`org.apache.spark.scheduler.SparkListener${n}`] = (r, e) => r.executors.excluded(str(e.executorId), true);
for (const n of UNEXCLUDED)
  HANDLERS[`org.apache.spark.scheduler.SparkListener${n}`] = (r, e) => r.executors.excluded(str(e.executorId), false);
for (const n of NODE_EXCLUDED)
  HANDLERS[`org.apache.spark.scheduler.SparkListener${n}`] = (r, e) => r.executors.nodeExcluded(str(e.hostId), true);
for (const n of NODE_UNEXCLUDED)
  HANDLERS[`org.apache.spark.scheduler.SparkListener${n}`] = (r, e) => r.executors.nodeExcluded(str(e.hostId), false);
for (const n of STAGE_EXCLUDED)
  HANDLERS[`org.apache.spark.scheduler.SparkListener${n}`] = (r, e) =>
    r.executors.excludedForStage(str(e.executorId), num(e.stageId));

export class AppReplay {
  sparkVersion = '';
  appId: string | undefined;
  appName = '';
  attemptId: string | undefined;
  startTime = 0;
  endTime: number | undefined;
  /** The driver's exit code, from logs that carry one (non-zero: the app failed, whatever its jobs did). */
  exitCode: number | undefined;
  user = '';
  env: Obj | undefined;
  readonly executors = new ExecutorTracker(() => taskCpus(this.env));
  readonly stages = new StageTracker();
  readonly tasks = new TaskTable();
  /** Jobs whose end says JobFailed: a failed run even when none of its stages failed. */
  failedJobs = 0;
  events = 0;
  /** Events of kinds Spot does not use (SQL, storage, ...). */
  ignored = 0;
  /** Events whose content could not be read; each is skipped. */
  skipped = 0;

  handle(e: Obj): void {
    this.events += 1;
    const handler = HANDLERS[e.Event as string];
    if (!handler) {
      this.ignored += 1;
      return;
    }
    try {
      handler(this, e);
    } catch {
      this.skipped += 1;
    }
  }

  taskEnded(e: Obj): void {
    const info = obj(e['Task Info']);
    const stageId = num(e['Stage ID']);
    const attemptId = num(e['Stage Attempt ID']);
    const reason = obj(e['Task End Reason']);
    const kind = str(reason.Reason) ?? 'Success';
    const outcome =
      kind === 'Success' ? 'success' : kind === 'TaskKilled' || kind === 'TaskCommitDenied' ? 'killed' : 'failed';
    const metrics =
      e['Task Metrics'] === undefined || e['Task Metrics'] === null ? undefined : taskMetrics(e['Task Metrics']);
    const launch = num(info['Launch Time']);
    const finish = optNum(info['Finish Time']) ?? 0;
    const duration = finish > 0 ? Math.max(0, finish - launch) : 0;
    const executor = executorId(info['Executor ID']) ?? '';
    this.stages.taskEnded(stageId, attemptId, num(info.Index), outcome, str(reason['Kill Reason']), metrics);
    if (str(obj(obj(e['Task Metrics'])['Input Metrics'])['Data Read Method']) === 'Hadoop')
      this.stages.readHadoop(stageId, attemptId);
    // A resubmitted task keeps the metrics of its first attempt (the History Server counts them once).
    this.executors.taskEnded(executor, outcome, duration, metrics, kind !== 'Resubmitted');
    // Spark 3.0+ logs the executor's peaks so far with every task end; the History Server (3.1+, SPARK-23431) keeps
    // them for the executor and for the task's stage: a stage has peaks without spark.eventLog.logStageExecutorMetrics.
    if (e['Task Executor Metrics'] !== undefined) {
      this.executors.peaks(executor, e['Task Executor Metrics']);
      this.stages.peaks(stageId, attemptId, e['Task Executor Metrics']);
    }
    this.tasks.add(stageKey(stageId, attemptId), executor, outcome === 'success', {
      launch,
      duration,
      runTime: metrics?.executorRunTime ?? 0,
      gcTime: metrics?.jvmGcTime ?? 0,
      inputBytes: metrics?.inputBytes ?? 0,
      outputBytes: metrics?.outputBytes ?? 0,
      shuffleReadBytes: metrics?.shuffleReadBytes ?? 0,
      // One spill, counted by Spark in memory and again on disk: the memory figure is it (findings/spill.ts).
      spillBytes: metrics?.memoryBytesSpilled ?? 0,
    });
  }

  environment(): Obj {
    return environmentOf(this.env);
  }
}
