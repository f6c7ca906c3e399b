import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { startHistoryServer } from '../../src/simulator/history-server.js';
import { SHS_FIXTURES } from '../support/paths.js';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEsStandin } from '../support/es-standin.js';
import { column, type Home, runSpot, scalar, SINCE, specs, spawnSpot, tempHome } from '../crawl/support.js';

// `spot crawl` as a process: killed, looping, and two at once on one database (the compiled bin, a real
// SQLite file, a simulated History Server on loopback). A file of its own so it runs beside crawl.test.ts.

/** A child's output as it comes, and a wait on it (not on the clock): an early exit fails the wait at once. */
function watch(child: ChildProcessWithoutNullStreams | ReturnType<typeof spawn>) {
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (out.stdout += d));
  child.stderr!.on('data', (d) => (out.stderr += d));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const until = (stream: 'stdout' | 'stderr', re: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (re.test(out[stream])) {
          child[stream]!.off('data', check);
          resolve();
        }
      };
      child[stream]!.on('data', check);
      child.once('close', () => reject(new Error(`exited before ${re}: ${out.stdout}${out.stderr}`)));
      check();
    });
  return { out, until, exited };
}

/** `spot crawl ARGS` in `home`, crawling again every second, its output watched (watch). */
function loopingCrawl(args: string[], home: Home, env: NodeJS.ProcessEnv = {}) {
  const child = spawnSpot(['crawl', ...args], home, { env: { SPOT_CRAWLER_SLEEP_SECONDS: '1', ...env }, piped: true });
  return { child, ...watch(child) };
}

/** The variables that put the store on an Elasticsearch server under `cluster`. */
const onEs = (url: string, cluster: string) => ({
  SPOT_STORE_TYPE: 'elasticsearch',
  SPOT_ELASTICSEARCH_URL: url,
  SPOT_ELASTICSEARCH_CLUSTER: cluster,
});

