import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startReplayServer } from '../support/shs-replay.js';
import { column, runSpot, scalar, tempHome } from '../crawl/support.js';
import { loopbackHttp, REFUSED_PORT } from '../support/loopback-http.js';
import { makeTlsFiles } from '../support/tls-certs.js';

// `spot crawl` as users run it: the compiled bin in a child process, a real SQLite file, servers on loopback.

const HOLDOUT = [
  'application_1628109047826_1317105',
  'application_1516285256255_0012',
  'app-20200706201101-0003',
  'app-20161115172038-0000',
];

const hasStack = (text: string) => /\n\s+at /.test(text);

/** A plain-HTTP server that answers every request with 404 and a text body, as a web server at the wrong path. */
const plainServer = () =>
  loopbackHttp((_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('no such page'));

describe('spot crawl', () => {
  before(async () => {
    // Tests run the compiled bin; `npm test` builds first. Fail clearly rather than on a stale dist.
    const { existsSync } = await import('node:fs');
    assert.ok(
      existsSync(join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'crawl.js')),
      'run npm run build first',
    );
  });

  test('crawls a replay of Apache Spark fixtures; `spot runs --json` shows the documents; holdout apps become errors', async () => {
    const shs = await startReplayServer();
    const home = tempHome();
    try {
      const crawl = await runSpot(['crawl', '--once', '--history-server', shs.url, '--since', '2010-01-01'], home);
      assert.equal(crawl.code, 0, crawl.stderr);
      assert.match(crawl.stdout, /\d+ new, 0 skipped, \d+ failed, 0 gave up/);
      const runs = await runSpot(['runs', '--json', '--limit', '100'], home);
      assert.equal(runs.code, 0, runs.stderr);
      const docs = runs.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { id: string; docId: string; attempt: { aggs: unknown } });
      const ids = new Set(docs.map((d) => d.id));
      assert.ok(ids.has('local-1422981780767'), `aggregated: ${[...ids].join(', ')}`);
      for (const d of docs) assert.ok(d.attempt.aggs, `${d.docId} has aggregations`);
      const errored = new Set(column(home.db, 'SELECT app_id FROM errors'));
      for (const id of HOLDOUT) assert.ok(errored.has(id), `holdout ${id} is an error document`);
      for (const id of HOLDOUT) assert.ok(!ids.has(id));
      // A second crawl finds everything stored (or failing) and adds nothing.
      const again = await runSpot(['crawl', '--once', '--history-server', shs.url, '--since', '2010-01-01'], home);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, new RegExp(`0 new, ${ids.size} skipped`));
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), docs.length);
    } finally {
      await shs.close();
      home.cleanup();
    }
  });

  test('an unreachable History Server: exit 1, one line, no stack trace', async () => {
    const home = tempHome();
    try {
      const port = REFUSED_PORT;
      const r = await runSpot(['crawl', '--once', '--history-server', `http://127.0.0.1:${port}/api/v1`], home, {
        env: { SPOT_HISTORY_SERVER_RETRIES: '1', SPOT_HISTORY_SERVER_RETRY_BASE_MS: '1' },
      });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /cannot reach the History Server/);
      assert.ok(!hasStack(r.stderr), r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^spot: cannot reach the History Server at http://127.0.0.1:${port}/api/v1: `));
      // What to check, in the same line: host and port, and the URL's path.
      assert.match(r.stderr, /check the host and port \(the History Server listens on 18080.*\/api\/v1/);
      assert.equal(scalar(home.db, "SELECT count(*) FROM errors WHERE stage = 'listing' AND app_id = 'n/a'"), 1);
    } finally {
      home.cleanup();
    }
  });

  test('https:// to a plain-HTTP port: one line naming the URL, the TLS cause and http://; stored as an SSLError', async () => {
    const { port, close } = await plainServer();
    const home = tempHome();
    try {
      const r = await runSpot(['crawl', '--once', '--history-server', `https://127.0.0.1:${port}`], home);
      assert.equal(r.code, 1, r.stderr);
      const line =
        `cannot reach the History Server at https://127.0.0.1:${port}/api/v1: ` +
        'TLS handshake failed (wrong version number): does the server speak https? try http://';
      assert.equal(r.stderr, `spot: ${line}\n`);
      const [stored] = column(home.db, "SELECT doc FROM errors WHERE stage = 'listing'").map(
        (d) => JSON.parse(d) as { spot: { error: { type: string; message: string } } },
      );
      assert.deepEqual(stored?.spot.error, { type: 'SSLError', message: line, stage: 'listing' });
    } finally {
      await close();
      home.cleanup();
    }
  });

  test('a 404 at a URL that is no History Server: the answer, and what to check of the path', async () => {
    const { port, close } = await plainServer();
    const home = tempHome();
    try {
      const r = await runSpot(['crawl', '--once', '--history-server', `http://127.0.0.1:${port}/wrong/path`], home);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^spot: no such page \\(404 from http://127.0.0.1:${port}/wrong/path/api/v1/`));
      assert.match(
        r.stderr,
        /; check that the URL is the History Server's own, ending at the server or at \/api\/v1\n$/,
      );
    } finally {
      await close();
      home.cleanup();
    }
  });

  test('settings that cannot work (CA file, certificate without key, two kinds of credentials, kerberos without its package): exit 2, one line, nothing stored, also when looping', async () => {
    const home = tempHome();
    const config = join(home.dir, 'both.yml');
    writeFileSync(config, 'historyServer:\n  username: etl\n  password: s3cret\n  bearerToken: t0ken\n');
    const t = await makeTlsFiles(home.dir);
    const cases: { env?: Record<string, string>; args?: string[]; says: RegExp }[] = [
      {
        env: { SPOT_HISTORY_SERVER_CA_FILE: join(home.dir, 'no-such-ca.pem') },
        says: /cannot read historyServer\.caFile .*no-such-ca\.pem: no such file or folder/,
      },
      // Files that are there but unusable: named with their key and path before any request, not in OpenSSL's words
      // on the first connection (or, for a CA bundle, not at all: its certificate then reads as "not trusted").
      {
        env: { SPOT_HISTORY_SERVER_CA_FILE: config },
        says: /historyServer\.caFile .*both\.yml holds no PEM certificate/,
      },
      {
        env: { SPOT_HISTORY_SERVER_CERT_FILE: t.clientCert, SPOT_HISTORY_SERVER_KEY_FILE: t.serverKey },
        says: /historyServer\.keyFile .*server\.key is not the key of historyServer\.certFile .*client\.pem/,
      },
      {
        env: { SPOT_HISTORY_SERVER_CERT_FILE: t.clientCert, SPOT_HISTORY_SERVER_KEY_FILE: t.clientCert },
        says: /historyServer\.keyFile .*client\.pem is not a PEM private key/,
      },
      {
        env: { SPOT_HISTORY_SERVER_CERT_FILE: t.clientKey, SPOT_HISTORY_SERVER_KEY_FILE: t.clientKey },
        says: /historyServer\.certFile .*client\.key is not a PEM certificate/,
      },
      {
        env: { SPOT_HISTORY_SERVER_CERT_FILE: config },
        says: /historyServer\.certFile and historyServer\.keyFile go together: set both or neither/,
      },
      { args: ['--config', config], says: /historyServer: choose one of username\/password, bearerToken, kerberos/ },
      {
        env: { SPOT_HISTORY_SERVER_KERBEROS: 'true' },
        says: /historyServer\.kerberos needs the optional package kerberos/,
      },
    ];
    try {
      const port = REFUSED_PORT;
      for (const c of cases) {
        for (const once of [['--once'], []]) {
          const args = [...(c.args ?? []), 'crawl', ...once, '--history-server', `https://127.0.0.1:${port}`];
          const r = await runSpot(args, home, { env: c.env });
          assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
          assert.equal(r.stderr.split('\n').length, 2, r.stderr);
          assert.match(r.stderr, /^spot: cannot use the History Server settings: /);
          assert.match(r.stderr, c.says);
          assert.doesNotMatch(r.stderr, /s3cret|t0ken|-----BEGIN|\n\s+at /);
        }
      }
      const { existsSync } = await import('node:fs');
      assert.equal(existsSync(home.db), false, 'no store, so no crawl error stored');
    } finally {
      home.cleanup();
    }
  });

  test('a URL that is not http(s) is a usage error like not-a-url: exit 2, nothing stored; credentials never echoed', async () => {
    const home = tempHome();
    try {
      for (const url of ['ftp://x', 'not-a-url', 'ftp://user:s3cret@x']) {
        const r = await runSpot(['crawl', '--once', '--history-server', url], home);
        assert.equal(r.code, 2, `${url}: ${r.stderr}`);
        assert.ok(!hasStack(r.stderr), r.stderr);
        assert.doesNotMatch(r.stderr, /s3cret/);
      }
      const { existsSync } = await import('node:fs');
      assert.equal(existsSync(home.db), false, 'a usage error opens no store');

      const port = REFUSED_PORT;
      const r = await runSpot(['crawl', '--once', '--history-server', `http://etl:s3cret@127.0.0.1:${port}`], home, {
        env: { SPOT_HISTORY_SERVER_RETRIES: '0' },
      });
      assert.equal(r.code, 1, r.stderr);
      assert.doesNotMatch(r.stderr + r.stdout, /s3cret/);
      assert.match(r.stderr, new RegExp(`http://127.0.0.1:${port}/api/v1`));
      assert.deepEqual(column(home.db, "SELECT doc FROM errors WHERE doc LIKE '%s3cret%'"), []);
    } finally {
      home.cleanup();
    }
  });

  test('an API URL pasted as the server (…/api/v1/applications, …/ws/v1/cluster/apps): exit 2, the address to use, nothing stored', async () => {
    const home = tempHome();
    try {
      const port = REFUSED_PORT;
      for (const [args, base] of [
        [['--history-server', `http://127.0.0.1:${port}/api/v1/applications`], '/api/v1'],
        [['--history-server', `http://127.0.0.1:${port}/shs/api/v1/applications/app-1/jobs`], '/shs/api/v1'],
        [['--history-server', `http://127.0.0.1:${port}/api/v1/version`], '/api/v1'],
        [['--yarn', `http://127.0.0.1:${port}/ws/v1/cluster/apps`], '/ws/v1'],
        [['--yarn', `http://127.0.0.1:${port}/ws/v1/cluster`], '/ws/v1'],
      ] as const) {
        const r = await runSpot(['crawl', '--once', ...args], home);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(
          r.stderr,
          `spot: ${args[0]}: is an API request's URL, not the server's address: ` +
            `end it at ${base.split('/').at(-2)}/${base.split('/').at(-1)}, as in http://127.0.0.1:${port}${base} ` +
            "(run 'spot crawl --help' for usage)\n",
        );
      }
      const withPassword = await runSpot(
        ['crawl', '--once', '--history-server', `http://etl:s3cret@127.0.0.1:${port}/api/v1/applications`],
        home,
      );
      assert.equal(withPassword.code, 2, withPassword.stderr);
      assert.match(withPassword.stderr, new RegExp(`as in http://127\\.0\\.0\\.1:${port}/api/v1 \\(run `));
      assert.doesNotMatch(withPassword.stderr, /s3cret/);
      const { existsSync } = await import('node:fs');
      assert.equal(existsSync(home.db), false, 'a usage error opens no store');
      // A path that only passes through an API-like segment (a gateway's) is an address like any other.
      const gateway = await runSpot(
        ['crawl', '--once', '--history-server', `http://127.0.0.1:${port}/api/v1/proxy/shs`],
        home,
        {
          env: { SPOT_HISTORY_SERVER_RETRIES: '0' },
        },
      );
      assert.equal(gateway.code, 1, gateway.stderr);
      assert.match(
        gateway.stderr,
        /cannot reach the History Server at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/proxy\/shs\/api\/v1/,
      );
    } finally {
      home.cleanup();
    }
  });

  test('usage and config errors: exit 2, one clear message, no stack trace', async () => {
    const home = tempHome();
    try {
      const none = await runSpot(['crawl', '--once'], home);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /no History Server: pass --history-server URL or set historyServer.url/);

      const since = await runSpot(
        ['crawl', '--once', '--history-server', 'http://127.0.0.1:1/api/v1', '--since', 'yesterday'],
        home,
      );
      assert.equal(since.code, 2);
      assert.match(since.stderr, /--since/);

      // --concurrency sizes History Server crawls only: with another source it would be ignored without a word.
      for (const source of [
        ['--event-logs', home.dir],
        ['--yarn', 'http://127.0.0.1:1'],
      ]) {
        const r = await runSpot(['crawl', '--once', ...source, '--concurrency', '4'], home);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(
          r.stderr,
          `spot: --concurrency applies to History Server crawls, not to ${source[0]} (run 'spot crawl --help' for usage)\n`,
        );
      }

      writeFileSync(join(home.dir, '.spotrc.yml'), 'crawler:\n  concurrence: 3\n');
      const unknown = await runSpot(['crawl', '--once', '--history-server', 'http://127.0.0.1:1/api/v1'], home);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /crawler\.concurrence/);
      assert.match(unknown.stderr, /\.spotrc\.yml/);
      assert.ok(!hasStack(unknown.stderr), unknown.stderr);

      writeFileSync(join(home.dir, '.spotrc.yml'), 'crawler:\n  concurrency: 3\n');
      const badEnv = await runSpot(['crawl', '--once', '--history-server', 'http://127.0.0.1:1/api/v1'], home, {
        env: { SPOT_CRAWLER_CONCURRENCY: 'many' },
      });
      assert.equal(badEnv.code, 2);
      assert.match(badEnv.stderr, /SPOT_CRAWLER_CONCURRENCY|crawler\.concurrency/);
      assert.ok(!hasStack(badEnv.stderr), badEnv.stderr);
      assert.equal(badEnv.stderr.trim().split('\n').length, 1, badEnv.stderr);
    } finally {
      home.cleanup();
    }
  });
});
