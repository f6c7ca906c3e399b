import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// bench/loop over several seeds: one line per seed, cluster and job, then one line over all of them.

const LOOP = fileURLToPath(new URL('../../bench/loop.ts', import.meta.url));
const loop = async (...args: string[]) =>
  (await promisify(execFile)(process.execPath, ['--import', 'tsx', LOOP, ...args], { maxBuffer: 1 << 20 })).stdout;

describe('bench/loop --seed S1,S2', () => {
  test('prints each seed’s line per cluster and job and one line over all pairs', async () => {
    const stdout = await loop('under-provisioned', '--seed', 's1,s2');
    const pairs = stdout.split('\n').filter((l) => /^ {2}s[12] +default +under-provisioned +core-h/.test(l));
    assert.equal(pairs.length, 2, stdout);
    assert.match(stdout, /over 2 seed × cluster × job pairs: \d+ over a limit; core-hours against the fixed settings/);
    assert.doesNotMatch(stdout, /rule: 20 executors/, 'several seeds print no per-job detail');
  });
});

describe('bench/loop --cluster A,B with one seed', () => {
  test('ends with one line over every cluster and job pair, as several seeds do', async () => {
    const stdout = await loop('under-provisioned', '--cluster', 'default,parallel');
    const pairs = stdout.split('\n').filter((l) => /^ {2}(default|parallel) +under-provisioned +core-h/.test(l));
    assert.equal(pairs.length, 2, stdout);
    assert.match(stdout, /over 2 cluster × job pairs: \d+ over a limit; core-hours against the fixed settings [\d.]+×/);
  });

  test('one pair has no line over all pairs', async () => {
    assert.doesNotMatch(await loop('under-provisioned'), /job pairs:/);
  });
});

describe('bench/loop --shapes held-out', () => {
  test('runs the job shapes the advisor was not tuned on, each against the limits', async () => {
    const stdout = await loop('long driver', '--shapes', 'held-out');
    assert.match(stdout, /^ {2}default +long driver +core-h [\d.]+× \(best [\d.]+×\).*(ok|OVER A LIMIT)$/m, stdout);
    assert.doesNotMatch(stdout, /over-provisioned ETL/);
  });
});

describe('bench/loop --candidates N', () => {
  test('prints, under launch N only, every candidate weighed and the advice’s reasons', async () => {
    const stdout = await loop('under-provisioned', '--candidates', '5');
    const lines = stdout.split('\n');
    const at = lines.findIndex((l) => /^ {4}# 5 /.test(l));
    assert.ok(at >= 0, stdout);
    const under = lines.slice(
      at + 1,
      lines.findIndex((l, i) => i > at && /^ {4}# 6 /.test(l)),
    );
    assert.ok(
      under.some((l) => /^ {10}\d+ × \d+, [\d.]+g, \d+ p +[\d.]+\/[\d.]+ s +[\d.]+ core-h/.test(l)),
      stdout,
    );
    assert.ok(
      under.some((l) => /^ {10}[a-z-]+: \S/.test(l)),
      'the reasons, code and words',
    );
    const afterSix = lines.slice(lines.findIndex((l) => /^ {4}# 6 /.test(l)) + 1);
    assert.ok(
      afterSix.every((l) => !/^ {10}\S/.test(l)),
      'no other launch lists its candidates',
    );
  });
});

describe('bench/loop --schedule NAME --dynamic-allocation', () => {
  test('launches under dynamic allocation on the schedule named, and judges each job against the limits', async () => {
    const stdout = await loop('under-provisioned', '--schedule', 'tiny', '--dynamic-allocation');
    assert.match(
      stdout,
      /^under-provisioned: fixed up to 4 × 2, .*inputs 5–60 GiB, on schedule tiny 0\.0\d+–0\.0\d+ GiB;/m,
    );
    assert.match(
      stdout,
      /^ {2}default +under-provisioned +core-h [\d.]+× \(best [\d.]+×\).*(ok|OVER A LIMIT)$/m,
      stdout,
    );
  });

  test('an unknown schedule is a usage error that names the known ones', async () => {
    await assert.rejects(loop('--schedule', 'nope'), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 2);
      assert.match(e.stderr, /unknown --schedule nope; one of: jump100, tiny, huge, grow/);
      return true;
    });
  });
});
