import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

// A loopback History Server that bends another's answers: it forwards each request and lets a test rewrite
// the query (a server that ignores filters) or the body (a bad entry in a listing, a wrong per-app answer).

export interface Bend {
  /** The query the real server is asked with (drop minEndDate to play an old server). */
  query?: (path: string, query: URLSearchParams) => URLSearchParams;
  /** The body sent back; `undefined` keeps the real one. */
  body?: (path: string, query: URLSearchParams, body: string) => string | undefined;
}

export interface BentServer {
  url: string;
  /** Request targets as received, in order. */
  log: string[];
  close(): Promise<void>;
}

export async function startBentServer(targetApiUrl: string, bend: Bend): Promise<BentServer> {
  const log: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://bent');
    log.push(req.url ?? '/');
    const path = url.pathname.replace(/^\/api\/v1\/?/, '');
    const query = bend.query ? bend.query(path, new URLSearchParams(url.searchParams)) : url.searchParams;
    const qs = query.toString();
    request(`${targetApiUrl}/${path}${qs ? `?${qs}` : ''}`)
      .then(async (up) => {
        const text = await up.body.text();
        const body = (up.statusCode === 200 && bend.body?.(path, url.searchParams, text)) || text;
        res.writeHead(up.statusCode, { 'content-type': 'application/json' });
        res.end(body);
      })
      .catch(() => {
        res.writeHead(502);
        res.end();
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    log,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
