// Crawl throughput and memory against the simulated History Server with 20 ms latency per request:
// apps/s and peak RSS at concurrency 4, 8 and 16 over the same apps in the same run (each against the first), and
// apps/s at concurrency 1 on a few apps as the serial baseline. With --rounds R each concurrency runs R times, in
// turn, and the median is printed (the machine's load changes during a run).
// Each crawl is the compiled CLI, `node bin/spot.js crawl --once` (build first: npm run bench does), in a child
// process with a fresh SPOT_HOME; the simulator runs in this process. Peak RSS is the child's VmHWM, read from
// /proc while it runs (Linux). Targets: >= 100 apps/s at concurrency 8; peak RSS < 200 MB at 50,000 apps.
// Run: node --import tsx bench/crawl.ts [--apps N] [--concurrency 4,8,16] [--rounds R] [--serial-apps N] [--latency MS]
//      e.g. --apps 2000 for a quick look, --apps 50000 for the memory target.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startHistoryServer } from '../src/simulator/history-server.js';
import { ROOT, SPOT_BIN } from '../test/support/paths.js';
import { appSpec } from './support/crawled-store.js';

const SINCE = '2024-03-01';
const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

interface Run {
  apps: number;
  stored: number;
  exitCode: number | null;
  wallMs: number;
  peakRssMb?: number;
  crawlerCpuS?: number;
  simulatorCpuS: number;
}

/** The child's peak RSS (MB) and CPU seconds so far, from /proc; undefined where /proc is not there. */
function procStats(pid: number): { peakRssMb?: number; cpuS?: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return { peakRssMb: hwm ? Number(hwm[1]) / 1024 : undefined, cpuS: ticks / CLOCK_TICKS_PER_S };
  } catch {
    return {};
  }
}

async function crawl(apps: number, concurrency: number, latencyMs: number): Promise<Run> {
  const shs = await startHistoryServer({ latencyMs });
  for (let i = 0; i < apps; i++) {
    shs.addSpec(appSpec(i));
  }
  const home = mkdtempSync(join(tmpdir(), 'spot-bench-crawl-'));
  try {
    const started = performance.now();
    const simCpu = process.cpuUsage();
    const child = spawn(
      process.execPath,
      [
        SPOT_BIN,
        'crawl',
        '--once',
        '--history-server',
        shs.url,
        '--since',
        SINCE,
        '--concurrency',
        String(concurrency),
      ],
      {
        cwd: home,
        env: { ...process.env, SPOT_HOME: home, SPOT_CRAWLER_COMPLETION_TIMEOUT_SECONDS: '0' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let last: ReturnType<typeof procStats> = {};
    const poll = setInterval(() => {
      const now = procStats(child.pid!);
      if (now.peakRssMb !== undefined) last = now;
    }, 50);
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    clearInterval(poll);
    const wallMs = performance.now() - started;
    const sim = process.cpuUsage(simCpu);
    if (exitCode !== 0)
      process.stderr.write(
        stderr
          .split('\n')
          .filter((l) => !/^spot crawl: (listing|apps that)/.test(l))
          .join('\n'),
      );
    const db = new Database(join(home, 'spot.db'), { readonly: true });
    const stored = db.prepare('SELECT count(*) FROM agg').pluck().get() as number;
    db.close();
    return {
      apps,
      stored,
      exitCode,
      wallMs,
      peakRssMb: last.peakRssMb,
      crawlerCpuS: last.cpuS,
      simulatorCpuS: (sim.user + sim.system) / 1e6,
    };
  } finally {
    await shs.close();
    rmSync(home, { recursive: true, force: true });
  }
}

function report(label: string, r: Run): number {
  const rate = r.stored / (r.wallMs / 1000);
  const rss = r.peakRssMb === undefined ? 'n/a' : `${r.peakRssMb.toFixed(0)} MB`;
  const cpu = r.crawlerCpuS === undefined ? 'n/a' : `${r.crawlerCpuS.toFixed(1)} s`;
  console.log(
    `${label.padEnd(14)} ${String(r.stored).padStart(6)}/${r.apps} apps stored  ${(r.wallMs / 1000).toFixed(1).padStart(6)} s` +
      `  ${rate.toFixed(1).padStart(6)} apps/s  peak RSS ${rss}  CPU crawler ${cpu}, simulator ${r.simulatorCpuS.toFixed(1)} s` +
      `  exit ${r.exitCode}`,
  );
  return rate;
}

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '4,8,16' },
    rounds: { type: 'string', default: '1' },
    'serial-apps': { type: 'string', default: '300' },
    latency: { type: 'string', default: '20' },
  },
});
if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'crawl.js'))) {
  console.error('bench/crawl: build first (npm run build; npm run bench does it)');
  process.exit(1);
}
const latency = Number(values.latency);
const apps = Number(values.apps);
const levels = values.concurrency.split(',').map(Number);
const rounds = Number(values.rounds);
console.log(
  `crawl: spot crawl --once against the simulated History Server, ${latency} ms per request; wall time includes start-up and listing`,
);
const serialApps = Number(values['serial-apps']);
const serial = serialApps > 0 ? report('concurrency 1', await crawl(serialApps, 1, latency)) : undefined;
const byLevel = new Map<number, Run[]>(levels.map((c) => [c, []]));
for (let r = 0; r < rounds; r++) {
  // Each round starts at another level, so that no level always runs first (or last) in a changing load.
  for (let i = 0; i < levels.length; i++) {
    const c = levels[(i + r) % levels.length]!;
    const run = await crawl(apps, c, latency);
    byLevel.get(c)!.push(run);
    if (rounds > 1) report(`  round ${r + 1}: ${c}`, run);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rates = new Map<number, number>();
console.log(rounds > 1 ? `median of ${rounds} rounds:` : '');
for (const [c, runs] of byLevel) {
  const mid = runs.sort((a, b) => a.stored / a.wallMs - b.stored / b.wallMs)[Math.floor(runs.length / 2)]!;
  const rate = report(`concurrency ${c}`, mid);
  rates.set(c, rate);
  const peak = median(runs.map((x) => x.peakRssMb ?? Number.NaN));
  if (runs.length > 1)
    console.log(
      `${''.padEnd(14)} peak RSS median ${peak.toFixed(0)} MB, max ${Math.max(...runs.map((x) => x.peakRssMb ?? 0)).toFixed(0)} MB`,
    );
}
const base = rates.get(levels[0]!)!;
console.log(
  levels
    .slice(1)
    .map((c) => `apps/s at ${c} / at ${levels[0]}: x${(rates.get(c)! / base).toFixed(2)}`)
    .concat(serial ? [`at 8 / at 1: x${((rates.get(8) ?? Number.NaN) / serial).toFixed(2)}`] : [])
    .join('   '),
);
console.log(`(targets: >= 100 apps/s at 8; peak RSS < 200 MB at 50,000 apps, here ${apps})`);
