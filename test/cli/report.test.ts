import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.js';
import { spot } from '../support/cli.js';
import { SHS_FIXTURES } from '../support/paths.js';
import { clusterName, runReport } from '../../src/cli/report.js';
import { createContext } from '../../src/cli/context.js';
import { startRenderPool } from '../../src/report/render-pool.js';
import { adviceFor, fillRuns, putErrors, XSS_APP } from '../report/fill.js';
import { HANG_GUARD } from '../support/spawn.js';

// The compiled `spot report` (npm test builds first) against SPOT_HOME stores filled through the document builder.

const homes: string[] = [];
after(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'spot-report-cli-'));
  homes.push(home);
  return home;
}

/** A new home whose store holds `runs` runs of the report fixtures. */
async function homeWithRuns(runs: number): Promise<string> {
  const home = newHome();
  const store = await SqliteStore.open(join(home, 'spot.db'));
  await fillRuns(store, runs);
  await store.close();
  return home;
}

describe('spot report', () => {
  test('a store that cannot be reached: the chart threads started meanwhile are closed, so the command ends', async () => {
    const home = newHome();
    const lines: string[] = [];
    const ctx = await createContext({
      env: { SPOT_HOME: home, SPOT_STORE_TYPE: 'elasticsearch', SPOT_ELASTICSEARCH_URL: 'http://127.0.0.1:1' },
      out: { write: (t) => void lines.push(t), isTTY: false },
      err: { write: (t) => void lines.push(t), isTTY: false },
    });
    let closed = false;
    // One real chart thread, whatever the machine's load (startRenderPool starts none on a busy machine).
    const startPool = () => {
      const pool = startRenderPool(1);
      return {
        render: pool.render,
        close: async () => {
          closed = true;
          await pool.close();
        },
      };
    };
    await assert.rejects(
      runReport({ out: '-' }, ctx, startPool),
      /cannot reach the cluster at http:\/\/127\.0\.0\.1:1/,
    );
    await ctx.close();
    assert.equal(closed, true, 'a thread left running keeps `spot report` from ever ending');
    assert.deepEqual(lines, []);
  });

  test('writes one self-contained page to --out and prints its path', async () => {
    const home = newHome();
    const store = await SqliteStore.open(join(home, 'spot.db'));
    const records = await fillRuns(store, 6);
    await putErrors(store, 3);
    await store.putAdvice(adviceFor(records[0]!, 0));
    await store.close();
    const out = join(home, 'reports', 'r.html');
    const noDir = await spot(home, ['report', '--out', out]);
    assert.equal(noDir.code, 2);
    assert.match(noDir.stderr, /^spot: cannot write the report to .*r\.html: no such folder: .*reports\n$/);

    const res = await spot(home, ['report', '--out', join(home, 'r.html')]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, `${join(home, 'r.html')}\n`);
    assert.match(res.stderr, /14 of 14 charts over 18 runs/);
    const html = readFileSync(join(home, 'r.html'), 'utf8');
    assert.equal(html.match(/<svg[\s>]/g)?.length, 14);
    assert.doesNotMatch(html, /<script/i);
    assert.ok(!html.includes(XSS_APP));
    assert.deepEqual(html.replace(/xmlns(:\w+)?="https?:\/\/[^"]*"/g, '').match(/https?:\/\//g), null);
  });

  test('--out naming the store (or any SQLite file) is refused and the store kept', async () => {
    const home = await homeWithRuns(2);
    const db = join(home, 'spot.db');
    const before = readFileSync(db);
    for (const args of [
      ['report', '--out', db],
      ['kibana', 'export', '--out', db],
    ]) {
      const res = await spot(home, args);
      assert.equal(res.code, 2, args.join(' '));
      assert.match(
        res.stderr,
        /^spot: will not write the (report|saved objects) over .*spot\.db: it is a SQLite database/m,
      );
      assert.deepEqual(readFileSync(db), before);
    }
  });

  test('--cluster takes the History Server as crawled: its host, its URL or host:port', async () => {
    const home = await homeWithRuns(2);
    const out = join(home, 'r.html');
    const counts: string[] = [];
    for (const cluster of ['shs.test', 'http://shs.test:18080/api/v1', 'shs.test:18080']) {
      const res = await spot(home, ['report', '--out', out, '--cluster', cluster]);
      assert.equal(res.code, 0, res.stderr);
      assert.doesNotMatch(res.stderr, /no stored run matches/, cluster);
      counts.push(/over (\d+) runs?/.exec(res.stderr)?.[1] ?? '');
    }
    assert.ok(Number(counts[0]) > 0);
    assert.deepEqual(counts, [counts[0], counts[0], counts[0]]);
  });

  test('--cluster file://FOLDER names an event-log folder as crawled: relative, or with a trailing slash', () => {
    const folder = resolve('spark-events');
    for (const given of ['file://spark-events', 'file://./spark-events/', `file://${folder}`, `file://${folder}/`]) {
      assert.equal(clusterName(given), `file://${folder}`, given);
    }
    assert.equal(clusterName('http://shs.test:18080/api/v1'), 'shs.test');
  });

  test('filters that match no stored run: the page and the summary line say so, not that the store is empty', async () => {
    const home = await homeWithRuns(2);
    const out = join(home, 'unmatched.html');
    const res = await spot(home, ['report', '--out', out, '--app', 'no-such-job']);
    assert.equal(res.code, 0, res.stderr);
    // The count names what it counts, as the page does ("the store holds N runs").
    assert.match(res.stderr, /over 0 runs; no stored run matches the filters \(the store holds \d+ runs\)$/m);
    // An --app one slip from a stored job names it.
    const typo = await spot(home, ['report', '--out', out, '--app', 'daily_sale']);
    assert.match(
      typo.stderr,
      /no stored run matches the filters \(the store holds \d+ runs; did you mean --app 'daily_sales'\?\)/,
    );
    // So does a --cluster or --user one slip from a stored History Server or Spark user, each named as stored.
    const cluster = await spot(home, ['report', '--out', out, '--cluster', 'http://shs.tset:18080/api/v1']);
    assert.match(cluster.stderr, /\(the store holds \d+ runs; did you mean --cluster 'shs\.test'\?\)$/m);
    const user = await spot(home, ['report', '--out', out, '--user', 'sprak', '--cluster', 'shs.test']);
    assert.match(user.stderr, /\(the store holds \d+ runs; did you mean --user 'spark'\?\)$/m);
    const far = await spot(home, ['report', '--out', out, '--cluster', 'elsewhere.example.com']);
    assert.match(far.stderr, /\(the store holds \d+ runs\)$/m);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /No stored run matches the filters/);
    assert.doesNotMatch(html, /holds no runs yet/);
  });

  test('core-hours under one keep two decimals, as spot runs prints them: no job is "0.0" beside an 11% share', async () => {
    const home = newHome();
    const logs = join(home, 'logs');
    mkdirSync(logs);
    // Apache Spark's test logs: LargeBlocks held 0.043 core-hours (3 one-core executors over its 1m02s), the
    // standalone Spark shell 0.284 (2 one-core executors over 8m55s): figures summed from the logs by hand.
    for (const name of ['application_1553914137147_0018', 'app-20180109111548-0000'])
      copyFileSync(join(SHS_FIXTURES, 'spark-events', name), join(logs, name));
    const crawl = await spot(home, ['crawl', '--once', '--event-logs', logs]);
    assert.equal(crawl.code, 0, crawl.stderr);
    const out = join(home, 'r.html');
    const res = await spot(home, ['report', '--out', out]);
    assert.equal(res.code, 0, res.stderr);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<th>allocated core-hours of the runs read<\/th><td class="n">0\.33<\/td>/);
    assert.match(
      html,
      /<tr><td>Spark shell<\/td><td class="n">1<\/td><td class="n">0<\/td><td class="n">0\.28<\/td><td class="n">86\.9%<\/td><\/tr>/,
    );
    assert.match(
      html,
      /<tr><td>LargeBlocks<\/td><td class="n">1<\/td><td class="n">0<\/td><td class="n">0\.04<\/td><td class="n">13\.1%<\/td><\/tr>/,
    );
  });

  test('an empty store: the default file, a page that says so, exit 0', async () => {
    const home = newHome();
    const res = await spot(home, ['report']);
    assert.equal(res.code, 0, res.stderr);
    const path = join(home, 'spot-report.html');
    assert.equal(res.stdout.trim(), path);
    assert.ok(existsSync(path));
    assert.match(readFileSync(path, 'utf8'), /The store holds no runs yet/);
    assert.match(res.stderr, /0 of 14 charts over 0 runs/);
    // --out - writes the page to standard output, and nothing else goes there.
    const piped = await spot(home, ['report', '--out', '-']);
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(piped.stdout, /^<!DOCTYPE html>[\s\S]*The store holds no runs yet[\s\S]*<\/html>\n?$/);
    assert.ok(!existsSync(join(home, '-')));
  });
});

/** Headless Chromium when the machine has one; the test never installs it. */
function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('which', [name], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

const chromium = findChromium();

test('the page renders in headless Chromium', { skip: chromium ? false : 'no chromium on this machine' }, async () => {
  const home = await homeWithRuns(4);
  const res = await spot(home, ['report', '--out', join(home, 'r.html')]);
  assert.equal(res.code, 0, res.stderr);
  const png = join(home, 'r.png');
  const shot = spawnSync(
    chromium!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      `--screenshot=${png}`,
      '--window-size=1100,4000',
      `file://${join(home, 'r.html')}`,
    ],
    // Only a hang is cut short: a cold headless Chromium on a busy machine takes well over the few seconds it
    // takes on an idle one.
    HANG_GUARD,
  );
  assert.equal(shot.status, 0, String(shot.stderr));
  assert.ok(statSync(png).size > 10_000);
});
