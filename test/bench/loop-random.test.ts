import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expected } from '../../bench/loop/cluster.js';
import { randomJobs } from '../../bench/loop/random-jobs.js';
import { VARIANTS } from '../../bench/loop/variants.js';

// bench/loop --shapes random:N: shapes nobody picked, yet the same ones on every run, each a fair baseline.

const GIB = 1024 ** 3;

describe('bench/loop random job shapes', () => {
  test('one generator name draws the same shapes every time; another draws others', () => {
    assert.deepEqual(randomJobs(5), randomJobs(5));
    assert.deepEqual(randomJobs(3), randomJobs(5).slice(0, 3), 'asking for more keeps the first ones');
    assert.notDeepEqual(
      randomJobs(5, 'other').map((j) => j.fixed),
      randomJobs(5).map((j) => j.fixed),
    );
  });

  test("each shape's fixed settings run its largest input on every cluster variant, across a wide spread of jobs", () => {
    const jobs = randomJobs(100);
    assert.equal(new Set(jobs.map((j) => j.name)).size, 100);
    for (const j of jobs)
      for (const v of VARIANTS) assert.equal(expected(v.apply(j), j.maxGiB * GIB, j.fixed).failed, false, j.name);
    const spread = (xs: number[]) => Math.max(...xs) / Math.min(...xs);
    assert.ok(spread(jobs.map((j) => j.fixed.executors)) >= 10);
    assert.ok(spread(jobs.map((j) => j.maxGiB)) >= 1000);
    assert.ok(jobs.some((j) => j.adaptive) && jobs.some((j) => !j.adaptive));
  });
});
