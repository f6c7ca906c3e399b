import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HistoryClient, historyHost, normaliseBaseUrl } from '../../src/history/client.js';
import { HistoryBadResponseError, HistoryNotFoundError } from '../../src/history/errors.js';
import { attemptPath, fetchAppAttempts } from '../../src/history/fetch-attempt.js';
import { TASK_SUMMARY_QUERY } from '../../src/common/task-summary.js';
import { startHistoryServer, type SimHistoryServer } from '../../src/simulator/history-server.js';
import type { ShsApplication } from '../../src/types.js';
import { SHS_FIXTURES } from '../support/paths.js';
import { fullAppList, startReplayServer, type ReplayServer } from '../support/shs-replay.js';

const expectation = (file: string): unknown =>
  JSON.parse(readFileSync(join(SHS_FIXTURES, 'expectations', file), 'utf8'));
const listed = (id: string): ShsApplication => {
  const app = fullAppList().find((a) => a.id === id);
  assert.ok(app, id);
  return app;
};

describe('per-attempt fetch against the fixture replay', () => {
  let shs: ReplayServer;
  let client: HistoryClient;
  before(async () => {
    shs = await startReplayServer();
    client = new HistoryClient({ baseUrl: shs.url, timeoutMs: 30_000, retries: 1, retryBaseMs: 5, concurrency: 4 });
  });
  after(async () => {
    await client.close();
    await shs.close();
  });

  test('local-1422981780767: executors fallback (no allexecutors), stages as Spark listed them, environment missing', async () => {
    shs.requests.length = 0;
    const [a, ...rest] = await fetchAppAttempts(client, listed('local-1422981780767'));
    assert.equal(rest.length, 0);
    assert.ok(a);
    assert.deepEqual(a.app, { id: 'local-1422981780767', name: 'Spark shell' });
    assert.equal(a.attempt.attemptId, undefined);
    assert.deepEqual(a.executors, expectation('executor_list_json_expectation.json'));
    assert.equal(a.executors[0]?.id, 'driver');
    assert.deepEqual(a.stages, expectation('stage_list_json_expectation.json'));
    assert.deepEqual(a.environment, {});
    assert.deepEqual(a.missing, ['environment']);
    // Its job 1 failed (job_list_json): asked for with the status filter, counted.
    assert.equal(a.failedJobs, 1);
    const paths = shs.requests.map((r) => r.replace('/api/v1/applications/local-1422981780767', '')).sort();
    assert.deepEqual(paths, [
      '/allexecutors',
      '/environment',
      '/executors',
      '/jobs?status=failed',
      `/stages?${TASK_SUMMARY_QUERY}`,
    ]);
  });

  test('local-1426533911241: two attempts, newest first, each fetched under <app>/<attemptId>', async () => {
    shs.requests.length = 0;
    const attempts = await fetchAppAttempts(client, listed('local-1426533911241'));
    assert.deepEqual(
      attempts.map((a) => a.attempt.attemptId),
      ['2', '1'],
    );
    const [second, first] = attempts;
    assert.deepEqual(first?.stages, expectation('stage_list_with_accumulable_json_expectation.json'));
    assert.deepEqual(first?.missing, ['executors', 'environment']);
    assert.deepEqual(second?.missing, ['executors', 'stages', 'environment']);
    // Each attempt's own job list (job_list_from_multi_attempt_app_json_1/2): no job failed in either.
    assert.deepEqual([first?.failedJobs, second?.failedJobs], [0, 0]);
    assert.ok(shs.requests.includes(`/api/v1/applications/local-1426533911241/1/stages?${TASK_SUMMARY_QUERY}`));
    assert.ok(shs.requests.includes('/api/v1/applications/local-1426533911241/2/allexecutors'));
    assert.ok(
      shs.requests.every((r) => /local-1426533911241\/[12]\//.test(r)),
      shs.requests.join(' '),
    );
  });

  test('app-20161116163331-0000: the environment as Spark returned it', async () => {
    const [a] = await fetchAppAttempts(client, listed('app-20161116163331-0000'));
    assert.deepEqual(a?.environment, expectation('app_environment_expectation.json'));
    assert.equal(a?.executors.length, 5);
    // No job list was recorded for it: a server without `jobs` leaves the count unknown and the app readable.
    assert.deepEqual(a?.missing, ['stages', 'jobs']);
    assert.equal(a?.failedJobs, undefined);
  });

  test('a holdout app (listed, nothing else replayed) is an unknown app, not retried', async () => {
    shs.requests.length = 0;
    await assert.rejects(fetchAppAttempts(client, listed('app-20200706201101-0003')), (e: unknown) => {
      assert.ok(e instanceof HistoryNotFoundError);
      assert.match(e.message, /^unknown app: app-20200706201101-0003/);
      return true;
    });
    assert.equal(shs.requests.length, 5); // allexecutors, executors, stages, environment, jobs: once each
  });

  test('an id the server never heard of: 404 "unknown app: <id>"', async () => {
    await assert.rejects(client.getJson('applications/foobar'), (e: unknown) => {
      assert.ok(e instanceof HistoryNotFoundError);
      assert.equal(e.body, 'unknown app: foobar');
      return true;
    });
  });
});

describe('per-attempt fetch: wrong JSON types', () => {
  let sim: SimHistoryServer;
  let client: HistoryClient;
  before(async () => {
    sim = await startHistoryServer();
    client = new HistoryClient({ baseUrl: sim.url, timeoutMs: 30_000, retries: 0, retryBaseMs: 5, concurrency: 4 });
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  test('stages that are an object, not an array, fail with a clear error', async () => {
    const app: ShsApplication = {
      id: 'app-x',
      name: 'x',
      attempts: [{ ...listed('local-1422981780767').attempts[0]! }],
    };
    sim.addApp({
      listing: app,
      attempts: { '': { executors: [], stages: { oops: true } as unknown as object[], environment: {} } },
    });
    await assert.rejects(
      fetchAppAttempts(client, app),
      (e: unknown) =>
        e instanceof HistoryBadResponseError &&
        /must be a list, got a mapping/.test(e.message) &&
        /app-x\/stages/.test(e.message),
    );
  });
});

test('base URL and host helpers', () => {
  assert.equal(normaliseBaseUrl('http://shs:18080'), 'http://shs:18080/api/v1');
  assert.equal(normaliseBaseUrl('http://shs:18080/api/v1/'), 'http://shs:18080/api/v1');
  assert.equal(historyHost('https://spark-history.example.com:18080/api/v1'), 'spark-history.example.com');
  assert.equal(attemptPath('application_1_2', '1'), 'applications/application_1_2/1');
  assert.equal(attemptPath('local-1', undefined), 'applications/local-1');
});
