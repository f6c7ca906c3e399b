import { basename } from 'node:path';
import type { AppAttempt, ShsAttempt } from '../types.js';
import type { EventLogSource } from './find.js';
import { formatBytes } from '../format.js';
import { MAX_LINE_BYTES, readEvents, type LineStats } from './lines.js';
import { AppReplay } from './replay/app.js';
import { shsDate } from './replay/fields.js';
import { taskSummaries } from './replay/task-summaries.js';
import { taskStats } from './task-stats.js';

// One event log in, one attempt out, in the History Server's shapes: the documents, store and dedup that
// serve the crawl of a History Server serve event logs unchanged.

class EventLogError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'EventLogError';
  }
}

export interface ReadResult {
  attempt: AppAttempt;
  replay: AppReplay;
  stats: LineStats;
}

/** Spark names a log after its app id (and attempt); the name is the fallback for logs older than "App ID". */
function idFromName(source: EventLogSource): string {
  return basename(source.path)
    .replace(/^eventlog_v2_/, '')
    .replace(/\.inprogress$/, '')
    .replace(/\.(gz|lz4|lzf|snappy|zstd)$/, '');
}

export async function readEventLog(source: EventLogSource, opts: { maxLineBytes?: number } = {}): Promise<ReadResult> {
  const stats: LineStats = { bytes: 0, lines: 0, badLines: 0 };
  const replay = new AppReplay();
  if (source.problem) throw new EventLogError(source.path, source.problem);
  try {
    for await (const event of readEvents(source, stats, opts)) replay.handle(event);
  } catch (err) {
    throw new EventLogError(source.path, err instanceof Error ? err.message : String(err));
  }
  if (replay.startTime === 0) {
    const unreadable = `${stats.badLines} unreadable${overlongText(stats, opts.maxLineBytes ?? MAX_LINE_BYTES)}`;
    const why =
      stats.lines === 0 ? 'empty' : `no SparkListenerApplicationStart among ${stats.lines} lines (${unreadable})`;
    throw new EventLogError(source.path, `not a Spark event log: ${why}`);
  }
  return { attempt: toAppAttempt(replay, source), replay, stats };
}

/** How many unreadable lines were skipped unread for their length, when any were. */
function overlongText(stats: LineStats, limit: number): string {
  const n = stats.overlongLines ?? 0;
  return n > 0 ? `, ${n} of them longer than ${formatBytes(limit)}` : '';
}

/** Events before SparkListenerApplicationStart are few (log start, resource profiles, block managers, environment). */
const PEEK_EVENTS = 100;

/** The app id of a log, reading only its first events; undefined if it does not say in them. */
export async function peekAppId(source: EventLogSource): Promise<string | undefined> {
  const stats: LineStats = { bytes: 0, lines: 0, badLines: 0 };
  let seen = 0;
  try {
    for await (const event of readEvents(source, stats)) {
      if (event.Event === 'SparkListenerApplicationStart')
        return typeof event['App ID'] === 'string' ? event['App ID'] : undefined;
      if (++seen >= PEEK_EVENTS) return undefined;
    }
  } catch {
    // a damaged log is read in full later, and fails there with its reason
  }
  return undefined;
}

function toAppAttempt(r: AppReplay, source: EventLogSource): AppAttempt {
  const completed = r.endTime !== undefined && !source.inProgress;
  const end = completed ? r.endTime! : -1;
  // An end logged before the start (clocks that disagree) is a duration of 0, as the documents keep one from a server.
  const duration = completed ? Math.max(0, end - r.startTime) : 0;
  const attempt: ShsAttempt = {
    startTime: shsDate(r.startTime)!,
    // The History Server's form for "not ended": epoch -1.
    endTime: completed ? shsDate(end)! : '1969-12-31T23:59:59.999GMT',
    lastUpdated: shsDate(source.mtimeMs) ?? '',
    duration,
    sparkUser: r.user,
    completed,
    appSparkVersion: r.sparkVersion || (source.sparkVersion ?? ''),
    startTimeEpoch: r.startTime,
    endTimeEpoch: end,
    lastUpdatedEpoch: Math.round(source.mtimeMs),
    x_tasks: taskStats(
      r.tasks,
      duration,
      r.tasks.executorIds.map((id) => r.executors.taskSlots(id)),
      r.stages.kinds(),
    ),
  };
  if (r.attemptId !== undefined) attempt.attemptId = r.attemptId;
  // As the History Server gives it: only when the log says, and only for an attempt that ended.
  if (completed && r.exitCode !== undefined) attempt.exitCode = r.exitCode;
  return {
    app: { id: r.appId ?? idFromName(source), name: r.appName },
    attempt,
    executors: r.executors.toRest(),
    stages: r.stages.toRest(taskSummaries(r.tasks)),
    environment: r.environment(),
    missing: [],
    failedJobs: r.failedJobs,
  };
}
