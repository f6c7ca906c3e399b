import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { HistoryClient, type HistoryClientOptions } from '../../src/history/client.js';
import {
  HistoryBadResponseError,
  HistoryHttpError,
  HistoryNotFoundError,
  HistorySetupError,
  HistoryTimeoutError,
  HistoryUnreachableError,
} from '../../src/history/errors.js';
import { backoffMs } from '../../src/history/retry.js';
import { syntheticApp } from '../../src/simulator/apps.js';
import { startHistoryServer, type Fault, type SimHistoryServer } from '../../src/simulator/history-server.js';
import { REFUSED_PORT } from '../support/loopback-http.js';

// Each test uses its own app path, so the simulator's per-path try counter tells how many tries the client made.
// Good answers get the default time limit, so a loaded machine cannot turn them into timeouts; only the client
// that meets hung requests has a short one (HANG_TIMEOUT_MS).
const faults = new Map<string, { fault: Fault; times: number }>();
let sim: SimHistoryServer;
let client: HistoryClient;
let hangClient: HistoryClient;
const RETRIES = 3;
const HANG_TIMEOUT_MS = 300;
const SILENT_TRIES = 2;
const options = (o: Partial<HistoryClientOptions> = {}): HistoryClientOptions => ({
  baseUrl: sim.url,
  timeoutMs: 30_000,
  retries: RETRIES,
  retryBaseMs: 5,
  concurrency: 2,
  ...o,
});

function addApp(id: string): string {
  sim.addApp(
    syntheticApp({
      id,
      name: 'job',
      startMs: Date.UTC(2024, 0, 1),
      durationMs: 60_000,
      executors: 2,
      executorCores: 2,
      inputBytes: 1e9,
    }),
  );
  return `applications/${id}/stages`;
}
const triesOf = (path: string) => sim.requestLog.filter((r) => r === `/api/v1/${path}`).length;

before(async () => {
  sim = await startHistoryServer({
    fault: ({ path, attempt }) => {
      const f = [...faults.entries()].find(([p]) => path === `/api/v1/${p}`)?.[1];
      return f && attempt <= f.times ? f.fault : undefined;
    },
  });
  client = new HistoryClient(options());
  hangClient = new HistoryClient(options({ timeoutMs: HANG_TIMEOUT_MS }));
});
after(async () => {
  await client.close();
  await hangClient.close();
  await sim.close();
});

/** One good answer, asked again until it comes however slow the machine: each call starts its count anew. */
async function answeredOnce(c: HistoryClient): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await c.getJson('applications');
      return;
    } catch (e) {
      if (i >= 50) throw e;
    }
  }
}

describe('a fault on the first tries, then a good answer: the client gets the answer', () => {
  const kinds: Fault[] = [500, 502, 503, 'truncate', 'garbage', 'reset'];
  for (const fault of kinds) {
    test(`${fault} twice, then ok`, async () => {
      const path = addApp(`app-transient-${fault}`);
      faults.set(path, { fault, times: 2 });
      const stages = await client.getJson<unknown[]>(path);
      assert.ok(Array.isArray(stages) && stages.length === 3);
      assert.equal(triesOf(path), 3);
    });
  }

  test('hang twice, then ok', async () => {
    // Only a timeout ends a hung request, and a good answer on a loaded machine may take longer than a short
    // one: with retries to spare, such an answer is simply asked for again, so the test checks the answer and
    // that both hangs were waited out, not the exact number of tries.
    const patient = new HistoryClient(options({ timeoutMs: 1000, retries: 20 }));
    try {
      // A server that has never answered is given up after two timeouts (a silent port): this one has answered.
      await answeredOnce(patient);
      const path = addApp('app-transient-hang');
      faults.set(path, { fault: 'hang', times: 2 });
      const stages = await patient.getJson<unknown[]>(path);
      assert.ok(Array.isArray(stages) && stages.length === 3);
      assert.ok(triesOf(path) >= 3, `${triesOf(path)} tries`);
    } finally {
      await patient.close();
    }
  });
});

