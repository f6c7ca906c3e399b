// The `jobs` answer of a synthetic attempt (v1 JobData): one job that ran every stage, newest job first as Spark
// lists them. A job can fail with none of its stages failed (an exception in the driver's part of it, after its
// stages ran): `failed` says so.

const count = (v: unknown): number => (typeof v === 'number' ? v : 0);

export function jobList(stages: readonly Record<string, unknown>[], failed: boolean): object[] {
  // Stages come newest first; the job starts with the oldest and ends with the newest.
  const oldest = stages.at(-1);
  const newest = stages[0];
  if (!oldest || !newest) return [];
  const tasks = stages.reduce((n, s) => n + count(s.numTasks), 0);
  const job: Record<string, unknown> = { jobId: 0, name: 'save at App.scala:42' };
  if (oldest.submissionTime !== undefined) job.submissionTime = oldest.submissionTime;
  if (newest.completionTime !== undefined) job.completionTime = newest.completionTime;
  Object.assign(job, {
    stageIds: stages.map((s) => count(s.stageId)).reverse(),
    jobTags: [],
    status: failed ? 'FAILED' : 'SUCCEEDED',
    numTasks: tasks,
    numActiveTasks: 0,
    numCompletedTasks: tasks,
    numSkippedTasks: 0,
    numFailedTasks: 0,
    numKilledTasks: 0,
    numCompletedIndices: tasks,
    numActiveStages: 0,
    numCompletedStages: stages.length,
    numSkippedStages: 0,
    numFailedStages: 0,
    killedTasksSummary: {},
  });
  return [job];
}

/** Spark's JobExecutionStatus, which `?status=` is read as (any case); another value is a 404. */
const JOB_STATUSES = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'UNKNOWN']);

/** The list filtered by `status` (repeatable; none: every job); undefined for a status Spark does not have. */
export function filterJobs(jobs: readonly object[], statuses: string[]): object[] | undefined {
  const wanted = statuses.map((s) => s.toUpperCase());
  if (wanted.some((s) => !JOB_STATUSES.has(s))) return undefined;
  return wanted.length === 0
    ? [...jobs]
    : jobs.filter((j) => wanted.includes(String((j as { status?: unknown }).status)));
}