describe('spot crawl processes', () => {
  test('killed with SIGKILL mid-crawl and run again: no app missing, none stored twice', async () => {
    const apps = specs(300, 'application_1709251200002');
    // The first crawl can never finish, however fast the machine: the History Server holds every request for
    // the apps past the 100th until the gate opens, which happens only after the kill.
    const held = new Set(apps.slice(100).map((a) => a.id));
    let gateOpen = false;
    const shs = await startHistoryServer({
      fault: ({ path }) =>
        !gateOpen && held.has(/applications\/([^/?]+)\//.exec(path)?.[1] ?? '') ? 'hang' : undefined,
    });
    const home = tempHome();
    try {
      for (const s of apps) shs.addSpec(s);
      const args = ['crawl', '--once', '--history-server', shs.url, '--since', SINCE, '--concurrency', '4'];
      const child = spawnSpot(args, home, { env: { SPOT_CRAWLER_COMPLETION_TIMEOUT_SECONDS: '0' } });
      const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));
      let stored = 0;
      // Waits for the condition, however long it takes; the test runner's own timeout is the only limit.
      while (stored < 40) {
        await new Promise((r) => setTimeout(r, 50));
        try {
          stored = scalar(home.db, 'SELECT count(*) FROM agg');
        } catch {
          stored = 0; // the schema is not there yet
        }
      }
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      const before = scalar(home.db, 'SELECT count(*) FROM agg');
      assert.ok(before >= 40 && before <= 100, `killed after ${before} apps`);
      gateOpen = true;

      const again = await runSpot(args, home, { env: { SPOT_CRAWLER_COMPLETION_TIMEOUT_SECONDS: '0' } });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), apps.length);
      assert.equal(scalar(home.db, 'SELECT count(DISTINCT app_id) FROM agg'), apps.length);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM raw'), apps.length);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM runs'), apps.length);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM errors'), 0);
      const ids = new Set(column(home.db, 'SELECT app_id FROM agg'));
      assert.deepEqual(
        apps.filter((a) => !ids.has(a.id)).map((a) => a.id),
        [],
      );
    } finally {
      await shs.close();
      home.cleanup();
    }
  });

  test('without --once it crawls every crawler.sleepSeconds and stops cleanly on SIGTERM', async () => {
    const apps = specs(5, 'application_1709251200004');
    const shs = await startHistoryServer();
    const home = tempHome();
    try {
      for (const s of apps.slice(0, 4)) shs.addSpec(s);
      const { child, out, until, exited } = loopingCrawl(['--history-server', shs.url, '--since', SINCE], home, {
        SPOT_CRAWLER_COMPLETION_TIMEOUT_SECONDS: '0',
      });
      await until('stdout', /4 new, 0 skipped/);
      shs.addSpec(apps[4]!); // finishes while the crawler sleeps
      await until('stdout', /1 new, 4 skipped/);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, out.stderr);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), 5);
    } finally {
      await shs.close();
      home.cleanup();
    }
  });

  test('a looping crawl goes on through a store outage: says so, tries again, and stores what it missed', async () => {
    const apps = specs(5, 'application_1709251200005');
    const shs = await startHistoryServer();
    const es = await startEsStandin();
    const home = tempHome();
    try {
      for (const s of apps.slice(0, 4)) shs.addSpec(s);
      const { child, out, until, exited } = loopingCrawl(['--history-server', shs.url, '--since', SINCE], home, {
        SPOT_CRAWLER_COMPLETION_TIMEOUT_SECONDS: '0',
        ...onEs(es.url, 'loop'),
      });
      await until('stdout', /4 new, 0 skipped/);
      es.setDown(true);
      shs.addSpec(apps[4]!);
      await until('stderr', /master_not_discovered_exception.*; trying again in 1 s/);
      es.setDown(false);
      await until('stdout', /1 new, 4 skipped/);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, out.stderr);
      assert.equal(es.indexes.get('spot_agg_loop')!.docs.size, 5);
    } finally {
      await es.close();
      await shs.close();
      home.cleanup();
    }
  });

  test('a looping event-log crawl goes on through a store outage too', async () => {
    const logs = mkdtempSync(join(tmpdir(), 'spot-loop-logs-'));
    const es = await startEsStandin();
    const home = tempHome();
    try {
      copyFileSync(join(SHS_FIXTURES, 'spark-events', 'local-1422981759269'), join(logs, 'local-1422981759269'));
      const { child, out, until, exited } = loopingCrawl(['--event-logs', logs], home, onEs(es.url, 'logs'));
      await until('stdout', /1 new, 0 skipped/);
      es.setDown(true);
      copyFileSync(join(SHS_FIXTURES, 'spark-events', 'local-1426533911241'), join(logs, 'local-1426533911241'));
      await until('stderr', /master_not_discovered_exception.*; trying again in 1 s/);
      es.setDown(false);
      await until('stdout', /1 new, 1 skipped/);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, out.stderr);
      assert.equal(es.indexes.get('spot_agg_logs')!.docs.size, 2);
    } finally {
      await es.close();
      rmSync(logs, { recursive: true, force: true });
      home.cleanup();
    }
  });

  test('two crawlers on one database at once: no duplicates, no failures', async () => {
    const apps = specs(200, 'application_1709251200003');
    const shs = await startHistoryServer({ latencyMs: 2 });
    const home = tempHome();
    try {
      for (const s of apps) shs.addSpec(s);
      const args = ['crawl', '--once', '--history-server', shs.url, '--since', SINCE, '--concurrency', '4'];
      const env = { SPOT_CRAWLER_COMPLETION_TIMEOUT_SECONDS: '0' };
      const [a, b] = await Promise.all([runSpot(args, home, { env }), runSpot(args, home, { env })]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      assert.match(a.stdout, / 0 failed/);
      assert.match(b.stdout, / 0 failed/);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), apps.length);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM raw'), apps.length);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM errors'), 0);
    } finally {
      await shs.close();
      home.cleanup();
    }
  });
});
