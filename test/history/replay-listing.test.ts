import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HistoryClient } from '../../src/history/client.js';
import { listCompletedApps } from '../../src/history/listing.js';
import type { ShsApplication } from '../../src/types.js';
import { SHS_FIXTURES } from '../support/paths.js';
import { filterApps, fullAppList, startReplayServer, type ReplayServer } from '../support/shs-replay.js';

const expectationIds = (file: string): string[] =>
  (JSON.parse(readFileSync(join(SHS_FIXTURES, 'expectations', file), 'utf8')) as ShsApplication[]).map((a) => a.id);

const listingRows = readFileSync(join(SHS_FIXTURES, 'urls.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((r) => r.split('\t') as [string, string])
  .filter(([path]) => path === 'applications' || path.startsWith('applications?'));

describe('replay: Spark listing filters evaluated over the full list', () => {
  test('the fixtures hold 11 listing cases', () => assert.equal(listingRows.length, 11));

  for (const [path, file] of listingRows) {
    test(`${path} gives the ids of ${file}`, () => {
      const query = new URLSearchParams(path.split('?')[1] ?? '');
      assert.deepEqual(
        filterApps(fullAppList(), query)?.map((a) => a.id),
        expectationIds(file),
      );
    });
  }

  test('a malformed date is refused', () => {
    assert.equal(filterApps(fullAppList(), new URLSearchParams('minEndDate=yesterday')), undefined);
  });
});

describe('listing through the client against the replay', () => {
  let shs: ReplayServer;
  let client: HistoryClient;
  before(async () => {
    shs = await startReplayServer();
    client = new HistoryClient({ baseUrl: shs.url, timeoutMs: 30_000, retries: 1, retryBaseMs: 5, concurrency: 2 });
  });
  after(async () => {
    await client.close();
    await shs.close();
  });

  test('the crawler form of the minEndDate/maxEndDate case lists the same apps as Spark did', async () => {
    const body = await client.getJson<ShsApplication[]>('applications', {
      status: 'completed',
      minEndDate: '2015-03-16',
      maxEndDate: '2015-05-06T13:03:00.950GMT',
    });
    assert.deepEqual(
      body.map((a) => a.id),
      expectationIds('minEndDate_and_maxEndDate_app_list_json_expectation.json'),
    );
  });

  test('the window walk over the whole history lists every completed app exactly once, oldest first', async () => {
    const seen: string[] = [];
    for await (const app of listCompletedApps(client, {
      from: new Date('2014-01-01T00:00:00Z'),
      to: new Date('2023-01-01T00:00:00Z'),
      stepSeconds: 3600,
      maxAppsPerListing: 1000,
    }))
      seen.push(app.id);
    const all = fullAppList();
    assert.deepEqual([...seen].sort(), all.map((a) => a.id).sort());
    // local-1426533911241 ends (attempt 2) after local-1425081759269 and before local-1430917381535.
    const newestEnd = (id: string) => Math.max(...all.find((a) => a.id === id)!.attempts.map((t) => t.endTimeEpoch));
    const ends = seen.map(newestEnd);
    assert.deepEqual(
      ends,
      [...ends].sort((a, b) => a - b),
    );
  });

  test('an app whose newest attempt ended after `to` is left for a later crawl', async () => {
    // local-1426533911241: attempt 1 ended 2015-03-16T19:25:45.177, attempt 2 on 2015-03-17T23:12:25.177.
    const seen: string[] = [];
    for await (const app of listCompletedApps(client, {
      from: new Date('2015-03-16T00:00:00Z'),
      to: new Date('2015-03-17T00:00:00Z'),
      stepSeconds: 3600,
      maxAppsPerListing: 100,
    }))
      seen.push(app.id);
    assert.equal(seen.length, 0);
    for await (const app of listCompletedApps(client, {
      from: new Date('2015-03-16T00:00:00Z'),
      to: new Date('2015-03-18T00:00:00Z'),
      stepSeconds: 3600,
      maxAppsPerListing: 100,
    }))
      seen.push(app.id);
    assert.deepEqual(seen, ['local-1426533911241']);
  });

  test('the listing asks the end-date window with both bounds in the SHS date form', async () => {
    shs.requests.length = 0;
    for await (const _ of listCompletedApps(client, {
      from: new Date('2015-02-03T16:00:00Z'),
      to: new Date('2015-02-03T16:59:59.999Z'),
      stepSeconds: 3600,
      maxAppsPerListing: 100,
    })) {
      /* drain */
    }
    assert.deepEqual(shs.requests.map(decodeURIComponent), [
      '/api/v1/applications?status=completed&minEndDate=2015-02-03T16:00:00.000GMT&maxEndDate=2015-02-03T16:59:59.999GMT&limit=100',
    ]);
  });
});