describe('a fault that never clears: the right error once the retries are spent', () => {
  const cases: [Fault, (e: unknown) => boolean][] = [
    [500, (e) => e instanceof HistoryHttpError && e.status === 500],
    [503, (e) => e instanceof HistoryHttpError && e.status === 503],
    [
      'hang',
      (e) =>
        e instanceof HistoryTimeoutError && e instanceof HistoryUnreachableError && /within 300 ms/.test(e.message),
    ],
    ['truncate', (e) => e instanceof HistoryBadResponseError && /incomplete or malformed JSON/.test(e.message)],
    ['garbage', (e) => e instanceof HistoryBadResponseError && /HTML instead of JSON/.test(e.message)],
    ['reset', (e) => e instanceof HistoryUnreachableError && !(e instanceof HistoryTimeoutError)],
  ];
  for (const [fault, check] of cases) {
    test(`permanent ${fault}`, async () => {
      const path = addApp(`app-permanent-${fault}`);
      faults.set(path, { fault, times: Infinity });
      await assert.rejects((fault === 'hang' ? hangClient : client).getJson(path), (e: unknown) => {
        assert.ok(check(e), String(e));
        assert.ok(!(e as Error).message.includes('\n'), 'one line');
        const named = fault === 'reset' ? sim.url : path;
        assert.ok((e as Error).message.includes(named), `names ${named}: ${(e as Error).message}`);
        return true;
      });
      // A server that never answered at all looks like a silent port: two timeouts, not every retry.
      assert.equal(triesOf(path), fault === 'hang' ? SILENT_TRIES : RETRIES + 1);
    });
  }
});

describe('answers that are not worth another try', () => {
  test('404 is thrown at once', async () => {
    await assert.rejects(client.getJson('applications/nope/stages'), HistoryNotFoundError);
    assert.equal(triesOf('applications/nope/stages'), 1);
  });

  test('400 (a date Spark cannot parse) is thrown at once', async () => {
    await assert.rejects(
      client.getJson('applications', { minEndDate: 'yesterday' }),
      (e: unknown) =>
        e instanceof HistoryHttpError && e.status === 400 && /Couldn't parse date: yesterday/.test(e.message),
    );
    assert.equal(triesOf('applications?minEndDate=yesterday'), 1);
  });
});

test('an answer that begins and never ends times out as a slow server, not as a silent port', async () => {
  const started: (() => void)[] = [];
  const drip = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    started.push(() => res.destroy());
  });
  await new Promise<void>((r) => drip.listen(0, '127.0.0.1', r));
  const { port } = drip.address() as { port: number };
  try {
    // A loaded machine may not even deliver the first bytes within a short limit (then it is, rightly, a silent
    // port): such a try proves nothing here, and is made again with a limit twice as long.
    for (let limitMs = HANG_TIMEOUT_MS; ; limitMs *= 2) {
      const c = new HistoryClient(options({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: limitMs, retries: 0 }));
      try {
        const e = await c.getJson('applications').then(
          () => assert.fail('a dripping answer was taken whole'),
          (err: unknown) => err,
        );
        assert.ok(e instanceof HistoryTimeoutError, String(e));
        if (!e.started && limitMs < 60_000) continue;
        assert.equal(
          e.message,
          `the History Server at http://127.0.0.1:${port}/api/v1 is too slow: an answer began but did not end ` +
            `within ${limitMs} ms for http://127.0.0.1:${port}/api/v1/applications`,
        );
        return;
      } finally {
        await c.close();
      }
    }
  } finally {
    for (const end of started) end();
    await new Promise<void>((r) => drip.close(() => r()));
  }
});

test('a redirect is not followed, and its message says where it points, so the URL can be set there', async () => {
  const moved = createHttpServer((req, res) => {
    res.writeHead(301, { location: `http://127.0.0.1:18080${req.url}` });
    res.end();
  });
  await new Promise<void>((r) => moved.listen(0, '127.0.0.1', r));
  const { port } = moved.address() as { port: number };
  const c = new HistoryClient(options({ baseUrl: `http://127.0.0.1:${port}` }));
  try {
    await assert.rejects(
      c.getJson('applications'),
      (e: unknown) =>
        e instanceof HistoryHttpError &&
        e.status === 301 &&
        e.message ===
          `History Server answered HTTP 301 for http://127.0.0.1:${port}/api/v1/applications (a redirect to ` +
            'http://127.0.0.1:18080/api/v1/applications, not followed: point --history-server or historyServer.url there)',
    );
  } finally {
    await c.close();
    await new Promise<void>((r) => moved.close(() => r()));
  }
});

test('a refused connection: a couple of retries, then HistoryUnreachableError naming the URL and the cause', async () => {
  const port = REFUSED_PORT;
  const refused = new HistoryClient(options({ baseUrl: `http://127.0.0.1:${port}`, retries: 10 }));
  try {
    await assert.rejects(refused.getJson('applications'), (e: unknown) => {
      assert.ok(e instanceof HistoryUnreachableError);
      assert.equal(
        e.message,
        `cannot reach the History Server at http://127.0.0.1:${port}/api/v1: connection refused (ECONNREFUSED)`,
      );
      return true;
    });
    assert.equal(refused.stats.requests, 3);
  } finally {
    await refused.close();
  }
});

