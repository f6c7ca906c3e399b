// spot-submit's fail-open latency: wall time from starting spot-submit to spark-submit's start, and from
// spark-submit's exit to spot-submit's exit, healthy and with each fault (a store that accepts and never answers, a
// FIFO config, a missing spark-submit), against `node -e 0` and against the stand-in launched directly, in the same run
// (median of RUNS each, interleaved). The stand-in spark-submit is a shell script that stamps the clock when it
// starts and just before it exits. Build first (npm run build).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/store/sqlite.js';
import type { RunRecord } from '../src/types.js';
import { SPOT_SUBMIT_BIN } from '../test/support/paths.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BUDGET_MS = 3000; // submit.adviceTimeoutMs's default: a hung store costs this before the launch, by design
const APP = 'com.acme.DailyEtl';
const GIB = 1024 ** 3;

const dir = mkdtempSync(join(tmpdir(), 'spot-bench-fail-open-'));
const nowNs = (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

interface Sample {
  /** spot-submit started → spark-submit started (ms); undefined when it never started. */
  toStart?: number;
  /** spark-submit exited → spot-submit exited (ms); for a launch that never happened, start → exit. */
  toExit: number;
  code: number | null;
  /** spot-submit printed an advice line (rather than launching unchanged). */
  advised: boolean;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Sample> {
  const marks = join(dir, 'marks');
  rmSync(`${marks}.start`, { force: true });
  rmSync(`${marks}.end`, { force: true });
  const t0 = nowNs();
  const child = spawn(command, args, { env: { ...env, MARK: marks }, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      const t1 = nowNs();
      const read = (f: string) => {
        try {
          return BigInt(readFileSync(f, 'utf8').trim());
        } catch {
          return undefined;
        }
      };
      const start = read(`${marks}.start`);
      const end = read(`${marks}.end`);
      const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
      resolve({
        toStart: start === undefined ? undefined : ms(t0, start),
        toExit: end === undefined ? ms(t0, t1) : ms(end, t1),
        code,
        advised: /^spot-submit: advice /m.test(stderr),
      });
    });
  });
}

try {
  const home = join(dir, 'home');
  mkdirSync(home);
  const store = await SqliteStore.open(join(home, 'spot.db'));
  const records: RunRecord[] = Array.from({ length: 200 }, (_, i) => ({
    id: `application_1_${i}-0`,
    app: APP,
    inputBytes: (10 + (i % 40)) * GIB,
    executors: [5, 10, 20][i % 3]!,
    executorCores: 4,
    executorMemoryBytes: 8 * GIB,
    durationMs: 600_000 / [5, 10, 20][i % 3]! + 60_000,
    succeeded: true,
    endTime: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
    source: 'import',
  }));
  await store.putRecords(records);
  await store.close();

  const standIn = join(dir, 'spark-submit');
  writeFileSync(standIn, '#!/bin/sh\ndate +%s%N > "$MARK.start"\ndate +%s%N > "$MARK.end"\nexit 3\n');
  chmodSync(standIn, 0o755);
  // An Elasticsearch address that takes the connection and never answers: the store hangs, not fails.
  // Unreferenced, it holds nothing open when the bench ends.
  const silent = createServer((socket) => socket.unref());
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silent.unref();
  const silentPort = (silent.address() as AddressInfo).port;
  const fifoDir = join(dir, 'fifo-project');
  mkdirSync(fifoDir);
  spawnSync('mkfifo', [join(fifoDir, '.spotrc.yml')]);
  const plain = join(dir, 'project');
  mkdirSync(plain);

  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SPOT_')) base[k] = v;
  Object.assign(base, {
    HOME: dir,
    SPOT_HOME: home,
    SPOT_SUBMIT_SPARK_SUBMIT: standIn,
    SPOT_SUBMIT_ADVICE_TIMEOUT_MS: String(BUDGET_MS),
  });
  const job = [
    '--master',
    'yarn',
    '--num-executors',
    '20',
    '--executor-cores',
    '4',
    '--class',
    APP,
    'etl.jar',
    '--date',
    '2024-01-31',
  ];
  const cases: { name: string; command: string; args: string[]; env?: NodeJS.ProcessEnv; cwd?: string }[] = [
    { name: 'node -e 0 (baseline)', command: process.execPath, args: ['-e', '0'] },
    { name: 'stand-in spark-submit alone (baseline)', command: standIn, args: job },
    { name: 'spot-submit, healthy (advised)', command: process.execPath, args: [SPOT_SUBMIT_BIN, ...job] },
    { name: 'spot-submit --spot-off', command: process.execPath, args: [SPOT_SUBMIT_BIN, '--spot-off', ...job] },
    {
      name: `hung store (accepts, never answers), budget ${BUDGET_MS} ms`,
      command: process.execPath,
      args: [SPOT_SUBMIT_BIN, ...job],
      env: { SPOT_STORE_TYPE: 'elasticsearch', SPOT_ELASTICSEARCH_URL: `http://127.0.0.1:${silentPort}` },
    },
    { name: '.spotrc.yml is a FIFO', command: process.execPath, args: [SPOT_SUBMIT_BIN, ...job], cwd: fifoDir },
    {
      name: '--spot-off, .spotrc.yml is a FIFO',
      command: process.execPath,
      args: [SPOT_SUBMIT_BIN, '--spot-off', ...job],
      cwd: fifoDir,
    },
    {
      name: 'spark-submit missing (exit 127)',
      command: process.execPath,
      args: [SPOT_SUBMIT_BIN, ...job],
      env: { SPOT_SUBMIT_SPARK_SUBMIT: join(dir, 'nowhere', 'spark-submit') },
    },
  ];

  const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const c of cases)
      samples.get(c.name)!.push(await run(c.command, c.args, { ...base, ...c.env }, c.cwd ?? plain));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const nodeMs = median(samples.get(cases[0]!.name)!.map((s) => s.toExit));
  process.stdout.write(
    `median of ${RUNS} runs each; times in ms; node -e 0 takes ${nodeMs.toFixed(0)} ms start to exit\n\n`,
  );
  process.stdout.write(
    `${'case'.padEnd(48)} ${'to start'.padStart(9)} ${'exit after'.padStart(11)}  exit code  advised\n`,
  );
  for (const c of cases.slice(1)) {
    const s = samples.get(c.name)!;
    const starts = s.map((x) => x.toStart).filter((x): x is number => x !== undefined);
    const toStart = starts.length === s.length ? median(starts).toFixed(0) : 'never';
    const toExit = median(s.map((x) => x.toExit)).toFixed(0);
    const codes = [...new Set(s.map((x) => x.code))].join(',');
    const advised = `${s.filter((x) => x.advised).length}/${s.length}`;
    process.stdout.write(
      `${c.name.padEnd(48)} ${toStart.padStart(9)} ${toExit.padStart(11)}  ${codes.padEnd(9)}  ${advised}\n`,
    );
  }
  process.stdout.write(
    `\n"to start": spot-submit started -> spark-submit started. "exit after": spark-submit exited -> spot-submit exited\n(for a launch that never happened: start -> exit). Compare with node -e 0 (${nodeMs.toFixed(0)} ms).\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
