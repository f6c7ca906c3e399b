import { createServer, type RequestListener } from 'node:http';

// A bare HTTP server on 127.0.0.1 for the tests that need something other than a stand-in to answer: a web server
// at the wrong path, a plain-HTTP port spoken to in TLS.

export interface LoopbackHttp {
  port: number;
  /** Stops listening and waits for it. */
  close: () => Promise<void>;
}

/** A server answering every request with `handler`, on a free loopback port. */
export async function loopbackHttp(handler: RequestListener): Promise<LoopbackHttp> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A plain-HTTP server that answers every request with a short body: what a TLS client meets on a non-TLS port. */
export const plainHttp = () => loopbackHttp((_req, res) => res.end('plain'));

/**
 * A loopback port nothing listens on, so a connection to it is refused: 1 (tcpmux) is privileged and no test listens
 * there. A port a test opened and closed again could be taken by a test file running alongside before it is tried.
 */
export const REFUSED_PORT = 1;
