// Start-up cost of `spot --help` and spot-submit, each against `node -e 0` measured in the same run (median of
// RUNS each, interleaved so that machine noise hits all alike), and where spot-submit's time goes by phase.
// spot-submit works on 10,000 stored runs of the job. Rows: `spot --help` (target <= 1.5x node);
// `spot-submit --spot-dry-run` (advice printed, nothing launched); spot-submit launching a no-op spark-submit
// (target <= 4x node: advice, launch, and the outcome stored), and the same with its stdout and stderr one file,
// where spark-submit's two streams share one pipe (through a shell that execs it). The phases are timed in one
// fresh Node process that does spot-submit's steps one after the other (performance.now() counts from the
// process's start, so the first phase is Node's own start-up). The job's model is fitted when its runs are stored
// (as spot import does), so a launch without an input size looks it up; one that gives a size no model was kept for
// fits its own (the rows marked "the same ..."). Build first (npm run build).
// Run: node --import tsx bench/submit.ts   (BENCH_RUNS=N, default 15)
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SqliteStore } from '../src/store/sqlite.js';
import { prefitJob } from '../src/submit/prefit.js';
import { runJob } from '../src/demo/job-model.js';
import type { RunRecord } from '../src/types.js';
import { ROOT, SPOT_BIN, SPOT_SUBMIT_BIN } from '../test/support/paths.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const STORED = 10_000;
const APP = 'com.acme.DailyEtl';
const GIB = 1024 ** 3;
/**
 * Input sizes for launches that give one (`--spot-input-bytes`): a new size each time, 5% apart, so that no model kept
 * for an earlier size matches and each such launch fits its own (sizes are asked about on a 2% grid).
 */
let sizedLaunches = 0;
const nextSize = () => String(Math.round(30 * GIB * 1.05 ** sizedLaunches++));

