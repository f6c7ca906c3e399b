import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, SPOT_SUBMIT_BIN } from '../support/paths.js';

export const FAKE_SPARK_SUBMIT = resolve(ROOT, 'test', 'support', 'fake-spark-submit.mjs');

export interface SubmitRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** argv the stand-in spark-submit received, or undefined when it was not launched. */
  launched?: string[];
}

export interface Sandbox {
  dir: string;
  home: string;
  env: NodeJS.ProcessEnv;
  argvFile: string;
  cleanup(): void;
}

/** A temp SPOT_HOME and an environment pointing spot-submit at the stand-in spark-submit. */
export function sandbox(extraEnv: NodeJS.ProcessEnv = {}): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'spot-submit-test-'));
  const home = join(dir, 'home');
  const argvFile = join(dir, 'argv.json');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('SPOT_') && !k.startsWith('FAKE_SPARK_')) env[k] = v;
  Object.assign(
    env,
    { SPOT_HOME: home, SPOT_SUBMIT_SPARK_SUBMIT: FAKE_SPARK_SUBMIT, FAKE_SPARK_ARGV_FILE: argvFile },
    extraEnv,
  );
  return { dir, home, env, argvFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `group`: in a process group of its own, as a shell runs a command (so that a test can Ctrl-C the group). */
export function startSubmit(
  args: string[],
  box: Sandbox,
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; group?: boolean } = {},
): ChildProcess {
  return spawn(process.execPath, [SPOT_SUBMIT_BIN, ...args], {
    env: { ...box.env, ...opts.env },
    cwd: opts.cwd ?? box.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.group ?? false,
  });
}

export function collect(child: ChildProcess, box: Sandbox): Promise<SubmitRun> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolvePromise) => {
    child.on('close', (code, signal) => {
      const launched = existsSync(box.argvFile)
        ? (JSON.parse(readFileSync(box.argvFile, 'utf8')) as string[])
        : undefined;
      resolvePromise({ code, signal, stdout, stderr, launched });
    });
  });
}

export function runSubmit(
  args: string[],
  box: Sandbox,
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<SubmitRun> {
  rmSync(box.argvFile, { force: true });
  return collect(startSubmit(args, box, opts), box);
}

/** stderr lines Spot itself wrote. */
export function spotLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('spot-submit:'));
}

/** spot-submit's lines other than the advice line itself (which ends "; why: spot explain --advice ID"). */
export function notesBesideAdvice(stderr: string): string[] {
  return spotLines(stderr).filter((l) => !l.includes('; why: spot explain'));
}
