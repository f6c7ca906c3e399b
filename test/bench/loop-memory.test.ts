import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { executorContainerBytes, expected, JOBS, runOnCluster } from '../../bench/loop/cluster.js';
import { ranSettings } from '../../bench/loop/command-line.js';
import { parseSubmitArgs } from '../../src/submit/args.js';

// bench/loop prices the executors' memory as YARN grants it: each container is spark.executor.memory plus the
// overhead Spark requests on top, so a launch that cuts cores and raises memory shows what it holds of both.

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const LOOP = fileURLToPath(new URL('../../bench/loop.ts', import.meta.url));
const job = JOBS.find((j) => j.name === 'under-provisioned')!;

describe('bench/loop: executor memory as Spark sizes the container', () => {
  test('the overhead is 10% of the executor memory in whole MiB, never under 384 MiB', () => {
    const at = (memory: number) => ({ ...job.fixed, executorMemoryBytes: memory });
    assert.equal(executorContainerBytes(at(8 * GIB)), 8 * GIB + 819 * MIB);
    assert.equal(executorContainerBytes(at(4 * GIB)), 4 * GIB + 409 * MIB);
    assert.equal(executorContainerBytes(at(2 * GIB)), 2 * GIB + 384 * MIB);
    assert.equal(executorContainerBytes(at(3_000 * MIB)), 3_000 * MIB + 384 * MIB);
    assert.equal(executorContainerBytes({ ...at(8 * GIB), executorMemoryOverheadBytes: GIB }), 9 * GIB);
  });

  test('a run holds executors × container memory for its run time, with the same noise as its core-hours', () => {
    const s = { executors: 10, executorCores: 2, executorMemoryBytes: 6 * GIB, shufflePartitions: 200 };
    const container = (6 * 1024 + 614) / 1024; // GiB: 6g and max(384, 614) MiB of overhead
    for (const run of [expected(job, 20 * GIB, s), runOnCluster(job, 20 * GIB, s, 'memory')]) {
      const hours = run.durationMs / 3.6e6;
      assert.ok(Math.abs(run.memoryHours - 10 * container * hours) < 1e-9, `${run.memoryHours}`);
      assert.ok(Math.abs(run.coreHours - 20 * hours) < 1e-9);
    }
  });

  test('a launch that sets spark.executor.memoryOverhead (or its pre-2.3 name) runs with that overhead', () => {
    const ran = (...conf: string[]) =>
      ranSettings(job, parseSubmitArgs([...conf.flatMap((c) => ['--conf', c]), 'job.jar'])).executorMemoryOverheadBytes;
    assert.equal(ran(), undefined);
    assert.equal(ran('spark.executor.memoryOverhead=1g'), GIB);
    assert.equal(ran('spark.executor.memoryOverhead=600'), 600 * MIB, 'a bare number is MiB');
    assert.equal(ran('spark.yarn.executor.memoryOverhead=700'), 700 * MIB);
    assert.equal(ran('spark.yarn.executor.memoryOverhead=700', 'spark.executor.memoryOverhead=2g'), 2 * GIB);
  });
});

describe('bench/loop prints memory-hours beside core-hours', () => {
  test('on every line against the fixed settings, against the best grid and over all pairs', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', LOOP, 'under-provisioned', '--cluster', 'default,parallel'],
      { maxBuffer: 1 << 20 },
    );
    const figure = String.raw`[\d.]+×`;
    for (const name of [
      'Spot',
      'best grid setting per input',
      'rule: 20 executors',
      'rule: clamp\\(GB/2, 8, 40\\) exec\\.',
    ])
      assert.match(stdout, new RegExp(`^ {2}${name} +core-h +${figure} {2}memory-h +${figure} {2}time `, 'm'), stdout);
    assert.match(
      stdout,
      new RegExp(`^ {2}Spot against the best grid setting: ${figure} its core-hours, ${figure} its memory-hours$`, 'm'),
    );
    assert.match(
      stdout,
      new RegExp(
        `^ {2}parallel +under-provisioned +core-h ${figure} \\(best ${figure}\\) {2}memory-h ${figure} \\(best`,
        'm',
      ),
    );
    assert.match(
      stdout,
      new RegExp(
        `core-hours against the fixed settings ${figure} \\(geometric mean\\); memory-hours ${figure} \\(geometric`,
      ),
    );
  });
});
