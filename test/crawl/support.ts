// Helpers for the crawler's end-to-end tests: a throw-away SPOT_HOME, the compiled CLI as a child process,
// synthetic apps at fixed past dates, and direct row counts in the SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { ROOT, SPOT_BIN } from '../support/paths.js';
import type { SyntheticAppSpec } from '../../src/simulator/apps.js';

export interface Home {
  dir: string;
  db: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/** A temporary SPOT_HOME; `env` is a clean environment for the CLI (no SPOT_* from the caller). */
export function tempHome(prefix = 'spot-crawl-'): Home {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SPOT_')) env[k] = v;
  env.SPOT_HOME = dir;
  return { dir, db: join(dir, 'spot.db'), env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the compiled `spot` with `args`, in `cwd` (default: the home folder, so no .spotrc.yml is found by accident).
 */
export function runSpot(
  args: string[],
  home: Home,
  extra: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SPOT_BIN, ...args], {
      cwd: extra.cwd ?? home.dir,
      env: { ...home.env, ...extra.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The compiled `spot ARGS` started in `home`; its output piped with `piped`, else ignored. */
export function spawnSpot(args: string[], home: Home, extra: { env?: NodeJS.ProcessEnv; piped?: boolean } = {}) {
  return spawn(process.execPath, [SPOT_BIN, ...args], {
    cwd: home.dir,
    env: { ...home.env, ...extra.env },
    stdio: extra.piped ? ['ignore', 'pipe', 'pipe'] : 'ignore',
  });
}

/** Runs `sql` (one value) against the database file directly, as a second reader would. */
export function scalar<T = number>(dbPath: string, sql: string, ...params: unknown[]): T {
  const db = new Database(dbPath, { readonly: true, timeout: 5000 });
  try {
    return db
      .prepare(sql)
      .pluck()
      .get(...params) as T;
  } finally {
    db.close();
  }
}

export function column<T = string>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, timeout: 5000 });
  try {
    return db
      .prepare(sql)
      .pluck()
      .all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Apps end in the days after this instant; crawls pass `--since SINCE`. */
export const BASE_MS = Date.UTC(2024, 2, 1);
export const SINCE = '2024-03-01';

/** `n` small single-attempt apps, ending a minute apart from BASE_MS on. Small, so building stays cheap. */
export function specs(n: number, prefix = 'application_1709251200000'): SyntheticAppSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}_${String(i + 1).padStart(5, '0')}`,
    name: `job-${i % 7}`,
    startMs: BASE_MS + i * 60_000,
    durationMs: 30_000 + (i % 11) * 1_000,
    executors: 1 + (i % 3),
    executorCores: 2,
    inputBytes: 1_000_000 * (1 + (i % 5)),
    stages: 2,
  }));
}

export { ROOT };
