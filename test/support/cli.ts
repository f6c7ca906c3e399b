import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SPOT_BIN } from './paths.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the compiled `spot` with SPOT_HOME set to `home` (also the working folder), and none of the caller's
 * other SPOT_* variables, so a developer's own settings cannot leak into a test; `extraEnv` adds the test's own.
 */
export function spot(home: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPOT_')));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SPOT_BIN, ...args],
      { cwd: home, env: { ...env, SPOT_HOME: home, ...extraEnv } },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** A maker of empty SPOT_HOME folders in `root`, one per call: a case sees nothing another case stored. */
export function freshHomes(root: string): () => string {
  let homes = 0;
  return () => {
    const home = join(root, `home-${++homes}`);
    mkdirSync(home);
    return home;
  };
}
