import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JOBS } from '../../bench/loop/cluster.js';
import { fixedArgs, ranSettings } from '../../bench/loop/command-line.js';
import { parseLoopArgs } from '../../bench/loop/options.js';
import { schedule, SCHEDULES } from '../../bench/loop/schedules.js';
import { parseSubmitArgs } from '../../src/submit/args.js';

// bench/loop's --schedule and --dynamic-allocation: each flag read as written, and each doing what it names, so a
// figure printed under one is about that schedule or that way of launching.

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const etl = JOBS[0]!;

describe('bench/loop arguments', () => {
  test('--schedule NAME (or =NAME) picks a schedule; its value is no job name; an unknown one names those known', () => {
    assert.equal(parseLoopArgs([]).schedule, undefined);
    assert.equal(parseLoopArgs(['--schedule', 'huge']).schedule, 'huge');
    assert.equal(parseLoopArgs(['--schedule=tiny']).schedule, 'tiny');
    const picked = parseLoopArgs(['--schedule', 'grow', 'under-provisioned']);
    assert.deepEqual(
      picked.jobs.map((j) => j.name),
      ['under-provisioned'],
    );
    assert.throws(
      () => parseLoopArgs(['--schedule', 'nope']),
      /unknown --schedule nope; one of: jump100, tiny, huge, grow/,
    );
  });

  test('--dynamic-allocation is off unless given', () => {
    assert.equal(parseLoopArgs(['--seed', 's1']).dynamicAllocation, false);
    assert.equal(parseLoopArgs(['--dynamic-allocation']).dynamicAllocation, true);
  });
});

describe('bench/loop input schedules', () => {
  const n = 24;
  test('without a jump, the schedule is the one the figures were first printed with', () => {
    assert.deepEqual(schedule(etl, n, 1), schedule(etl, n));
  });

  test('jump100: every other input 100× the one before, or the range’s top', () => {
    const s = SCHEDULES.jump100(etl, n);
    for (let i = 1; i < n; i += 2)
      assert.ok(Math.abs(s[i]! / s[i - 1]! - 100) < 1e-6 || s[i] === etl.maxGiB * GIB, `${s[i - 1]} → ${s[i]}`);
  });

  test('tiny: 0.5–10 MiB; huge: 1–7.4× the largest input; grow: from the range’s bottom to its top, rising', () => {
    for (const b of SCHEDULES.tiny(etl, n)) assert.ok(b >= 0.5 * MIB - 1 && b <= 10 * MIB + 1, String(b));
    for (const b of SCHEDULES.huge(etl, n)) assert.ok(b >= etl.maxGiB * GIB - 1 && b <= 7.4 * etl.maxGiB * GIB + 1);
    const g = SCHEDULES.grow(etl, n);
    assert.equal(g[0], etl.minGiB * GIB);
    assert.equal(g[n - 1], etl.maxGiB * GIB);
    assert.ok(g.every((b, i) => i === 0 || b > g[i - 1]!));
  });
});

describe('bench/loop --dynamic-allocation launches', () => {
  test('the fixed count is the ceiling alone, and the cluster runs at the ceiling the final command line sets', () => {
    const args = fixedArgs(etl, { dynamicAllocation: true });
    assert.ok(!args.includes('--num-executors'));
    assert.ok(args.includes(`spark.dynamicAllocation.maxExecutors=${etl.fixed.executors}`));
    assert.equal(ranSettings(etl, parseSubmitArgs(args), { dynamicAllocation: true }).executors, etl.fixed.executors);
    const advised = parseSubmitArgs([...args, '--conf', 'spark.dynamicAllocation.maxExecutors=9', 'job.jar']);
    assert.equal(ranSettings(etl, advised, { dynamicAllocation: true }).executors, 9);
    assert.deepEqual(fixedArgs(etl).slice(0, 2), ['--num-executors', String(etl.fixed.executors)]);
  });
});
