import { type ChildProcess, spawn } from 'node:child_process';
import { fstatSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { ApplicationIdScanner, launchedApplicationId } from './app-id.js';
import { type RawWords, restoringLines } from './raw-bytes.js';

// Running the real spark-submit: stdin inherited, stdout and stderr passed through byte for byte while we read the
// application id from them; signals forwarded; the exit code is spark-submit's own. A shell comes in between only to
// set up what spawn cannot (ignored signals, one pipe for both streams), and execs spark-submit in its place.

export interface LaunchResult {
  exitCode: number;
  /**
   * Why spark-submit could not be started at all (for the caller to say); the exit code is then a shell's 127 or 126.
   */
  notStarted?: string;
  applicationId?: string;
  wallMs: number;
  startedAt: Date;
  /** The first signal we received and passed on while spark-submit ran: the launch was stopped from outside. */
  stoppedBy?: NodeJS.Signals;
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
/**
 * Passed on too, but no stop: the JVM answers SIGQUIT (Ctrl-\, `kill -QUIT`) with a thread dump and runs on. Left at
 * Node's default it would end spot-submit, and with it (--pdeathsig) the job, its exit code lost; SIGUSR2 likewise.
 * SIGUSR1 would open Node's debugger on a local port instead of reaching the job, which the signal ends.
 */
const PASSED_ON = ['SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;
const DRAIN = { quietMs: 1000, maxMs: 10_000 };
/** The signals a terminal's keys send (Ctrl-C, Ctrl-\): to its whole foreground process group. */
const KEYBOARD: readonly NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];

/** Process group, terminal (tty_nr) and the terminal's foreground group (tpgid) of a process, from /proc. */
function groupOf(pid: number | 'self'): { pgrp: string; ttyNr: string; tpgid: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [, , pgrp = '', , ttyNr = '0', tpgid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pgrp, ttyNr, tpgid };
  } catch {
    return undefined; // no /proc, or the process is gone
  }
}

/**
 * Whether a terminal's Ctrl-C (or Ctrl-\) has reached spark-submit itself: spot-submit's process group is its
 * terminal's foreground group, and spark-submit is in it (a wrapper may have moved it out, with setsid). Passed on as
 * well, it came twice per keystroke (a JVM starting its shutdown on the first took the second for a user's second
 * Ctrl-C). A `kill -INT` of spot-submit alone, from elsewhere, while it is in the foreground is then not passed on:
 * the signal carries no sender that Node shows.
 */
function keyboardReached(child: ChildProcess): boolean {
  const own = groupOf('self');
  const its = child.pid === undefined ? undefined : groupOf(child.pid);
  return own !== undefined && own.ttyNr !== '0' && own.pgrp === own.tpgid && its?.pgrp === own.pgrp;
}

/**
 * Resolves once the exited child's output has ended ('close'), or has been quiet for `quietMs` (the pipe is held
 * by a process it left behind), or after `maxMs`, or at a signal to us; then stops reading it.
 */
function drained(
  child: ChildProcess,
  closed: Promise<unknown>,
  drain: { quietMs: number; maxMs: number },
): Promise<void> {
  return new Promise((resolve) => {
    let quiet: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(quiet);
      clearTimeout(cap);
      child.stdout?.off('data', wake);
      child.stderr?.off('data', wake);
      for (const s of FORWARDED) process.off(s, done);
      // A process left holding the pipes writes into nothing from now on, and keeps nothing of ours alive.
      for (const stream of [child.stdout, child.stderr]) stream?.destroy();
      resolve();
    };
    const wake = () => {
      clearTimeout(quiet);
      quiet = setTimeout(done, drain.quietMs);
    };
    const cap = setTimeout(done, drain.maxMs);
    void closed.then(done);
    child.stdout?.on('data', wake);
    child.stderr?.on('data', wake);
    for (const s of FORWARDED) process.once(s, done);
    wake();
  });
}

/**
 * Words that start spark-submit through a shell that execs it in place: with these signals ignored, as it would have
 * been started without spot-submit in between (an ignored signal stays ignored across exec: the JVM then installs no
 * handler of its own, as under nohup); with `oneStream`, its stderr on its stdout's pipe.
 */
function shellPrefix(signals: readonly NodeJS.Signals[], oneStream: boolean, restoring: string[]): string[] {
  if (signals.length === 0 && !oneStream && restoring.length === 0) return [];
  const trap = signals.length ? [`trap '' ${signals.map((s) => s.slice(3)).join(' ')}`] : [];
  return ['/bin/sh', '-c', [...trap, ...restoring, `exec "$@"${oneStream ? ' 2>&1' : ''}`].join('\n'), 'sh'];
}

