import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { spawn } from 'node:child_process';
import { column, runSpot, scalar, tempHome } from '../crawl/support.js';
import { startEsStandin } from '../support/es-standin.js';
import { SPOT_BIN } from '../support/paths.js';
import { startRmStandIn, yarnFixture } from '../support/rm-server.js';
import { loopbackHttp, plainHttp, REFUSED_PORT } from '../support/loopback-http.js';
import { makeTlsFiles } from '../support/tls-certs.js';

// `spot crawl --yarn` and `spot status` as users run them: the compiled bin, a real SQLite file, a loopback
// ResourceManager.

const hasStack = (text: string) => /\n\s+at /.test(text);

describe('spot crawl --yarn', () => {
  test('--once polls the ResourceManager, stores its documents and says what it stored; status is then ok', async () => {
    const rm = await startRmStandIn();
    const home = tempHome('spot-yarn-');
    try {
      const crawl = await runSpot(['crawl', '--yarn', rm.url, '--once'], home);
      assert.equal(crawl.code, 0, crawl.stderr);
      assert.equal(crawl.stdout, 'yarn 127.0.0.1: cluster statistics, 2 new finished apps, 9 scheduler documents\n');
      assert.equal(scalar(home.db, 'SELECT count(*) FROM yarn_apps'), 2);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM yarn_cluster'), 1);
      // yarn.url from the environment, as from .spotrc.yml
      const again = await runSpot(['crawl', '--yarn', '--once'], home, { env: { SPOT_YARN_URL: `${rm.url}/ws/v1` } });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM yarn_apps'), 2);
      const status = await runSpot(['status'], home, { env: { SPOT_YARN_URL: rm.url } });
      assert.equal(status.code, 0, status.stdout + status.stderr);
      assert.match(status.stdout, /^ResourceManager 127\.0\.0\.1: ok\n {2}newest run: {5}2012-01-17T15:56:29\.546Z\n/);
      assert.match(status.stdout, /errors \(24 h\): {2}none\nok\n$/);
    } finally {
      await rm.close();
      home.cleanup();
    }
  });

  test('a Fair Scheduler gives queue documents; a FIFO one a warning line, once per looping crawl', async () => {
    const rm = await startRmStandIn();
    const home = tempHome('spot-yarn-');
    try {
      rm.setScheduler(yarnFixture('scheduler-fair.json'));
      const fair = await runSpot(['crawl', '--yarn', rm.url, '--once'], home);
      assert.equal(fair.code, 0, fair.stderr);
      assert.equal(fair.stderr, '');
      assert.match(fair.stdout, /, 2 scheduler documents\n$/);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM yarn_scheduler'), 2);
      rm.setScheduler({ scheduler: { schedulerInfo: { type: 'fifoScheduler', capacity: 1 } } });
      const fifo = await runSpot(['crawl', '--yarn', rm.url, '--once'], home);
      assert.equal(fifo.code, 0, fifo.stderr);
      assert.match(fifo.stdout, /, 0 scheduler documents\n$/);
      assert.equal(
        fifo.stderr,
        'spot crawl: warning: 127.0.0.1: scheduler type fifoScheduler is not read (only capacityScheduler and ' +
          'fairScheduler are): no scheduler documents, no queues in the cluster document\n',
      );
    } finally {
      await rm.close();
      home.cleanup();
    }
  });

  test('an unreachable ResourceManager with --once: one line, exit 1, error documents stored', async () => {
    const port = REFUSED_PORT;
    const home = tempHome('spot-yarn-');
    try {
      const crawl = await runSpot(['crawl', '--yarn', `http://127.0.0.1:${port}`, '--once'], home, {
        env: { SPOT_HISTORY_SERVER_RETRIES: '0' },
      });
      assert.equal(crawl.code, 1);
      assert.match(
        crawl.stderr,
        /cannot reach the ResourceManager at http:\/\/127\.0\.0\.1:\d+\/ws\/v1: connection refused.*; check the host and port \(the ResourceManager's web services listen on 8088/,
      );
      assert.ok(!hasStack(crawl.stderr), crawl.stderr);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM yarn_errors'), 3);
      const status = await runSpot(['status', '--json'], home);
      assert.equal(status.code, 1);
      const report = JSON.parse(status.stdout) as {
        healthy: boolean;
        sources: { kind: string; errors: Record<string, number>; problems: { code: string }[] }[];
      };
      assert.equal(report.healthy, false);
      assert.deepEqual(report.sources[0]!.errors, { ConnectionError: 3 });
      assert.deepEqual(
        report.sources[0]!.problems.map((p) => p.code),
        ['never_stored'],
      );
    } finally {
      home.cleanup();
    }
  });

  test('an address that answers every request with an error page, with --once: one line, exit 1, errors stored', async () => {
    const web = await loopbackHttp((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><title>Not Found</title></html>');
    });
    const { port } = web;
    const home = tempHome('spot-yarn-');
    try {
      const crawl = await runSpot(['crawl', '--yarn', `http://127.0.0.1:${port}`, '--once'], home);
      assert.equal(crawl.code, 1, crawl.stdout + crawl.stderr);
      assert.match(
        crawl.stderr,
        /no usable answer from http:\/\/127\.0\.0\.1:\d+\/ws\/v1, is it a ResourceManager\? .*404.*; 3 error documents stored/,
      );
      assert.equal(crawl.stderr.trim().split('\n').length, 1, crawl.stderr);
      assert.ok(!hasStack(crawl.stderr), crawl.stderr);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM yarn_errors'), 3);
    } finally {
      home.cleanup();
      await web.close();
    }
  });

  test('a standby ResourceManager (307 with Location, or 200 with its text) is named, with the active one', async () => {
    const standby307 = await loopbackHttp((req, res) => {
      const loc = `http://rm2.example.com:8088${req.url}`;
      res.writeHead(307, { location: loc, 'content-type': 'text/plain' });
      res.end(`This is standby RM. The redirect url is: ${loc}`);
    });
    const standby200 = await loopbackHttp((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`This is standby RM. The redirect url is: http://rm3.example.com:8088${req.url}`);
    });
    const home = tempHome('spot-yarn-');
    try {
      for (const [web, active] of [
        [standby307, 'http://rm2.example.com:8088'],
        [standby200, 'http://rm3.example.com:8088'],
      ] as const) {
        const crawl = await runSpot(['crawl', '--yarn', `http://127.0.0.1:${web.port}`, '--once'], home, {
          env: { SPOT_HISTORY_SERVER_RETRIES: '0' },
        });
        assert.equal(crawl.code, 1, crawl.stdout + crawl.stderr);
        assert.equal(
          crawl.stderr,
          `spot: http://127.0.0.1:${web.port} is a standby ResourceManager; the active one is ${active}: ` +
            'point yarn.url there; 3 error documents stored (spot status shows them)\n',
        );
      }
      const messages = column(home.db, "SELECT json_extract(doc, '$.spot.error.message') FROM yarn_errors");
      assert.equal(messages.length, 6);
      for (const m of messages) assert.match(m, /is a standby ResourceManager; the active one is http:\/\/rm[23]\./);
    } finally {
      home.cleanup();
      await standby307.close();
      await standby200.close();
    }
  });

  test('a 401 from the ResourceManager says to set yarn.username/yarn.password', async () => {
    const web = await loopbackHttp((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="rm"', 'content-type': 'text/html' });
      res.end('<html><body>401 Unauthorized</body></html>');
    });
    const home = tempHome('spot-yarn-');
    try {
      const crawl = await runSpot(['crawl', '--yarn', `http://127.0.0.1:${web.port}`, '--once'], home);
      assert.equal(crawl.code, 1, crawl.stdout + crawl.stderr);
      assert.match(
        crawl.stderr,
        /^spot: ResourceManager at http:\/\/127\.0\.0\.1:\d+ answered 401 Unauthorized: set yarn\.username and yarn\.password \(or user:password@ in yarn\.url\)/,
      );
      assert.equal(crawl.stderr.trim().split('\n').length, 1, crawl.stderr);
    } finally {
      home.cleanup();
      await web.close();
    }
  });

  test('https:// to a plain-HTTP port, with --once: one line naming the URL, the TLS cause and http://', async () => {
    const web = await plainHttp();
    const { port } = web;
    const home = tempHome('spot-yarn-');
    try {
      const crawl = await runSpot(['crawl', '--yarn', `https://127.0.0.1:${port}`, '--once'], home);
      assert.equal(crawl.code, 1, crawl.stdout + crawl.stderr);
      assert.equal(
        crawl.stderr,
        `spot: cannot reach the ResourceManager at https://127.0.0.1:${port}/ws/v1: ` +
          'TLS handshake failed (wrong version number): does the server speak https? try http://\n',
      );
      assert.equal(scalar(home.db, "SELECT count(*) FROM yarn_errors WHERE doc LIKE '%TLS handshake failed%'"), 3);
    } finally {
      home.cleanup();
      await web.close();
    }
  });

  test('a ResourceManager certificate this machine does not trust names historyServer.caFile, the key that fixes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-yarn-tls-'));
    const home = tempHome('spot-yarn-');
    try {
      const t = await makeTlsFiles(dir);
      const rm = await startRmStandIn({
        tls: { key: readFileSync(t.serverKey, 'utf8'), cert: readFileSync(t.serverCert, 'utf8') },
      });
      try {
        const untrusted = await runSpot(['crawl', '--yarn', rm.url, '--once'], home);
        assert.equal(untrusted.code, 1, untrusted.stdout + untrusted.stderr);
        // yarn.caFile is no key (a config naming it is refused): the ResourceManager trusts historyServer.caFile.
        assert.match(untrusted.stderr, /set historyServer\.caFile to the CA bundle \(PEM\) that signed it\n$/);
        assert.equal(untrusted.stderr.split('\n').length, 2, untrusted.stderr);
        const trusted = await runSpot(['crawl', '--yarn', rm.url, '--once'], home, {
          env: { SPOT_HISTORY_SERVER_CA_FILE: t.ca },
        });
        assert.equal(trusted.code, 0, trusted.stderr);
        assert.match(trusted.stdout, /, 2 new finished apps,/);
      } finally {
        await rm.close();
      }
    } finally {
      home.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a ResourceManager that requires a client certificate, with none set: one line naming yarn.certFile and yarn.keyFile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-yarn-mtls-'));
    const home = tempHome('spot-yarn-');
    try {
      const t = await makeTlsFiles(dir);
      const pem = (file: string) => readFileSync(file, 'utf8');
      const rm = await startRmStandIn({ tls: { key: pem(t.serverKey), cert: pem(t.serverCert), clientCa: pem(t.ca) } });
      try {
        const env = { SPOT_HISTORY_SERVER_CA_FILE: t.ca };
        const without = await runSpot(['crawl', '--yarn', rm.url, '--once'], home, { env });
        assert.equal(without.code, 1, without.stdout + without.stderr);
        assert.equal(
          without.stderr,
          'spot: cannot use the ResourceManager settings: the server requires a TLS client certificate ' +
            'and none is set: set yarn.certFile and yarn.keyFile (PEM files of a certificate its CA signed, and its key)\n',
        );
        const withCert = await runSpot(['crawl', '--yarn', rm.url, '--once'], home, {
          env: { ...env, SPOT_YARN_CERT_FILE: t.clientCert, SPOT_YARN_KEY_FILE: t.clientKey },
        });
        assert.equal(withCert.code, 0, withCert.stderr);
        assert.match(withCert.stdout, /, 2 new finished apps,/);
      } finally {
        await rm.close();
      }
    } finally {
      home.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a yarn.keyFile that is not the key of yarn.certFile: a settings error (exit 2) naming both, nothing stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-yarn-tls-'));
    const home = tempHome('spot-yarn-');
    try {
      const t = await makeTlsFiles(dir);
      const crawl = await runSpot(['crawl', '--yarn', 'https://127.0.0.1:9', '--once'], home, {
        env: { SPOT_YARN_CERT_FILE: t.clientCert, SPOT_YARN_KEY_FILE: t.serverKey },
      });
      assert.equal(crawl.code, 2, crawl.stdout + crawl.stderr);
      assert.match(
        crawl.stderr,
        /^spot: cannot use the ResourceManager settings: yarn\.keyFile \S+server\.key is not the key of yarn\.certFile \S+client\.pem \(key values mismatch\)\n$/,
      );
      assert.equal(existsSync(home.db), false);
    } finally {
      home.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('yarn.kerberos without its package: a settings error (exit 2), not "cannot reach", nothing stored, also when looping', async () => {
    const rm = await startRmStandIn();
    const home = tempHome('spot-yarn-');
    try {
      for (const once of [['--once'], []]) {
        const crawl = await runSpot(['crawl', '--yarn', rm.url, ...once], home, {
          env: { SPOT_YARN_KERBEROS: 'true' },
        });
        assert.equal(crawl.code, 2, crawl.stdout + crawl.stderr);
        assert.match(
          crawl.stderr,
          /^spot: cannot use the ResourceManager settings: yarn\.kerberos needs the optional package kerberos .*\n$/,
        );
        assert.equal(crawl.stderr.split('\n').length, 2, crawl.stderr);
      }
      const { existsSync } = await import('node:fs');
      assert.equal(existsSync(home.db), false, 'no store, so no error documents');
    } finally {
      await rm.close();
      home.cleanup();
    }
  });

  test('without --once it polls every yarn.sleepSeconds, goes on through an outage, and stops cleanly on SIGTERM', async () => {
    const rm = await startRmStandIn();
    const home = tempHome('spot-yarn-');
    try {
      // The second poll finds the ResourceManager failing; the loop logs it and polls again.
      rm.fail('cluster/metrics', 500);
      const child = spawn(process.execPath, [SPOT_BIN, 'crawl', '--yarn', rm.url], {
        cwd: home.dir,
        env: { ...home.env, SPOT_YARN_SLEEP_SECONDS: '0', SPOT_HISTORY_SERVER_RETRIES: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (d) => {
          stdout += d;
          if (stdout.split('\n').length > 3) resolve();
        });
      });
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      const lines = stdout.trim().split('\n');
      assert.equal(
        lines[0],
        'yarn 127.0.0.1: no cluster statistics, 2 new finished apps, 9 scheduler documents; 1 error (spot status shows them)',
      );
      assert.equal(lines[1], 'yarn 127.0.0.1: cluster statistics, 0 new finished apps, 9 scheduler documents');
      assert.ok(Number(scalar(home.db, 'SELECT count(*) FROM yarn_cluster')) >= 2);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM yarn_apps'), 2);
    } finally {
      await rm.close();
      home.cleanup();
    }
  });

  test('with store.type elasticsearch it writes the original YARN indexes', async () => {
    const [rm, es] = await Promise.all([startRmStandIn(), startEsStandin()]);
    const home = tempHome('spot-yarn-');
    try {
      const env = {
        SPOT_STORE_TYPE: 'elasticsearch',
        SPOT_ELASTICSEARCH_URL: es.url,
        SPOT_ELASTICSEARCH_CLUSTER: 'eu',
      };
      const crawl = await runSpot(['crawl', '--yarn', rm.url, '--once'], home, { env });
      assert.equal(crawl.code, 0, crawl.stderr);
      assert.equal(es.indexes.get('spot_yarn_apps_eu')?.docs.size, 2);
      assert.equal(es.indexes.get('spot_yarn_cluster_eu')?.docs.size, 1);
      assert.equal(es.indexes.get('spot_yarn_scheduler_eu')?.docs.size, 9);
      const status = await runSpot(['status'], home, { env });
      assert.equal(status.code, 2);
      assert.match(status.stderr, /^spot: spot status reads SQLite stores only for now: set store.type to sqlite\n$/);
      // So too when the cluster cannot be reached: the store type says it all.
      const down = await runSpot(['status'], home, { env: { ...env, SPOT_ELASTICSEARCH_URL: 'http://127.0.0.1:9' } });
      assert.equal(down.code, 2, down.stderr);
      assert.match(down.stderr, /reads SQLite stores only/);
    } finally {
      await Promise.all([rm.close(), es.close()]);
      home.cleanup();
    }
  });

  test('with store.type opensearch it writes the same YARN indexes (it said the store cannot keep YARN data)', async () => {
    const [rm, os] = await Promise.all([startRmStandIn(), startEsStandin({ flavour: 'opensearch-2' })]);
    const home = tempHome('spot-yarn-');
    try {
      const env = { SPOT_STORE_TYPE: 'opensearch', SPOT_ELASTICSEARCH_URL: os.url, SPOT_ELASTICSEARCH_CLUSTER: 'eu' };
      const crawl = await runSpot(['crawl', '--yarn', rm.url, '--once'], home, { env });
      assert.equal(crawl.code, 0, crawl.stderr);
      assert.equal(os.indexes.get('spot_yarn_apps_eu')?.docs.size, 2);
      assert.equal(os.indexes.get('spot_yarn_cluster_eu')?.docs.size, 1);
    } finally {
      await Promise.all([rm.close(), os.close()]);
      home.cleanup();
    }
  });

  test('--yarn without a URL anywhere is a usage error (exit 2)', async () => {
    const home = tempHome('spot-yarn-');
    try {
      const crawl = await runSpot(['crawl', '--yarn', '--once'], home);
      assert.equal(crawl.code, 2);
      assert.match(crawl.stderr, /no ResourceManager: pass --yarn URL or set yarn.url/);
    } finally {
      home.cleanup();
    }
  });
});