test('backoff: full jitter under an exponential ceiling', () => {
  assert.equal(
    backoffMs(0, 100, 30_000, () => 0.999),
    99,
  );
  assert.equal(
    backoffMs(3, 100, 30_000, () => 0.5),
    400,
  );
  assert.equal(
    backoffMs(20, 100, 30_000, () => 0.5),
    15_000,
  );
  assert.equal(
    backoffMs(5, 100, 30_000, () => 0),
    0,
  );
});

test('a base URL that is not http(s) fails on the first request with one line', async () => {
  const bad = new HistoryClient(options({ baseUrl: 'shs-host:18080' }));
  try {
    await assert.rejects(
      bad.getJson('applications'),
      (e: unknown) =>
        e instanceof HistoryUnreachableError &&
        e.message === 'cannot reach the History Server at shs-host:18080/api/v1: not an http:// or https:// URL',
    );
  } finally {
    await bad.close();
  }
});

test('a CA file that cannot be read fails on the first request with one line', async () => {
  const bad = new HistoryClient(options({ caFile: '/nonexistent/ca.pem' }));
  try {
    await assert.rejects(
      bad.getJson('applications'),
      (e: unknown) =>
        e instanceof HistorySetupError &&
        e instanceof HistoryUnreachableError &&
        e.message ===
          'cannot use the History Server settings: cannot read historyServer.caFile /nonexistent/ca.pem: no such file or folder',
    );
  } finally {
    await bad.close();
  }
});

test('a silent port (accepts, never answers) costs two time limits, not one per retry', async () => {
  // Until a server has answered once, a timeout most likely means nothing speaks HTTP there: one more try only.
  const sockets: import('node:net').Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const port = (silent.address() as { port: number }).port;
  const quiet = new HistoryClient(options({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200, retries: 5 }));
  try {
    await assert.rejects(
      quiet.getJson('applications'),
      (e: unknown) => e instanceof HistoryTimeoutError && /within 200 ms/.test(e.message),
    );
    assert.equal(quiet.stats.requests, 2);
    assert.equal(quiet.stats.retries, 1);
  } finally {
    for (const socket of sockets) socket.destroy();
    await quiet.close();
    await new Promise<void>((r) => {
      silent.close(() => r());
    });
  }
});

test('credentials in the History Server URL never appear in errors', async () => {
  const port = REFUSED_PORT;
  const withCreds = new HistoryClient(options({ baseUrl: `http://admin:s3cret@127.0.0.1:${port}`, retries: 0 }));
  try {
    await assert.rejects(withCreds.getJson('applications'), (e: unknown) => {
      assert.ok(e instanceof HistoryUnreachableError, String(e));
      assert.doesNotMatch(`${e.message} ${e.url} ${e.stack}`, /s3cret|admin/);
      assert.match(e.message, new RegExp(`http://127.0.0.1:${port}/api/v1`));
      return true;
    });
  } finally {
    await withCreds.close();
  }
});

test('an HTML error page at the address (not a History Server) is named by its title, not quoted whole', async () => {
  const page =
    '<!DOCTYPE HTML>\n<html lang="en">\n<head><title>Error response</title></head>\n' +
    `<body><h1>Error response</h1><p>Error code: 404</p>${'<p>padding</p>'.repeat(50)}</body></html>\n`;
  const web = createHttpServer((req, res) => {
    res.writeHead(req.url?.includes('/stages') ? 500 : 404, { 'content-type': 'text/html' }).end(page);
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
  const port = (web.address() as { port: number }).port;
  const other = new HistoryClient(options({ baseUrl: `http://127.0.0.1:${port}`, retries: 0 }));
  try {
    const named = (status: string) => (e: unknown) => {
      assert.ok(e instanceof Error, String(e));
      assert.match(e.message, /an HTML page titled "Error response" instead of the REST API's answer/);
      assert.match(e.message, new RegExp(status));
      assert.doesNotMatch(e.message, /<|padding/);
      return true;
    };
    await assert.rejects(other.getJson('applications'), named('404 from'));
    await assert.rejects(other.getJson('applications/a/stages'), named('HTTP 500'));
  } finally {
    await other.close();
    await new Promise<void>((r) => web.close(() => r()));
  }
});
