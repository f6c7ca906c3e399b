import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.js';
import { parseSubmitArgs } from '../../src/submit/args.js';
import { tagFailOpen } from '../../src/submit/fail-open-tag.js';
import { runSubmit, sandbox } from './run-submit.js';

const JOB = [
  '--master',
  'yarn',
  '--name',
  'nightly etl',
  '--num-executors',
  '20',
  '--class',
  'com.acme.Etl',
  'etl.jar',
  '--in',
  '/data/x',
];

describe('a launch without advice is still tagged', () => {
  test('the command line gains only spark.spot.adviceId, of a "no advice" record for the job', () => {
    const t = tagFailOpen(parseSubmitArgs(JOB), 'no advice within 800 ms', undefined, new Date('2024-01-01T00:00:00Z'));
    assert.deepEqual(t.argv, [...JOB.slice(0, 8), '--conf', `spark.spot.adviceId=${t.advice.id}`, ...JOB.slice(8)]);
    assert.equal(t.advice.app, 'nightly etl');
    assert.equal(t.advice.noAdvice, 'no advice within 800 ms');
    assert.deepEqual(t.advice.reasons, [{ code: 'no-advice', values: { reason: 'no advice within 800 ms' } }]);
    assert.deepEqual(t.advice.baseline, { executors: 20 });
    assert.deepEqual(t.advice.chosen, {});
    assert.deepEqual(t.advice.injected, {});
  });

  test('spot-submit over budget: the run carries the id and the record is stored with the outcome', async () => {
    const box = sandbox();
    const probe = join(box.dir, 'slow-du');
    // Never answers: a probe done in seconds could beat the budget in a spot-submit stalled that long on a busy
    // machine. The advice process's kill ends it with its process group.
    writeFileSync(probe, '#!/bin/sh\nexec sleep 600\n');
    chmodSync(probe, 0o755);
    try {
      const r = await runSubmit(JOB, box, {
        // The record is stored after the job by a fresh advice process: a budget no loaded machine can miss.
        env: {
          SPOT_SUBMIT_INPUT_PROBE: `${probe} {path}`,
          SPOT_SUBMIT_INPUT_PROBE_TIMEOUT_MS: '10000',
          SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '800',
          SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '120000',
        },
      });
      assert.equal(r.code, 0, r.stderr);
      const tag = r.launched?.find((a) => a.startsWith('spark.spot.adviceId='))?.split('=')[1];
      assert.ok(tag, JSON.stringify(r.launched));
      const store = await SqliteStore.open(join(box.home, 'spot.db'));
      try {
        const a = await store.getAdvice(tag);
        assert.equal(a?.app, 'nightly etl');
        assert.match(a?.noAdvice ?? '', /no advice within 800 ms/);
        assert.equal(a?.outcome?.exitCode, 0);
      } finally {
        await store.close();
      }
    } finally {
      box.cleanup();
    }
  });

  test('a dry run that gets no advice prints the command line untagged', async () => {
    const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' });
    try {
      const r = await runSubmit(['--spot-dry-run', ...JOB], box, { env: { SPOT_ADVISOR_MODE: 'sometimes' } });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /adviceId/);
    } finally {
      box.cleanup();
    }
  });
});
