import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MenasClient, MenasError } from '../../src/enceladus/menas-client.js';
import { buildDocuments } from '../../src/documents/build.js';
import { fetchMenasRuns } from '../../src/crawl/menas-runs.js';
import type { JsonObject } from '../../src/types.js';
import { fixtureRun, startMenas, type MenasStandIn } from '../support/menas-server.js';
import { largeBlocksAttempt, nonJsonValues } from '../documents/fixtures.js';

const NAME = 'Enceladus Standardization&Conformance 3.0.0-SNAPSHOT concatenationConformanceRule 1 2020-03-23 1';
const APP_ID = 'local-1663770713457';

function client(menas: MenasStandIn, extra: Partial<ConstructorParameters<typeof MenasClient>[0]> = {}) {
  return new MenasClient({
    url: menas.url,
    username: 'spot',
    password: 'menas-pass',
    timeoutMs: 30_000,
    defaultTimezone: 'UTC',
    retryBaseMs: 1,
    ...extra,
  });
}

describe('Menas client against a loopback Menas', () => {
  let menas: MenasStandIn;
  before(async () => (menas = await startMenas()));
  after(() => menas.close());

  test('logs in with credentials in the form body, never in the URL, and sends the session cookie', async () => {
    const runs = await client(menas).runsBySparkAppId(APP_ID);
    assert.equal(runs.length, 1);
    assert.equal((runs[0] as JsonObject).uniqueId, '274ccaac-19c2-4b3b-af11-8eb0df33a6xxx');
    const login = menas.requests.find((r) => r.method === 'POST')!;
    assert.equal(login.url, '/menas/api/login');
    assert.equal(login.body, 'username=spot&password=menas-pass');
    assert.ok(menas.requests.every((r) => !r.url.includes('menas-pass')));
    const get = menas.requests.find((r) => r.method === 'GET')!;
    assert.equal(get.url, `/menas/api/runs/bySparkAppId/${APP_ID}`);
    assert.match(get.cookie ?? '', /^JWT=jwt-\d+$/);
  });

  test('an unknown app id gives no runs', async () => {
    assert.deepEqual(await client(menas).runsBySparkAppId('application_0_0'), []);
  });

  test('an expired session: logs in again and carries on', async () => {
    const c = client(menas);
    await c.runsBySparkAppId(APP_ID);
    const before = menas.logins;
    menas.expireSessions();
    assert.equal((await c.runsBySparkAppId(APP_ID)).length, 1);
    assert.equal(menas.logins, before + 1);
  });

  test('401 forever: gives up after a bounded number of re-logins', async () => {
    const c = client(menas, { maxRelogins: 2 });
    const before = menas.logins;
    menas.rejectNextGets(100);
    await assert.rejects(c.runsBySparkAppId(APP_ID), (e: unknown) => e instanceof MenasError && e.status === 401);
    assert.equal(menas.logins - before, 3); // the first login and two re-logins
    menas.rejectNextGets(0);
  });

  test('wrong password: a clear error', async () => {
    await assert.rejects(
      client(menas, { password: 'nope' }).runsBySparkAppId(APP_ID),
      /Menas login .* failed: HTTP 401/,
    );
  });
});

