import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { MENAS_FIXTURES } from './paths.js';

// A loopback stand-in for Menas 2.x (REST under /menas/api): POST /login with form fields username and
// password sets a JWT cookie and an X-CSRF-TOKEN header; GET runs/bySparkAppId/<id> answers the Runs whose
// additionalInfo.std_application_id or conform_application_id is <id> (as the real RunController does).
// Serves the fixture Run (run_create_request_api_v2.json) and the 8 Runs of the Mongo export.

/** The Run of run_create_request_api_v2.json (its Spark app id is local-1663770713457). */
export function fixtureRun(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(MENAS_FIXTURES, 'run_create_request_api_v2.json'), 'utf8'));
}

/** The Mongo export's Runs, `"_id":ObjectId(...)` stripped (the API does not return _id). */
export function mongoRuns(): Record<string, unknown>[] {
  return readFileSync(join(MENAS_FIXTURES, 'runs_mongo_export_run0_data.json'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l.replace(/"_id"\s*:\s*ObjectId\("[0-9a-f]+"\)\s*,?/, '')));
}

export interface MenasRequest {
  method: string;
  url: string;
  body: string;
  cookie?: string;
}

export interface MenasStandIn {
  url: string; // e.g. http://127.0.0.1:PORT/menas/api
  requests: MenasRequest[];
  runs: Record<string, unknown>[];
  /** Sessions issued so far; expireSessions() invalidates all of them (the next GET gets 401). */
  logins: number;
  expireSessions(): void;
  /** The next n GETs answer 401 even with a valid session. */
  rejectNextGets(n: number): void;
  close(): Promise<void>;
}

export async function startMenas(
  opts: { username?: string; password?: string; runs?: Record<string, unknown>[] } = {},
): Promise<MenasStandIn> {
  const username = opts.username ?? 'spot';
  const password = opts.password ?? 'menas-pass';
  const sessions = new Set<string>();
  let rejects = 0;
  const state = { requests: [] as MenasRequest[], runs: opts.runs ?? [fixtureRun(), ...mongoRuns()], logins: 0 };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    state.requests.push({ method: req.method ?? '', url: req.url ?? '', body, cookie: req.headers.cookie });
    const path = url.pathname.replace(/^\/menas\/api\//, '');
    if (req.method === 'POST' && path === 'login') {
      const form = new URLSearchParams(body);
      if (form.get('username') !== username || form.get('password') !== password)
        return send(res, 401, { error: 'bad credentials' });
      const token = `jwt-${++state.logins}`;
      sessions.add(token);
      res.setHeader('set-cookie', `JWT=${token}; Path=/; HttpOnly`);
      res.setHeader('x-csrf-token', `csrf-${state.logins}`);
      return send(res, 200, {});
    }
    const jwt = /(?:^|;\s*)JWT=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (!jwt || !sessions.has(jwt) || rejects > 0) {
      if (rejects > 0) rejects -= 1;
      return send(res, 401, { error: 'unauthorized' });
    }
    const m = /^runs\/bySparkAppId\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const id = decodeURIComponent(m[1]!);
      const runs = state.runs.filter((r) => {
        const ai =
          (r.controlMeasure as { metadata?: { additionalInfo?: Record<string, unknown> } } | undefined)?.metadata
            ?.additionalInfo ?? {};
        return ai.std_application_id === id || ai.conform_application_id === id;
      });
      return send(res, 200, runs);
    }
    if (req.method === 'GET' && path === 'runs') return send(res, 200, state.runs);
    send(res, 404, { error: `no route ${path}` });
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/menas/api`,
    get requests() {
      return state.requests;
    },
    get runs() {
      return state.runs;
    },
    get logins() {
      return state.logins;
    },
    expireSessions: () => sessions.clear(),
    rejectNextGets: (n: number) => (rejects = n),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
