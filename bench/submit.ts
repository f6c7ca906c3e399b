// spot-submit's start-up cost: `spot-submit --spot-dry-run` with 10,000 stored runs of the job, against
// `node -e 0` in the same run (median of RUNS each, interleaved so that machine noise hits both alike).
// Target: at most 5x Node's own start-up. Also prints a real launch (dry run off) in front of a trivial
// spark-submit, and where the dry run's time goes by phase. Build first (npm run build).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteStore } from '../src/store/sqlite.js';
import { runJob } from '../src/demo/job-model.js';
import type { RunRecord } from '../src/types.js';
import { ROOT, SPOT_SUBMIT_BIN } from '../test/support/paths.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const STORED = 10_000;
const APP = 'com.acme.DailyEtl';
const GIB = 1024 ** 3;

const dir = mkdtempSync(join(tmpdir(), 'spot-bench-submit-'));
try {
  const store = await SqliteStore.open(join(dir, 'spot.db'));
  const records: RunRecord[] = [];
  const t0 = Date.parse('2020-01-01T00:00:00Z');
  for (let i = 0; i < STORED; i++) {
    const executors = [5, 10, 20, 40][i % 4]!;
    const executorCores = [2, 4][i % 2]!;
    const inputBytes = Math.round((10 + (i % 97)) * GIB);
    const run = runJob(inputBytes, { executors, executorCores, executorMemoryBytes: 8 * GIB, shufflePartitions: 200 }, `r${i}`);
    records.push({
      id: `application_1_${i}-0`, app: APP, inputBytes, executors, executorCores, executorMemoryBytes: 8 * GIB, shufflePartitions: 200,
      durationMs: run.durationMs, coreMs: run.coreHours * 3.6e6, succeeded: true, endTime: new Date(t0 + i * 3_600_000).toISOString(), source: 'import',
    });
  }
  await store.putRecords(records);
  await store.close();

  const trivial = join(dir, 'spark-submit');
  writeFileSync(trivial, '#!/bin/sh\nexit 0\n');
  chmodSync(trivial, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, SPOT_HOME: dir, SPOT_SUBMIT_SPARK_SUBMIT: trivial, SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' };
  for (const k of Object.keys(env)) if (k.startsWith('SPOT_') && !['SPOT_HOME', 'SPOT_SUBMIT_SPARK_SUBMIT', 'SPOT_SUBMIT_ADVICE_TIMEOUT_MS'].includes(k)) delete env[k];
  const job = ['--master', 'yarn', '--num-executors', '20', '--executor-cores', '4', '--executor-memory', '8g', '--class', APP, 'etl.jar', '--date', '2024-01-31'];

  const time = (args: string[]): number => {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, { env, cwd: dir, encoding: 'utf8' });
    const ms = performance.now() - start;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (args.includes('--spot-dry-run') && !/^advice /m.test(r.stdout)) throw new Error(`no advice in the dry run: ${r.stdout}${r.stderr}`);
    return ms;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  const sample = spawnSync(process.execPath, [SPOT_SUBMIT_BIN, '--spot-dry-run', ...job], { env, cwd: dir, encoding: 'utf8' });
  process.stdout.write(`dry run output (${STORED} stored runs of ${APP}):\n${sample.stdout.replace(/^/gm, '  ')}`);

  time([SPOT_SUBMIT_BIN, '--spot-dry-run', ...job]); // warm the file cache
  const node: number[] = [];
  const dry: number[] = [];
  const launch: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    node.push(time(['-e', '0']));
    dry.push(time([SPOT_SUBMIT_BIN, '--spot-dry-run', ...job]));
    launch.push(time([SPOT_SUBMIT_BIN, ...job]));
  }
  const n = median(node);
  const d = median(dry);
  const l = median(launch);
  process.stdout.write(`\nmedian of ${RUNS} runs each (${resolve(ROOT)}):\n`);
  process.stdout.write(`  node -e 0                               ${n.toFixed(0).padStart(5)} ms\n`);
  process.stdout.write(`  spot-submit --spot-dry-run              ${d.toFixed(0).padStart(5)} ms   ${(d / n).toFixed(2)}x node (target <= 5x: ${d / n <= 5 ? 'met' : 'NOT met'})\n`);
  process.stdout.write(`  spot-submit launching a no-op spark-submit ${l.toFixed(0).padStart(2)} ms   ${(l / n).toFixed(2)}x node\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