describe('Enceladus enrichment end to end (the crawl asks Menas, buildDocuments matches its runs)', () => {
  let menas: MenasStandIn;
  before(async () => (menas = await startMenas()));
  after(() => menas.close());

  function attempt() {
    const a = largeBlocksAttempt();
    return { ...a, app: { id: APP_ID, name: NAME } };
  }

  test('raw: classification, tag and the matched run; agg: checkpoints and postprocessing; record: job key', async () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    const menasRuns = await fetchMenasRuns(client(menas), [attempt()], warn);
    const { raw, aggs, records } = buildDocuments([attempt()], {
      historyHost: 'shs',
      now: new Date('2024-05-01T00:00:00Z'),
      menasRuns,
      warn,
    });
    assert.equal(
      raw.app_specific_data.tag,
      'standardization&conformance_3.0.0-SNAPSHOT_concatenationConformanceRule_1',
    );
    assert.equal(raw.app_specific_data.classification.project, 'enceladus');
    const run = (raw.attempts[0]!.app_specific_data as JsonObject).enceladus_run as JsonObject;
    assert.equal(run.uniqueId, fixtureRun().uniqueId);
    assert.equal(run.startDateTime, '2022-10-03T12:56:49.000Z');
    // the raw document keeps the checkpoints as Menas sent them
    assert.ok(Array.isArray((run.controlMeasure as JsonObject).checkpoints));
    assert.doesNotMatch(JSON.stringify(raw), /menas-credential\.properties/);

    const agg = aggs[0]!;
    const aggRun = (agg.attempt.app_specific_data as JsonObject).enceladus_run as JsonObject;
    const cps = (aggRun.controlMeasure as JsonObject).checkpoints as JsonObject;
    assert.equal(cps.controls_match, true);
    assert.equal(cps.elements_count, 1);
    // std&conf: I = std_input_data_size = 172, O = conform_output_data_size = 8853;
    // max stage inputBytes = 28000128, max outputBytes = 0, M = 28000128 + 0
    assert.deepEqual(agg.attempt.aggs.summary.postprocessing, {
      input_in_storage_HDFS_blocks: 1,
      input_deserialization_factor: 28000128 / 172,
      peak_to_input_memory_factor: 28000128 / 172,
      output_in_storage_HDFS_blocks: 1,
      // output_deserialization_factor left out: no stage wrote output
      peak_to_output_memory_factor: 28000128 / 8853,
      output_to_input_storage_size_ratio: 8853 / 172,
    });
    assert.equal(records[0]!.app, 'standardization&conformance_concatenationConformanceRule_1');
    assert.equal(records[0]!.inputBytes, 172); // what Enceladus measured in storage
    assert.deepEqual(nonJsonValues({ raw, aggs }), []);
    assert.deepEqual(
      warnings.filter((w) => /Menas/.test(w)),
      [],
    );
  });

  test('no matching run: enceladus_run null, no postprocessing', async () => {
    const a = attempt();
    a.app = { id: 'local-1', name: NAME };
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    const menasRuns = await fetchMenasRuns(client(menas), [a], warn);
    const { raw, aggs } = buildDocuments([a], { historyHost: 'shs', now: new Date(), menasRuns, warn });
    assert.deepEqual(raw.attempts[0]!.app_specific_data, { enceladus_run: null });
    assert.equal('postprocessing' in aggs[0]!.attempt.aggs.summary, false);
    assert.ok(warnings.some((w) => /no matching Menas run/.test(w)));
  });

  test('Menas failing: the app is built without its run, noted as unenriched, and a warning says why', async () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    const menasRuns = await fetchMenasRuns(client(menas, { password: 'wrong' }), [attempt()], warn);
    const { raw, aggs } = buildDocuments([attempt()], { historyHost: 'shs', now: new Date(), menasRuns, warn });
    assert.match(String(raw.spot.unenriched), /Menas unavailable: Menas login .* failed: HTTP 401/);
    assert.equal('app_specific_data' in raw.attempts[0]!, false);
    assert.equal(raw.app_specific_data.classification.project, 'enceladus');
    assert.equal(aggs.length, 1);
    assert.ok(warnings.some((w) => /a later crawl adds it/.test(w)));
  });

  test('without Menas an Enceladus app is still classified by name, with no run attached', async () => {
    const { raw } = await buildDocuments([attempt()], { historyHost: 'shs', now: new Date() });
    assert.equal(raw.app_specific_data.classification.type, 'standardization&conformance');
    assert.equal('app_specific_data' in raw.attempts[0]!, false);
  });

  test('building documents asks nobody: the Menas runs are an argument, the result is not a promise', () => {
    // No Menas is listening for this: the runs are handed in as the crawl's fetch phase would.
    const built = buildDocuments([attempt()], {
      historyHost: 'shs',
      now: new Date(),
      menasRuns: { runs: [fixtureRun()] },
    });
    assert.equal(built instanceof Promise, false);
    const run = (built.raw.attempts[0]!.app_specific_data as JsonObject).enceladus_run as JsonObject;
    assert.equal(run.uniqueId, fixtureRun().uniqueId);
    assert.ok(built.aggs[0]!.attempt.aggs.summary.postprocessing);
    const down = buildDocuments([attempt()], {
      historyHost: 'shs',
      now: new Date(),
      menasRuns: { unavailable: 'Menas unavailable: down' },
    });
    assert.equal(down.raw.spot.unenriched, 'Menas unavailable: down');
  });

  test('the fetch phase asks Menas only for an Enceladus job, and only when menas.url is set', async () => {
    const before = menas.requests.length;
    const plain = { ...largeBlocksAttempt(), app: { id: APP_ID, name: 'nightly sales report' } };
    assert.equal(await fetchMenasRuns(client(menas), [plain], () => {}), undefined);
    assert.equal(await fetchMenasRuns(undefined, [attempt()], () => {}), undefined);
    assert.equal(menas.requests.length, before, 'no request to Menas');
    const answer = await fetchMenasRuns(client(menas), [attempt()], () => {});
    assert.ok(answer && 'runs' in answer && answer.runs.length === 1);
  });
});

describe('Menas client shared by concurrent requests', () => {
  test('an expired session noticed by many requests at once leads to one login', async () => {
    const menas = await startMenas();
    try {
      const c = client(menas);
      await c.runsBySparkAppId(APP_ID);
      const before = menas.logins;
      menas.expireSessions();
      const results = await Promise.all(Array.from({ length: 6 }, () => c.runsBySparkAppId(APP_ID)));
      assert.ok(results.every((r) => r.length === 1));
      assert.equal(menas.logins, before + 1);
    } finally {
      await menas.close();
    }
  });
});
