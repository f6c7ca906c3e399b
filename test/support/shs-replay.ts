import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseSparkDateParam } from '../../src/simulator/routes.js';
import type { ShsApplication } from '../../src/types.js';
import { SHS_FIXTURES } from './paths.js';

// A History Server on loopback that replays Apache Spark's own REST answers (test/fixtures/spark-history):
// the exact URLs of urls.tsv, plus what a crawler asks that the suite never did: application listings with any
// mix of filters (evaluated over the full list, as Spark's ApplicationListResource does), per-app info, and a
// recorded job list filtered by `status` (as Spark's jobsList does; an unknown status is a 404, as Jersey answers
// an enum parameter it cannot read).

export interface ReplayServer {
  /** http://127.0.0.1:PORT/api/v1 */
  url: string;
  /** Request targets received, in order. */
  requests: string[];
  close(): Promise<void>;
}

const DEFAULT_MIN = Date.UTC(2010, 0, 1);
const DEFAULT_MAX = Date.UTC(3000, 0, 1);

/** url_path (relative to /api/v1/, decoded) -> expectation body. The first mapping wins for the duplicate row. */
export function loadReplayTable(): Map<string, string> {
  const table = new Map<string, string>();
  const rows = readFileSync(join(SHS_FIXTURES, 'urls.tsv'), 'utf8').trim().split('\n').slice(1);
  for (const row of rows) {
    const [path, file] = row.split('\t');
    if (!path || !file || table.has(path)) continue;
    table.set(path, readFileSync(join(SHS_FIXTURES, 'expectations', file), 'utf8'));
  }
  return table;
}

export function fullAppList(): ShsApplication[] {
  return JSON.parse(readFileSync(join(SHS_FIXTURES, 'expectations', 'application_list_json_expectation.json'), 'utf8'));
}

/** Spark's listing filters over the full list; undefined for a malformed parameter. */
export function filterApps(apps: ShsApplication[], q: URLSearchParams): ShsApplication[] | undefined {
  const statuses = q.getAll('status').map((s) => s.toLowerCase());
  const date = (key: string, dflt: number): number | undefined => {
    const raw = q.get(key);
    return raw === null ? dflt : parseSparkDateParam(raw);
  };
  const [minDate, maxDate, minEnd, maxEnd] = [
    date('minDate', DEFAULT_MIN),
    date('maxDate', DEFAULT_MAX),
    date('minEndDate', DEFAULT_MIN),
    date('maxEndDate', DEFAULT_MAX),
  ];
  if (minDate === undefined || maxDate === undefined || minEnd === undefined || maxEnd === undefined) return undefined;
  const limit = q.has('limit') ? Number.parseInt(q.get('limit') ?? '', 10) : Number.MAX_SAFE_INTEGER;
  const includeCompleted = statuses.length === 0 || statuses.includes('completed');
  const includeRunning = statuses.length === 0 || statuses.includes('running');
  const out = apps.filter((app) => {
    const anyRunning = app.attempts.length === 0 || !app.attempts[0]?.completed;
    if (anyRunning ? !includeRunning : !includeCompleted) return false;
    return app.attempts.some((a) => {
      const startOk = a.startTimeEpoch >= minDate && a.startTimeEpoch <= maxDate;
      const endOk = anyRunning ? maxEnd > Date.now() : a.endTimeEpoch >= minEnd && a.endTimeEpoch <= maxEnd;
      return startOk && endOk;
    });
  });
  return out.slice(0, limit);
}

const JOB_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'UNKNOWN'];

/** A recorded `jobs` answer filtered by `status` (any case, repeatable); undefined for a status Spark has not. */
export function filterJobs(recorded: string, q: URLSearchParams): string | undefined {
  const wanted = q.getAll('status').map((s) => s.toUpperCase());
  if (wanted.some((s) => !JOB_STATUSES.includes(s))) return undefined;
  const jobs = JSON.parse(recorded) as { status: string }[];
  return JSON.stringify(wanted.length === 0 ? jobs : jobs.filter((j) => wanted.includes(j.status)));
}

/**
 * The target without the stage list's summary parameters: the suite recorded its stage lists without them, and a
 * server before Spark 3.4 ignores them (JAX-RS drops unknown query parameters), answering the list as recorded.
 */
function withoutSummaries(url: URL): string {
  const q = new URLSearchParams(url.searchParams);
  q.delete('withSummaries');
  q.delete('quantiles');
  const rest = decodeURIComponent(url.pathname.slice('/api/v1/'.length));
  return q.size ? `${rest}?${q}` : rest;
}

export async function startReplayServer(): Promise<ReplayServer> {
  const table = loadReplayTable();
  const apps = fullAppList();
  const byId = new Map(apps.map((a) => [a.id, a]));
  const requests: string[] = [];

  const server = createServer((req, res) => {
    const target = req.url ?? '/';
    requests.push(target);
    const reply = (status: number, body: string, type = status === 200 ? 'application/json' : 'text/plain') => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (!target.startsWith('/api/v1/')) return reply(404, 'not found');
    const rel = decodeURIComponent(target.slice('/api/v1/'.length));
    const url = new URL(target, 'http://replay');
    const exact = table.get(rel) ?? table.get(withoutSummaries(url));
    if (exact !== undefined) return reply(200, exact);
    const parts = url.pathname.split('/').slice(3).map(decodeURIComponent); // after /api/v1
    if (parts.length === 1 && parts[0] === 'version') return reply(200, '{"spark":"3.5.1"}');
    if (parts[0] !== 'applications') return reply(404, 'not found');
    if (parts.length === 1) {
      const listed = filterApps(apps, url.searchParams);
      return listed ? reply(200, JSON.stringify(listed)) : reply(400, `Couldn't parse date: ${url.search}`);
    }
    const app = byId.get(parts[1]!);
    if (!app) return reply(404, `unknown app: ${parts[1]}`);
    // Spark knows every listed app's info; the suite recorded only some per-app answers.
    if (parts.length === 2) return reply(200, JSON.stringify(app));
    const jobsList = parts.at(-1) === 'jobs' ? table.get(parts.join('/')) : undefined;
    if (jobsList !== undefined) {
      const jobs = filterJobs(jobsList, url.searchParams);
      return jobs === undefined ? reply(404, `unknown status: ${url.search}`) : reply(200, jobs);
    }
    return reply(404, 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
