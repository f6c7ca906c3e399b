// A store filled the way users fill theirs: the compiled `spot crawl --once` against the built-in simulated
// History Server (no latency), into a fresh SPOT_HOME. Shared by bench/store.ts and bench/report.ts.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyntheticAppSpec } from '../../src/simulator/apps.js';
import { startHistoryServer } from '../../src/simulator/history-server.js';
import { ROOT, SPOT_BIN } from '../../test/support/paths.js';

const BASE_MS = Date.UTC(2024, 2, 1);

export function requireBuild(bench: string): void {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'crawl.js'))) {
    console.error(`${bench}: build first (npm run build; npm run bench does it)`);
    process.exit(1);
  }
}

/** The spec of simulated app i, as bench/crawl.ts varies them; `sparkProperties` added to each. */
export function appSpec(i: number, sparkProperties?: Record<string, string>): SyntheticAppSpec {
  return {
    id: `application_1709251200000_${String(i + 1).padStart(5, '0')}`,
    name: `job-${i % 50}`,
    startMs: BASE_MS + i * 20_000,
    durationMs: 60_000 + (i % 13) * 7_000,
    executors: 2 + (i % 8),
    executorCores: 4,
    inputBytes: 2 ** 30 * (1 + (i % 9)),
    stages: 3 + (i % 4),
    ...(sparkProperties ? { sparkProperties } : {}),
  };
}

/** Crawls `apps` simulated apps into a new SPOT_HOME; returns its folder (spot.db inside). */
export async function crawledHome(apps: number, sparkProperties?: Record<string, string>): Promise<string> {
  const shs = await startHistoryServer({ latencyMs: 0 });
  for (let i = 0; i < apps; i++) shs.addSpec(appSpec(i, sparkProperties));
  const home = mkdtempSync(join(tmpdir(), 'spot-bench-store-'));
  try {
    const child = spawn(
      process.execPath,
      [SPOT_BIN, 'crawl', '--once', '--history-server', shs.url, '--since', '2024-03-01', '--concurrency', '8'],
      {
        cwd: home,
        env: { ...process.env, SPOT_HOME: home, SPOT_CRAWLER_COMPLETION_TIMEOUT_SECONDS: '0' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`spot crawl exited ${code}: ${stderr}`);
    return home;
  } finally {
    await shs.close();
  }
}
