import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startHistoryServer } from '../../src/simulator/history-server.js';
import { READ_ONLY_ACTIONS } from '../support/es-protocol.js';
import { startEsStandin, type EsStandinOptions } from '../support/es-standin.js';
import { runSpot, SINCE, specs, tempHome } from '../crawl/support.js';
import { runSubmit, sandbox, spotLines } from '../submit/run-submit.js';

// A team's reader (a Kibana user's role: `read` on Spot's indexes, no cluster privilege) runs the commands that only
// read against the history a crawler's role wrote: they open the store without asking for a write, and the report's
// YARN indexes, never crawled, read as none.

const WRITES = /^(PUT|DELETE|POST \/[^?]*(_bulk|_refresh))/;

test('spot runs, spot explain and spot report with credentials that may only read', async () => {
  const shs = await startHistoryServer();
  const options: EsStandinOptions = {};
  const es = await startEsStandin(options);
  const home = tempHome();
  const env = { SPOT_STORE_TYPE: 'elasticsearch', SPOT_ELASTICSEARCH_URL: es.url, SPOT_ELASTICSEARCH_CLUSTER: 'prod' };
  try {
    const apps = specs(3, 'application_1709251200020');
    for (const s of apps) shs.addSpec(s);
    const crawl = await runSpot(['crawl', '--once', '--history-server', shs.url, '--since', SINCE], home, { env });
    assert.equal(crawl.code, 0, crawl.stderr);
    options.grantedActions = READ_ONLY_ACTIONS;
    const from = es.requests.length;
    const runs = await runSpot(['runs'], home, { env });
    assert.equal(runs.code, 0, runs.stderr);
    assert.match(runs.stdout, /application_1709251200020/);
    const explain = await runSpot(['explain', apps[0]!.id], home, { env });
    assert.equal(explain.code, 0, explain.stderr);
    const report = await runSpot(['report', '--out', join(home.dir, 'report.html')], home, { env });
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stderr, /charts over 3 runs/);
    assert.deepEqual(
      es.requests.slice(from).filter((r) => WRITES.test(r)),
      [],
    );
    assert.ok(![...es.indexes.keys()].some((i) => i.includes('yarn')), 'no YARN index created');
  } finally {
    await Promise.all([es.close(), shs.close()]);
    home.cleanup();
  }
});

test('spot-submit with credentials that may only read: the advice is given; its record, not storable, is kept', async () => {
  const options: EsStandinOptions = { grantedActions: READ_ONLY_ACTIONS };
  const es = await startEsStandin(options);
  const box = sandbox({
    SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000',
    SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '60000',
    SPOT_STORE_TYPE: 'elasticsearch',
    SPOT_ELASTICSEARCH_URL: es.url,
  });
  try {
    const r = await runSubmit(['--master', 'yarn', '--num-executors', '8', '--name', 'nightly load', 'load.jar'], box);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      spotLines(r.stderr).some((l) => l.includes('; why: spot explain --advice')),
      `the advice line: ${r.stderr}`,
    );
    assert.match(r.stderr, /could not store advice .*their roles lack the privilege.*; kept in /);
    assert.equal(es.indexes.size, 0, 'nothing created');
  } finally {
    box.cleanup();
    await es.close();
  }
});
