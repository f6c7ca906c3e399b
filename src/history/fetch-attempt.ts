import type { AppAttempt, ShsApplication, ShsAttempt } from '../types.js';
import type { HistoryClient } from './client.js';
import type { z } from 'zod';
import { HistoryBadResponseError, HistoryNotFoundError } from './errors.js';
import { describeProblem, environmentSchema, objectArraySchema } from './schema.js';
import { TASK_SUMMARY_QUERY } from '../common/task-summary.js';

// Fetches what the documents are built from, per attempt: executors (incl. the driver), stages (with their
// task-time summaries, src/common/task-summary.ts), the environment and the failed jobs, side by side. A History
// Server replaying partial data may lack some of them; those come back empty and named in `missing`. One that knows
// none of executors, stages and environment for any attempt does not have the app at all.
// Failed jobs are asked for with Spark's status filter, so the answer is small (usually `[]`): a job can fail with no
// stage failed (an exception in the driver's part of it), and only the job says so. Without an answer (404) the
// count is unknown, not 0.

type Part = 'executors' | 'stages' | 'environment' | 'jobs';

/** What the unknown-app check counts: a server without `jobs` (or that lost it) still has the app. */
const CORE_PARTS = 3;

interface Fetched<T> {
  value: T;
  notFound?: HistoryNotFoundError;
}

export interface FetchOptions {
  /** Ask for each stage's task-time summary (crawler.taskSummaries; default true). */
  taskSummaries?: boolean;
}

export async function fetchAppAttempts(
  client: HistoryClient,
  app: ShsApplication,
  { taskSummaries = true }: FetchOptions = {},
): Promise<AppAttempt[]> {
  const stagesQuery = taskSummaries ? `?${TASK_SUMMARY_QUERY}` : '';
  const fetched = await Promise.all(app.attempts.map((attempt) => fetchAttempt(client, app, attempt, stagesQuery)));
  const notFound = fetched.flatMap((f) => f.notFound);
  if (fetched.length > 0 && notFound.length === fetched.length * CORE_PARTS) {
    const body = notFound[0]?.body ?? '';
    throw new HistoryNotFoundError(
      client.url(`applications/${encodeURIComponent(app.id)}`),
      /unknown app|no such app/.test(body)
        ? body
        : `unknown app: ${app.id} (listed, but no executors, stages or environment for any attempt)`,
    );
  }
  return fetched.map((f) => f.attempt);
}

/** `applications/<app>/<attemptId>`, or `applications/<app>` when the attempt has no id (client mode). */
export function attemptPath(appId: string, attemptId: string | undefined): string {
  const base = `applications/${encodeURIComponent(appId)}`;
  return attemptId ? `${base}/${encodeURIComponent(attemptId)}` : base;
}

async function fetchAttempt(
  client: HistoryClient,
  app: ShsApplication,
  attempt: ShsAttempt,
  stagesQuery: string,
): Promise<{ attempt: AppAttempt; notFound: HistoryNotFoundError[] }> {
  const base = attemptPath(app.id, attempt.attemptId);
  const [executors, stages, environment, jobs] = await Promise.all([
    fetchExecutors(client, base),
    fetchPart(client, `${base}/stages${stagesQuery}`, objectArraySchema, []),
    fetchPart(client, `${base}/environment`, environmentSchema, {}),
    fetchPart(client, `${base}/jobs?status=failed`, objectArraySchema, []),
  ]);
  const core: [Part, Fetched<unknown>][] = [
    ['executors', executors],
    ['stages', stages],
    ['environment', environment],
  ];
  const parts: [Part, Fetched<unknown>][] = [...core, ['jobs', jobs]];
  const fetched: AppAttempt = {
    app: { id: app.id, name: app.name },
    attempt,
    executors: executors.value,
    stages: stages.value,
    environment: environment.value,
    missing: parts.filter(([, f]) => f.notFound).map(([name]) => name),
  };
  // Counted by status as well: a server that ignored the filter answered every job.
  if (!jobs.notFound) fetched.failedJobs = jobs.value.filter((j) => j.status === 'FAILED').length;
  return { attempt: fetched, notFound: core.flatMap(([, f]) => (f.notFound ? [f.notFound] : [])) };
}

/** `allexecutors` lists removed executors too; servers older than Spark 2.x only have `executors`. */
async function fetchExecutors(client: HistoryClient, base: string): Promise<Fetched<Record<string, unknown>[]>> {
  const all = await fetchPart(client, `${base}/allexecutors`, objectArraySchema, []);
  return all.notFound ? fetchPart(client, `${base}/executors`, objectArraySchema, []) : all;
}

/** One endpoint's answer, checked against its schema: a wrong shape fails this app only, with a clear reason. */
async function fetchPart<S extends z.ZodType>(
  client: HistoryClient,
  path: string,
  schema: S,
  empty: z.output<S>,
): Promise<Fetched<z.output<S>>> {
  let body: unknown;
  try {
    body = await client.getJson<unknown>(path);
  } catch (err) {
    if (err instanceof HistoryNotFoundError) return { value: empty, notFound: err };
    throw err;
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new HistoryBadResponseError(client.url(path), `unexpected shape: ${describeProblem(parsed.error, body)}`);
  return { value: parsed.data };
}