/**
 * Whether our stdout and stderr are one destination (`spot-submit ... > log 2>&1`, a terminal, one pipe): the same
 * device and inode behind fds 1 and 2.
 */
function sameDestination(): boolean {
  try {
    const out = fstatSync(1, { bigint: true });
    const err = fstatSync(2, { bigint: true });
    return out.dev === err.dev && out.ino === err.ino;
  } catch {
    return false; // one of them closed: two destinations, or none
  }
}

export interface LaunchOptions {
  /** Copy spark-submit's output to ours (default). The demo reads it only for the application id. */
  passThrough?: boolean;
  /**
   * After spark-submit exits, how long its output may stay quiet before we stop reading it (default 1000 ms), and
   * how long we read it at most (default 10 s). Its pipes stay open while a process it left behind holds them
   * (`nohup ... &` in a wrapper script): without a limit spot-submit would wait for that process, not the job.
   */
  drain?: { quietMs: number; maxMs: number };
  /** Words that run spark-submit (e.g. setpriv --pdeathsig TERM --, see parent-death.ts); they exec it in place. */
  prefix?: string[];
  /** Called once spark-submit is running (not when it could not be started). */
  onSpawn?: () => void;
  /** Signals spot-submit's caller ignored (nohup): not passed on, and spark-submit starts with them ignored too. */
  ignored?: readonly NodeJS.Signals[];
  /** The bytes of words that are not UTF-8 (raw-bytes.ts): spark-submit gets those, not Node's decoding of them. */
  raw?: RawWords;
}

export async function launchSparkSubmit(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  opts: LaunchOptions = {},
): Promise<LaunchResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const ignored = opts.ignored ?? [];
  // Where our stdout and stderr are one destination, spark-submit's two streams share one pipe, written to by it in
  // the order it wrote them: two pipes, each copied when it is read, lose the order of its lines between them.
  const passed = opts.passThrough ?? true;
  const oneStream = passed && sameDestination();
  const launched = [...(opts.prefix ?? []), file, ...args];
  const restoring = opts.raw ? restoringLines(launched, opts.raw, env) : [];
  const words = [...shellPrefix(ignored, oneStream, restoring), ...launched];
  const [command, ...commandArgs] = words as [string, ...string[]];
  // node:child_process rather than a wrapper library: this runs on every launch, and Node's own module costs
  // nothing to load (a wrapper cost more start-up than all of spot-submit's own code, see bench/submit.ts).
  const child = spawn(command, commandArgs, { stdio: ['inherit', 'pipe', oneStream ? 'inherit' : 'pipe'], env });
  // Listened for from the start: 'close' can come in the same turn as 'exit', before anyone awaits it.
  const closed = new Promise((resolve) => child.once('close', resolve));
  let spawned = false;
  child.once('spawn', () => {
    spawned = true;
    opts.onSpawn?.();
  });
  const scanner = new ApplicationIdScanner();
  const errScanner = new ApplicationIdScanner();
  child.stdout?.on('data', (c: Buffer) => scanner.push(c));
  child.stderr?.on('data', (c: Buffer) => errScanner.push(c));
  if (passed) {
    passThrough(child.stdout, process.stdout);
    passThrough(child.stderr, process.stderr);
  }

  let stoppedBy: NodeJS.Signals | undefined;
  const send = (signal: NodeJS.Signals) => {
    if (!(KEYBOARD.includes(signal) && keyboardReached(child))) child.kill(signal);
  };
  const forward = (signal: NodeJS.Signals) => () => {
    // Once spark-submit has exited (its output still read), a signal stops nothing: the run ended as it ended.
    if (child.exitCode !== null || child.signalCode !== null) return;
    stoppedBy ??= signal;
    send(signal);
  };
  const passOn = (signal: NodeJS.Signals) => () => send(signal);
  const handlers = [
    ...FORWARDED.map((s) => [s, forward(s)] as const),
    ...PASSED_ON.map((s) => [s, passOn(s)] as const),
  ].filter(([s]) => !ignored.includes(s));
  for (const [s, h] of handlers) process.on(s, h);
  try {
    const ended = await new Promise<
      { code: number | null; signal: NodeJS.Signals | null } | { error: NodeJS.ErrnoException }
    >((resolve) => {
      // After the start, an error is a failed signal forward: the job runs on and its exit still comes.
      child.on('error', (error: NodeJS.ErrnoException) => void (spawned || resolve({ error })));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    // The last of the output is read (and scanned for the application id) before we answer.
    if (!('error' in ended)) await drained(child, closed, opts.drain ?? DRAIN);
    const wallMs = Math.round(performance.now() - t0);
    const applicationId = launchedApplicationId(scanner, errScanner);
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
    return { exitCode, applicationId, wallMs, startedAt, ...(stoppedBy ? { stoppedBy } : {}) };
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
}
