import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { YARN_FIXTURES } from './paths.js';

// A loopback stand-in for a Hadoop 3.x YARN ResourceManager (REST under /ws/v1) serving the responses in
// test/fixtures/yarn. It behaves as the ResourceManagerRest documentation says: cluster/apps filters by
// `states` and `finishedTimeBegin` (inclusive) and answers `{"apps": null}` when nothing matches;
// cluster/appstatistics without `states` lists every application state, counting 0 where the fixture has none.
// Faults can be queued per endpoint: an HTTP status, an HTML page instead of JSON, a dropped connection.

export type RmFault = number | 'html' | 'reset' | 'truncate';

export const YARN_STATES = ['NEW', 'NEW_SAVING', 'SUBMITTED', 'ACCEPTED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED'];

export function yarnFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(YARN_FIXTURES, name), 'utf8')) as Record<string, unknown>;
}

export function fixtureApps(): Record<string, unknown>[] {
  return (yarnFixture('apps.json').apps as { app: Record<string, unknown>[] }).app;
}

export interface RmStandIn {
  /** e.g. http://127.0.0.1:PORT (the client adds /ws/v1) */
  url: string;
  /** Paths with query strings, in order. */
  requests: string[];
  /** Apps cluster/apps serves; tests add to it between polls. */
  apps: Record<string, unknown>[];
  /** Answers the next requests to `endpoint` (e.g. 'cluster/metrics') with these faults, one per request. */
  fail(endpoint: string, ...faults: RmFault[]): void;
  /** cluster/scheduler answers this from now on (e.g. another scheduler type's fixture). */
  setScheduler(answer: unknown): void;
  /** Every request to `endpoint` gets this fault from now on. */
  breakEndpoint(endpoint: string, fault: RmFault): void;
  close(): Promise<void>;
}

export interface RmStandInOptions {
  /** Serve https with this key and certificate (PEM); with `clientCa`, require a client certificate it signed. */
  tls?: { key: string; cert: string; clientCa?: string };
}

export async function startRmStandIn(options: RmStandInOptions = {}): Promise<RmStandIn> {
  const queued = new Map<string, RmFault[]>();
  const broken = new Map<string, RmFault>();
  const requests: string[] = [];
  const apps = fixtureApps();
  const stats = yarnFixture('appstatistics.json') as { appStatInfo: { statItem: { state: string; count: number }[] } };

  const json = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  let scheduler: unknown = yarnFixture('scheduler.json');
  const answers: Record<string, (q: URLSearchParams) => unknown> = {
    'cluster/metrics': () => yarnFixture('cluster-metrics.json'),
    'cluster/scheduler': () => scheduler,
    'cluster/appstatistics': (q) => {
      const type = q.get('applicationTypes') ?? '*';
      const states =
        q
          .get('states')
          ?.split(',')
          .map((s) => s.toUpperCase()) ?? YARN_STATES;
      const count = (state: string) =>
        stats.appStatInfo.statItem.find((i) => i.state.toUpperCase() === state)?.count ?? 0;
      return { appStatInfo: { statItem: states.map((state) => ({ state, type, count: count(state) })) } };
    },
    'cluster/apps': (q) => {
      const states = q
        .get('states')
        ?.split(',')
        .map((s) => s.toUpperCase());
      const begin = Number(q.get('finishedTimeBegin') ?? 0);
      const app = apps.filter(
        (a) => (!states || states.includes(String(a.state))) && Number(a.finishedTime ?? 0) >= begin,
      );
      return { apps: app.length ? { app } : null };
    },
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const endpoint = url.pathname.replace(/^\/ws\/v1\//, '');
    const fault = queued.get(endpoint)?.shift() ?? broken.get(endpoint);
    if (fault === 'reset') return void req.socket.destroy();
    if (fault === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html><body>Kerberos login required</body></html>');
    }
    if (fault === 'truncate') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"clusterMetrics": {"appsSubmitted": 0,');
    }
    if (typeof fault === 'number') {
      res.writeHead(fault, { 'content-type': 'application/json' });
      return void res.end(
        JSON.stringify({ RemoteException: { exception: 'WebApplicationException', message: `HTTP ${fault}` } }),
      );
    }
    const answer = url.pathname.startsWith('/ws/v1/') ? answers[endpoint] : undefined;
    if (!answer) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(
        JSON.stringify({ RemoteException: { exception: 'NotFoundException', message: `no ${url.pathname}` } }),
      );
    }
    json(res, answer(url.searchParams));
  };
  const { tls } = options;
  const server = tls
    ? createTlsServer(
        {
          key: tls.key,
          cert: tls.cert,
          ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
        },
        handler,
      )
    : createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    apps,
    fail: (endpoint, ...faults) => queued.set(endpoint, [...(queued.get(endpoint) ?? []), ...faults]),
    setScheduler: (answer) => {
      scheduler = answer;
    },
    breakEndpoint: (endpoint, fault) => broken.set(endpoint, fault),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
