// Crawl throughput and memory against the simulated History Server with 20 ms latency per request:
// apps/s at concurrency 1 and 8 in the same run (and their ratio), and the peak RSS of a crawl of 10,000 apps.
// Each crawl is the compiled CLI, `node bin/spot.js crawl --once` (build first: npm run bench does), in a child
// process with a fresh SPOT_HOME; the simulator runs in this process. Peak RSS is the child's VmHWM, read from
// /proc while it runs (Linux). Targets (issue 2): >= 100 apps/s at concurrency 8, peak RSS < 200 MB.
// Run: node --import tsx bench/crawl.ts [--apps N] [--serial-apps N] [--latency MS]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startHistoryServer } from '../src/simulator/history-server.js';
import { ROOT, SPOT_BIN } from '../test/support/paths.js';

const BASE_MS = Date.UTC(2024, 2, 1);
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
    shs.addSpec({
      id: `application_1709251200000_${String(i + 1).padStart(5, '0')}`,
      name: `job-${i % 50}`,
      startMs: BASE_MS + i * 20_000,
      durationMs: 60_000 + (i % 13) * 7_000,
      executors: 2 + (i % 8),
      executorCores: 4,
      inputBytes: 2 ** 30 * (1 + (i % 9)),
      stages: 3 + (i % 4),
    });
  }
  const home = mkdtempSync(join(tmpdir(), 'spot-bench-crawl-'));
  try {
    const started = performance.now();
    const simCpu = process.cpuUsage();
    const child = spawn(
      process.execPath,
      [SPOT_BIN, 'crawl', '--once', '--history-server', shs.url, '--since', SINCE, '--concurrency', String(concurrency)],
      { cwd: home, env: { ...process.env, SPOT_HOME: home, SPOT_CRAWLER_COMPLETION_TIMEOUT_SECONDS: '0' }, stdio: ['ignore', 'ignore', 'pipe'] },
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
    if (exitCode !== 0) process.stderr.write(stderr.split('\n').filter((l) => !/^spot crawl: (listing|apps that)/.test(l)).join('\n'));
    const db = new Database(join(home, 'spot.db'), { readonly: true });
    const stored = db.prepare('SELECT count(*) FROM agg').pluck().get() as number;
    db.close();
    return {
      apps, stored, exitCode, wallMs, peakRssMb: last.peakRssMb, crawlerCpuS: last.cpuS, simulatorCpuS: (sim.user + sim.system) / 1e6,
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
  options: { apps: { type: 'string', default: '10000' }, 'serial-apps': { type: 'string', default: '300' }, latency: { type: 'string', default: '20' } },
});
if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'crawl.js'))) {
  console.error('bench/crawl: build first (npm run build; npm run bench does it)');
  process.exit(1);
}
const latency = Number(values.latency);
console.log(`crawl: spot crawl --once against the simulated History Server, ${latency} ms per request; wall time includes start-up and listing`);
const serial = report('concurrency 1', await crawl(Number(values['serial-apps']), 1, latency));
const parallel = report('concurrency 8', await crawl(Number(values.apps), 8, latency));
console.log(`apps/s at 8 / apps/s at 1: x${(parallel / serial).toFixed(2)}   (targets: >= 100 apps/s at 8; peak RSS < 200 MB over ${values.apps} apps)`);
