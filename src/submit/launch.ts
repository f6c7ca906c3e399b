import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { ApplicationIdScanner } from './app-id.js';

// Running the real spark-submit: no shell, stdin inherited, stdout and stderr passed through byte for byte
// while we read the application id from them; signals forwarded; the exit code is spark-submit's own.

export interface LaunchResult {
  exitCode: number;
  /**
   * Why spark-submit could not be started at all (for the caller to say); the exit code is then a shell's 127 or 126.
   */
  notStarted?: string;
  applicationId?: string;
  wallMs: number;
  startedAt: Date;
}

/**
 * Copies a child's output to ours. A reader that goes away (`| head`) must not stop the job: the JVM ignores
 * a broken pipe, so we drop the output from then on and keep reading, or the child would block on a full pipe.
 */
function passThrough(from: Readable | null | undefined, to: NodeJS.WriteStream): void {
  if (!from) return;
  from.pipe(to, { end: false });
  to.on('error', () => {
    from.unpipe(to);
    from.resume();
  });
}

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface LaunchOptions {
  /** Copy spark-submit's output to ours (default). The demo reads it only for the application id. */
  passThrough?: boolean;
  /** Words that run spark-submit (e.g. setpriv --pdeathsig TERM --, see parent-death.ts); they exec it in place. */
  prefix?: string[];
  /** Called once spark-submit is running (not when it could not be started). */
  onSpawn?: () => void;
}

export async function launchSparkSubmit(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  opts: LaunchOptions = {},
): Promise<LaunchResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const [command, ...commandArgs] = [...(opts.prefix ?? []), file, ...args] as [string, ...string[]];
  // node:child_process rather than a wrapper library: this runs on every launch, and Node's own module costs
  // nothing to load (a wrapper cost more start-up than all of spot-submit's own code, see bench/submit.ts).
  const child = spawn(command, commandArgs, { stdio: ['inherit', 'pipe', 'pipe'], env });
  let spawned = false;
  child.once('spawn', () => {
    spawned = true;
    opts.onSpawn?.();
  });
  const scanner = new ApplicationIdScanner();
  const errScanner = new ApplicationIdScanner();
  child.stdout?.on('data', (c: Buffer) => scanner.push(c));
  child.stderr?.on('data', (c: Buffer) => errScanner.push(c));
  if (opts.passThrough ?? true) {
    passThrough(child.stdout, process.stdout);
    passThrough(child.stderr, process.stderr);
  }

  const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
  const handlers = FORWARDED.map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  try {
    // 'close' rather than 'exit': the last of the output is read (and scanned for the application id) first.
    const ended = await new Promise<
      { code: number | null; signal: NodeJS.Signals | null } | { error: NodeJS.ErrnoException }
    >((resolve) => {
      // After the start, an error is a failed signal forward: the job runs on and its exit still comes.
      child.on('error', (error: NodeJS.ErrnoException) => void (spawned || resolve({ error })));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    const wallMs = Math.round(performance.now() - t0);
    const applicationId = scanner.end() ?? errScanner.end();
    if ('error' in ended) {
      // Could not start at all (ENOENT, EACCES): answer like a shell would.
      return {
        exitCode: ended.error.code === 'ENOENT' ? 127 : 126,
        wallMs,
        startedAt,
        applicationId,
        notStarted: `cannot run ${file}: ${ended.error.message}`,
      };
    }
    const exitCode = ended.code ?? 128 + (ended.signal ? (constants.signals[ended.signal] ?? 0) : 0);
    return { exitCode, applicationId, wallMs, startedAt };
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
}
