import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppIndex } from './app-index.js';
import type { SimApp, SyntheticAppSpec } from './apps.js';
import { send, sendWithFault, type Fault } from './faults.js';
import { answerApi } from './routes.js';

// A stand-in Spark History Server on loopback: Spark's REST routes for crawling, per-request latency and fault
// injection, and an admin route (POST /spot-sim/apps) through which another process (the demo's stand-in
// spark-submit) adds the apps it "ran".

export type { Fault } from './faults.js';

export interface FaultRequest {
  /** The request target as sent, path and query, e.g. "/api/v1/applications/app-1/stages". */
  path: string;
  /** 1 for the first time this exact target is requested, 2 for the second, ... */
  attempt: number;
}

export interface HistoryServerOptions {
  latencyMs?: number;
  fault?: (req: FaultRequest) => Fault | undefined;
  host?: '127.0.0.1';
  port?: number;
}

export interface SimHistoryServer {
  /** http://127.0.0.1:PORT/api/v1 */
  url: string;
  addApp(app: SimApp): void;
  /** Adds an app by its spec; its executors, stages and environment are generated when requested. */
  addSpec(spec: SyntheticAppSpec): void;
  removeApp(id: string): void;
  readonly appCount: number;
  /** API requests served (admin requests excluded). */
  readonly requests: number;
  /** The most recent request targets (bounded). */
  readonly requestLog: string[];
  close(): Promise<void>;
}

const LOG_LIMIT = 2_000;

export async function startHistoryServer(opts: HistoryServerOptions = {}): Promise<SimHistoryServer> {
  const index = new AppIndex();
  const seen = new Map<string, number>();
  const log: string[] = [];
  let requests = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: String(err), contentType: 'text/plain' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const url = new URL(target, 'http://sim');
    if (url.pathname.startsWith('/spot-sim/')) return admin(req, res, url.pathname);
    requests++;
    log.push(target);
    if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
    const attempt = (seen.get(target) ?? 0) + 1;
    seen.set(target, attempt);
    if (opts.latencyMs) await sleep(opts.latencyMs);
    const fault = opts.fault?.({ path: target, attempt });
    if (req.method !== 'GET') return send(res, { status: 405, body: 'GET only', contentType: 'text/plain' });
    if (!url.pathname.startsWith('/api/v1/'))
      return send(res, { status: 404, body: 'not found', contentType: 'text/plain' });
    sendWithFault(res, answerApi(index, url.pathname.slice('/api/v1'.length), url.searchParams), fault);
  }

  async function admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const ok = { status: 200, body: '{"ok":true}', contentType: 'application/json' };
    if (req.method === 'DELETE' && path.startsWith('/spot-sim/apps/')) {
      index.remove(decodeURIComponent(path.slice('/spot-sim/apps/'.length)));
      return send(res, ok);
    }
    if (req.method !== 'POST' || path !== '/spot-sim/apps')
      return send(res, { status: 404, body: 'not found', contentType: 'text/plain' });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, { status: 400, body: 'body is not JSON', contentType: 'text/plain' });
    }
    if (isSimApp(body)) index.addApp(body);
    else if (isSpec(body)) index.addSpec(body.spec);
    else
      return send(res, {
        status: 400,
        body: 'expected a SimApp {listing, attempts} or {spec}',
        contentType: 'text/plain',
      });
    return send(res, ok);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    addApp: (app) => index.addApp(app),
    addSpec: (spec) => index.addSpec(spec),
    removeApp: (id) => index.remove(id),
    get appCount() {
      return index.size;
    },
    get requests() {
      return requests;
    },
    get requestLog() {
      return log;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung requests and idle keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

function isSimApp(v: unknown): v is SimApp {
  const o = v as SimApp | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.listing?.id === 'string' &&
    Array.isArray(o.listing.attempts) &&
    typeof o.attempts === 'object' &&
    o.attempts !== null
  );
}

function isSpec(v: unknown): v is { spec: SyntheticAppSpec } {
  const o = v as { spec?: SyntheticAppSpec } | null;
  return typeof o === 'object' && o !== null && typeof o.spec?.id === 'string' && typeof o.spec.startMs === 'number';
}
