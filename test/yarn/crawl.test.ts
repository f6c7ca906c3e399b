import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { RunStore } from '../../src/store/types.js';
import type { YarnStore } from '../../src/store/yarn.js';
import { yarnClient, yarnHost } from '../../src/yarn/client.js';
import { pollYarn } from '../../src/yarn/crawl.js';
import { fixtureApps, startRmStandIn, type RmStandIn } from '../support/rm-server.js';
import { REFUSED_PORT } from '../support/loopback-http.js';

// One poll of a loopback ResourceManager into a real SQLite file: what is stored, what the next poll asks for,
// and what happens when the ResourceManager misbehaves.

const dir = mkdtempSync(join(tmpdir(), 'spot-yarn-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let rm: RmStandIn;
let store: RunStore & YarnStore;
let path: string;
let n = 0;
const NOW = new Date('2024-05-01T10:00:00.000Z');

beforeEach(async () => {
  rm = await startRmStandIn();
  path = join(dir, `yarn-${n++}.db`);
  store = await SqliteStore.open(path);
});
afterEach(async () => {
  await store.close();
  await rm.close();
});

function client(url = rm.url, retries = 2) {
  return yarnClient({ url, timeoutMs: 30_000, retries, retryBaseMs: 0 });
}

async function poll(at = NOW, c = client()) {
  try {
    return await pollYarn({ client: c, store, yarnHost: yarnHost(c.baseUrl), now: () => at });
  } finally {
    await c.close();
  }
}

function rows<T>(sql: string): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
const count = (table: string) => rows<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n;

describe('a YARN poll', () => {
  test('stores one cluster document, the finished apps (id = app id) and the scheduler documents; asks the four endpoints', async () => {
    const s = await poll();
    assert.deepEqual(s, { clusterDoc: true, apps: 2, schedulerDocs: 9, errors: 0, warnings: [] });
    assert.equal(count('yarn_cluster'), 1);
    assert.deepEqual(
      rows<{ app_id: string }>('SELECT app_id FROM yarn_apps ORDER BY app_id').map((r) => r.app_id),
      ['application_1326815542473_0001', 'application_1326815542473_0002'],
    );
    assert.equal(count('yarn_scheduler'), 9);
    const asked = rm.requests.map((r) => decodeURIComponent(r));
    assert.ok(asked.includes('/ws/v1/cluster/metrics'));
    assert.ok(asked.includes('/ws/v1/cluster/appstatistics'));
    assert.ok(asked.includes('/ws/v1/cluster/appstatistics?applicationTypes=SPARK'));
    assert.ok(asked.includes('/ws/v1/cluster/appstatistics?applicationTypes=MAPREDUCE'));
    assert.ok(asked.includes('/ws/v1/cluster/scheduler'));
    assert.ok(asked.includes('/ws/v1/cluster/apps?states=FINISHED,KILLED,FAILED'), asked.join('\n'));
    const [cluster] = rows<{ doc: string }>('SELECT doc FROM yarn_cluster');
    const doc = JSON.parse(cluster!.doc);
    assert.equal(doc.appStatInfo.all.ACCEPTED, 4);
    assert.equal(doc.appStatInfo.SPARK.FAILED, 0);
    assert.equal(doc.spot.yarn_host, '127.0.0.1');
  });

  test('the next poll asks only for apps finished since the newest stored one, and a re-listed app stays one document', async () => {
    await poll();
    rm.requests.length = 0;
    const later = {
      ...fixtureApps()[1]!,
      id: 'application_1326815542473_0003',
      finishedTime: 1326815999000,
      queue: 'a',
    };
    rm.apps.push(later);
    const s = await poll(new Date(NOW.getTime() + 60_000));
    const apps = rm.requests.filter((r) => r.startsWith('/ws/v1/cluster/apps?'));
    assert.equal(apps.length, 1);
    assert.match(decodeURIComponent(apps[0]!), /finishedTimeBegin=1326815789546/);
    // The newest stored app is listed again (the bound is inclusive) and simply overwritten: one new app.
    assert.equal(s.apps, 1);
    assert.equal(count('yarn_apps'), 3);
    assert.equal(count('yarn_cluster'), 2);
    assert.equal((await store.latestYarnFinishedTime('127.0.0.1'))?.getTime(), 1326815999000);
    const byId = await store.yarnAppsById(['application_1326815542473_0003', 'nope']);
    assert.deepEqual([...byId.keys()], ['application_1326815542473_0003']);
    assert.equal(byId.get('application_1326815542473_0003')!.queue, 'a');
  });

  test('an app stamped in the future (a clock gone wrong) does not hide the apps that finish after it', async () => {
    const tenYears = 10 * 365 * 86_400_000;
    rm.apps.push({
      ...fixtureApps()[1]!,
      id: 'application_1326815542473_0007',
      finishedTime: NOW.getTime() + tenYears,
    });
    await poll();
    rm.apps.push({ ...fixtureApps()[1]!, id: 'application_1326815542473_0008', finishedTime: NOW.getTime() + 30_000 });
    const s = await poll(new Date(NOW.getTime() + 60_000));
    assert.equal(s.apps, 1);
    assert.deepEqual(
      rows<{ app_id: string }>('SELECT app_id FROM yarn_apps ORDER BY app_id').map((r) => r.app_id),
      [
        'application_1326815542473_0001',
        'application_1326815542473_0002',
        'application_1326815542473_0007',
        'application_1326815542473_0008',
      ],
    );
  });

  test('a finish time no date can hold is an error naming the app; an app listed twice counts once', async () => {
    const [first] = fixtureApps();
    rm.apps.push(
      { ...first!, id: 'application_1326815542473_0010', finishedTime: 1e20 },
      { ...first!, queue: 'again' },
    );
    const s = await poll();
    assert.equal(s.apps, 2);
    assert.equal(count('yarn_apps'), 2);
    const [err] = rows<{ doc: string }>('SELECT doc FROM yarn_errors');
    assert.equal(
      JSON.parse(err!.doc).spot.error.message,
      'cluster/apps: application_1326815542473_0010 has no finishedTime (got 100000000000000000000)',
    );
  });

  test('an app the crawler cannot read becomes an error document; the other apps are stored', async () => {
    rm.apps.splice(1, 0, { id: 'application_1326815542473_0009', state: 'FINISHED', name: 'no finish time' });
    const s = await poll();
    assert.equal(s.apps, 2);
    assert.equal(s.errors, 1);
    const [err] = rows<{ type: string; stage: string; doc: string }>('SELECT type, stage, doc FROM yarn_errors');
    assert.equal(err!.type, 'YarnShapeError');
    assert.equal(err!.stage, 'yarn_apps');
    assert.match(JSON.parse(err!.doc).spot.error.message, /application_1326815542473_0009 has no finishedTime/);
  });

  test('5xx, dropped connections and truncated JSON are retried; the poll still stores everything', async () => {
    rm.fail('cluster/metrics', 503, 'reset');
    rm.fail('cluster/apps', 'truncate');
    rm.fail('cluster/scheduler', 500);
    const s = await poll();
    assert.deepEqual(s, { clusterDoc: true, apps: 2, schedulerDocs: 9, errors: 0, warnings: [] });
    assert.equal(rm.requests.filter((r) => r === '/ws/v1/cluster/metrics').length, 3);
  });

  test('a part that keeps failing becomes an error document of its stage; the other parts are stored', async () => {
    rm.breakEndpoint('cluster/scheduler', 'html'); // e.g. a Kerberos login page in front of one path
    const s = await poll();
    assert.equal(s.clusterDoc, true);
    assert.equal(s.apps, 2);
    assert.equal(s.schedulerDocs, 0);
    const errs = rows<{ type: string; stage: string; doc: string }>('SELECT type, stage, doc FROM yarn_errors');
    assert.deepEqual(
      errs.map((e) => [e.type, e.stage]),
      [['JSONDecodeError', 'yarn_scheduler_docs']],
    );
    assert.match(
      JSON.parse(errs[0]!.doc).spot.error.message,
      /^ResourceManager sent an unusable answer for .*cluster\/scheduler: HTML instead of JSON/,
    );
    const doc = JSON.parse(rows<{ doc: string }>('SELECT doc FROM yarn_cluster')[0]!.doc);
    assert.equal(doc.schedulerInfo, undefined, 'the cluster document goes without the scheduler summary');

    rm.breakEndpoint('cluster/metrics', 403);
    const s2 = await poll(new Date(NOW.getTime() + 60_000));
    assert.equal(s2.clusterDoc, false);
    const types = rows<{ type: string; stage: string }>(
      'SELECT type, stage FROM yarn_errors ORDER BY time_processed, stage',
    );
    assert.deepEqual(
      types
        .slice(1)
        .map((e) => `${e.stage}:${e.type}`)
        .sort(),
      ['yarn_cluster_stats:HTTPError', 'yarn_scheduler_docs:JSONDecodeError'],
    );
  });

  test('an unreachable ResourceManager: every part is an error document and the summary says so', async () => {
    const port = REFUSED_PORT;
    const s = await poll(NOW, client(`http://127.0.0.1:${port}`, 0));
    assert.equal(s.errors, 3);
    assert.match(s.unreachable ?? '', /ECONNREFUSED/);
    const errs = rows<{ type: string; doc: string }>('SELECT type, doc FROM yarn_errors');
    assert.ok(errs.every((e) => e.type === 'ConnectionError'));
    assert.match(
      JSON.parse(errs[0]!.doc).spot.error.message,
      /^cannot reach the ResourceManager at http:\/\/127\.0\.0\.1:\d+\/ws\/v1: connection refused/,
    );
  });

  test('an empty ResourceManager ({"apps": null}) stores no apps and no error', async () => {
    rm.apps.length = 0;
    const s = await poll();
    assert.equal(s.apps, 0);
    assert.equal(s.errors, 0);
  });
});
