import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * $SPOT_HOME, else ~/.spot: where the embedded database lives. A leaf, so the launch path can ask without the schema.
 */
export function spotHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.SPOT_HOME && env.SPOT_HOME.length > 0 ? env.SPOT_HOME : join(homedir(), '.spot');
}

/**
 * `dir` and its missing parents, each created with `mode` (as mkdir -p). Not Node's own recursive mkdir: on Linux it
 * never returns for a path under /proc or /sys (the kernel answers ENOENT there, and Node creates the parent again
 * and again), which would hang a command given such a store.path or SPOT_HOME; here that is an ENOENT error.
 */
export function makeDirs(dir: string, mode: number): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d, { mode });
    } catch (err) {
      // Made meanwhile by another process; a file or dangling link in the way fails at the next level instead.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