const dir = mkdtempSync(join(tmpdir(), 'spot-bench-submit-'));
try {
  const store = await SqliteStore.open(join(dir, 'spot.db'));
  const records: RunRecord[] = [];
  const t0 = Date.parse('2020-01-01T00:00:00Z');
  for (let i = 0; i < STORED; i++) {
    const executors = [5, 10, 20, 40][i % 4]!;
    const executorCores = [2, 4][i % 2]!;
    const inputBytes = Math.round((10 + (i % 97)) * GIB);
    const run = runJob(
      inputBytes,
      { executors, executorCores, executorMemoryBytes: 8 * GIB, shufflePartitions: 200 },
      `r${i}`,
    );
    records.push({
      id: `application_1_${i}-0`,
      app: APP,
      inputBytes,
      executors,
      executorCores,
      executorMemoryBytes: 8 * GIB,
      shufflePartitions: 200,
      durationMs: run.durationMs,
      coreMs: run.coreHours * 3.6e6,
      succeeded: true,
      endTime: new Date(t0 + i * 3_600_000).toISOString(),
      source: 'import',
    });
  }
  await store.putRecords(records);
  // As `spot import` does: the job's model is fitted when its runs are stored, so launches look it up.
  const { configSchema } = await import('../src/config/schema.js');
  const kept = await prefitJob(store, configSchema.parse({}), APP);
  process.stdout.write(`model fitted when the runs were stored: ${JSON.stringify(kept)}\n`);
  await store.close();

  const trivial = join(dir, 'spark-submit');
  writeFileSync(trivial, '#!/bin/sh\nexit 0\n');
  chmodSync(trivial, 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SPOT_HOME: dir,
    SPOT_SUBMIT_SPARK_SUBMIT: trivial,
    SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000',
  };
  for (const k of Object.keys(env))
    if (
      k.startsWith('SPOT_') &&
      !['SPOT_HOME', 'SPOT_SUBMIT_SPARK_SUBMIT', 'SPOT_SUBMIT_ADVICE_TIMEOUT_MS'].includes(k)
    )
      delete env[k];
  const job = [
    '--master',
    'yarn',
    '--num-executors',
    '20',
    '--executor-cores',
    '4',
    '--executor-memory',
    '8g',
    '--class',
    APP,
    'etl.jar',
    '--date',
    '2024-01-31',
  ];

  const log = join(dir, 'job.log');
  /** `oneFile`: stdout and stderr one file, as `spot-submit ... > log 2>&1` runs it. */
  const time = (args: string[], oneFile = false): number => {
    const fd = oneFile ? openSync(log, 'w') : undefined;
    const start = performance.now();
    const r = spawnSync(process.execPath, args, {
      env,
      cwd: dir,
      encoding: 'utf8',
      ...(fd === undefined ? {} : { stdio: ['ignore', fd, fd] }),
    });
    if (fd !== undefined) closeSync(fd);
    const ms = performance.now() - start;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (args.includes('--spot-dry-run') && !args.includes('--spot-off') && !/^advice /m.test(r.stdout))
      throw new Error(`no advice in the dry run: ${r.stdout}${r.stderr}`);
    return ms;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  // One fresh process doing spot-submit's steps in order, each timed; prints the milliseconds as JSON. It loads
  // what a launch loads: spot-submit's compiled modules, then the build's bundle of the advice process (its
  // chunks, by name), the config kept by an earlier launch, the store, and the model kept for the job.
  const dist = (f: string) => JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'src', f)).href);
  const chunk = (name: string) => {
    const file = readdirSync(join(ROOT, 'dist', 'launch')).find((f) => f.startsWith(`${name}-`) && f.endsWith('.js'));
    if (!file) throw new Error(`no ${name} chunk in dist/launch: npm run build first`);
    return JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'launch', file)).href);
  };
  // The config as an earlier launch kept it (the phase run's build id is its own, not the bundle's).
  const { configInput, keepConfig } = await import(
    pathToFileURL(join(ROOT, 'dist', 'src', 'submit', 'config-cache.js')).href
  );
  const { loadConfig } = await import('../src/config/load.js');
  keepConfig(configInput(env, { cwd: dir, buildId: 'bench-phases' }), await loadConfig({ env, cwd: dir }));
  const phaseScript = `
    const t = [performance.now()];
    const mark = () => t.push(performance.now());
    await import(${dist('cli/submit.js')}); mark();
    const { configInput, cachedConfig } = await import(${dist('submit/config-cache.js')}); mark();
    const loaded = cachedConfig(configInput(process.env, { buildId: 'bench-phases' })); mark();
    if (!loaded) throw new Error('the kept config was not found');
    const [{ openStore }, { planLaunch }] = await Promise.all([import(${chunk('compose')}), import(${chunk('plan')}), import(${chunk('sqlite')}), import(${chunk('advise')})]); mark();
    const store = await openStore(loaded); mark();
    const plan = await planLaunch(${JSON.stringify(['--spot-dry-run', ...job])}, { config: loaded.config, store, env: process.env, record: false }); mark();
    const sizedArgs = process.argv.slice(1);
    const sized = await planLaunch(sizedArgs, { config: loaded.config, store, env: process.env, record: false });
    mark();
    const fitted = (sized.advice.reasons ?? []).some((r) => r.code === 'model-fitted-at-launch');
    if (!fitted) throw new Error('a kept model matched the new size');
    await store.close();
    if (!plan.advice) throw new Error('no advice');
    if ((plan.advice.reasons ?? []).some((r) => r.code === 'model-fitted-at-launch')) throw new Error('the model was fitted, not looked up');
    const { launchSparkSubmit } = await import(${dist('submit/launch.js')}); mark();
    await launchSparkSubmit(${JSON.stringify(trivial)}, plan.argv, process.env); mark();
    console.log(JSON.stringify(t.map((x, i) => (i === 0 ? x : x - t[i - 1]))));`;
  const PHASES = [
    "Node's own start-up (the phase run's first mark)",
    "spot-submit's own modules (arguments, advice process, locate)",
    'advice process: config cache module (no schema, no YAML parser)',
    'advice process: the config an earlier launch validated and kept',
    'advice process: store and advisor chunks (better-sqlite3, models)',
    'advice process: opening the store',
    'advice process: reading the runs, looking the model up, advising',
    '  the same at an input size no model was kept for (fitted at launch)',
    'launcher module (node:child_process)',
    'running the no-op spark-submit',
  ];
  const phases = (): number[] => {
    const sizedArgs = ['--spot-dry-run', '--spot-input-bytes', nextSize(), ...job];
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', phaseScript, '--', ...sizedArgs], {
      env,
      cwd: dir,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`phase run exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as number[];
  };

  const sample = spawnSync(process.execPath, [SPOT_SUBMIT_BIN, '--spot-dry-run', ...job], {
    env,
    cwd: dir,
    encoding: 'utf8',
  });
  process.stdout.write(`dry run output (${STORED} stored runs of ${APP}):\n${sample.stdout.replace(/^/gm, '  ')}`);

  time([SPOT_SUBMIT_BIN, '--spot-dry-run', ...job]); // warm the file cache
  const rows: { label: string; args: string[] | (() => string[]); ms: number[]; target?: number; oneFile?: boolean }[] =
    [
      { label: 'node -e 0 (baseline)', args: ['-e', '0'], ms: [] },
      { label: 'spot --help', args: [SPOT_BIN, '--help'], ms: [], target: 1.5 },
      {
        label: 'spot-submit --spot-off --spot-dry-run (no advice)',
        args: [SPOT_SUBMIT_BIN, '--spot-off', '--spot-dry-run', ...job],
        ms: [],
      },
      { label: 'spot-submit --spot-dry-run', args: [SPOT_SUBMIT_BIN, '--spot-dry-run', ...job], ms: [] },
      {
        label: '  the same with a new --spot-input-bytes (fits)',
        args: () => [SPOT_SUBMIT_BIN, '--spot-dry-run', '--spot-input-bytes', nextSize(), ...job],
        ms: [],
      },
      { label: 'spot-submit launching a no-op spark-submit', args: [SPOT_SUBMIT_BIN, ...job], ms: [], target: 4 },
      {
        label: '  the same, its stdout and stderr one file (> log 2>&1)',
        args: [SPOT_SUBMIT_BIN, ...job],
        ms: [],
        oneFile: true,
      },
    ];
  const phaseRuns: number[][] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const row of rows) row.ms.push(time(typeof row.args === 'function' ? row.args() : row.args, row.oneFile));
    phaseRuns.push(phases());
  }
  const n = median(rows[0]!.ms);
  process.stdout.write(`\nmedian of ${RUNS} runs each, interleaved (${resolve(ROOT)}):\n`);
  for (const row of rows) {
    const m = median(row.ms);
    const target = row.target ? `   (target <= ${row.target}x: ${m / n <= row.target ? 'met' : 'NOT met'})` : '';
    process.stdout.write(
      `  ${row.label.padEnd(52)} ${m.toFixed(0).padStart(6)} ms  ${(m / n).toFixed(2).padStart(5)}x node${target}\n`,
    );
  }
  process.stdout.write(
    `\nwhere the time goes: spot-submit's steps one after the other in one process, median of ${RUNS}\n`,
  );
  PHASES.forEach((label, i) => {
    const m = median(phaseRuns.map((p) => p[i]!));
    process.stdout.write(
      `  ${label.padEnd(72)} ${m.toFixed(0).padStart(6)} ms  ${(m / n).toFixed(2).padStart(5)}x node\n`,
    );
  });
  process.stdout.write(
    '  (spot-submit starts the advice process first thing: its own modules load while that second Node starts,\n' +
      '   so a launch costs about two Node start-ups plus the advice process steps; --spot-off skips them all)\n',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
