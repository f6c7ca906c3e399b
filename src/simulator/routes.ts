import { parseShsDate } from '../history/dates.js';
import type { AppIndex, ListFilter } from './app-index.js';
import type { Answer } from './faults.js';
import { filterJobs } from './jobs.js';
import type { TaskTimes } from './stages.js';
import { parseQuantiles, withSummary } from './task-summaries.js';

// Spark's /api/v1 routes that a crawler uses, answered from the AppIndex with Spark's status codes and bodies.

const ATTEMPT_ENDPOINTS = new Set(['allexecutors', 'executors', 'stages', 'environment', 'jobs']);
const DEFAULT_MIN = Date.UTC(2010, 0, 1); // Spark's @DefaultValue("2010-01-01")
const DEFAULT_MAX = Date.UTC(3000, 0, 1);

const SPARK_VERSION = '3.5.1';

const json = (body: string): Answer => ({ status: 200, body, contentType: 'application/json' });
const text = (status: number, body: string): Answer => ({ status, body, contentType: 'text/plain' });

/** Answers a GET for `rest` (the path after /api/v1, without the query). */
export function answerApi(index: AppIndex, rest: string, query: URLSearchParams): Answer {
  const parts = rest
    .split('/')
    .filter((p) => p.length > 0)
    .map(decodeURIComponent);
  if (parts.length === 1 && parts[0] === 'version') return json(JSON.stringify({ spark: SPARK_VERSION }));
  if (parts[0] !== 'applications') return text(404, `no such resource: ${rest}`);
  if (parts.length === 1) return listApplications(index, query);

  const appId = parts[1]!;
  const entry = index.get(appId);
  if (!entry) return text(404, `unknown app: ${appId}`);
  if (parts.length === 2) return json(entry.listingJson);

  const [attemptId, endpoint] = parts.length === 3 ? ['', parts[2]!] : [parts[2]!, parts[3]!];
  if (parts.length > 4 || !ATTEMPT_ENDPOINTS.has(endpoint)) return text(404, `no such resource: ${rest}`);
  const data = entry.load().attempts[attemptId];
  if (!data) return text(404, `no such app: ${attemptId ? `${appId}/${attemptId}` : appId}`);
  switch (endpoint) {
    case 'allexecutors':
      return json(JSON.stringify(data.executors));
    case 'executors':
      // Only executors still alive, as Spark's `executors` endpoint returns.
      return json(JSON.stringify(data.executors.filter((e) => (e as { isActive?: boolean }).isActive !== false)));
    case 'stages':
      return stages(data, query);
    case 'jobs': {
      const jobs = filterJobs(data.jobs ?? [], query.getAll('status'));
      return jobs ? json(JSON.stringify(jobs)) : text(404, `unknown status: ${query.getAll('status').join(',')}`);
    }
    default:
      return json(JSON.stringify(data.environment));
  }
}

/** A stage list, with each stage's task summaries when asked (Spark 3.4+'s `withSummaries`). */
function stages(data: { stages: object[]; taskTimes?: TaskTimes[] }, query: URLSearchParams): Answer {
  if (query.get('withSummaries') !== 'true' || !Array.isArray(data.stages)) return json(JSON.stringify(data.stages));
  const quantiles = parseQuantiles(query.get('quantiles'));
  if (!Array.isArray(quantiles)) return text(400, quantiles.error);
  return json(JSON.stringify(data.stages.map((s, i) => withSummary(s, data.taskTimes?.[i], quantiles))));
}

function listApplications(index: AppIndex, q: URLSearchParams): Answer {
  const statuses = q.getAll('status').map((s) => s.toLowerCase());
  for (const s of statuses) {
    if (s !== 'completed' && s !== 'running') return text(404, `unknown status: ${s}`);
  }
  const dates: Record<'minDate' | 'maxDate' | 'minEndDate' | 'maxEndDate', number> = {
    minDate: DEFAULT_MIN,
    maxDate: DEFAULT_MAX,
    minEndDate: DEFAULT_MIN,
    maxEndDate: DEFAULT_MAX,
  };
  for (const key of Object.keys(dates) as (keyof typeof dates)[]) {
    const raw = q.get(key);
    if (raw === null) continue;
    const ms = parseSparkDateParam(raw);
    if (ms === undefined) return text(400, `Couldn't parse date: ${raw}`);
    dates[key] = ms;
  }
  const limitRaw = q.get('limit');
  const limit = limitRaw === null ? Number.MAX_SAFE_INTEGER : Number.parseInt(limitRaw, 10);
  if (!Number.isFinite(limit)) return text(404, `bad limit: ${limitRaw}`);
  const filter: ListFilter = {
    includeCompleted: statuses.length === 0 || statuses.includes('completed'),
    includeRunning: statuses.length === 0 || statuses.includes('running'),
    ...dates,
    limit,
    nowMs: Date.now(),
  };
  return json(index.listJson(filter));
}

/** Spark's SimpleDateParam: "yyyy-MM-dd'T'HH:mm:ss.SSSz" or "yyyy-MM-dd", both in GMT. */
export function parseSparkDateParam(raw: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\.\d{3}(GMT|UTC|Z))?$/.test(raw)) return undefined;
  return parseShsDate(raw.replace(/UTC$/, 'GMT'))?.getTime();
}
