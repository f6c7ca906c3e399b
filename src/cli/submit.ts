import { constants } from 'node:os';
import { parseSubmitArgs, serializeSubmitArgs, SpotArgError, type SubmitArgs } from '../submit/args.js';
import { adviceCommand, type ConfigFacts } from '../submit/advice-messages.js';
import { startAdvice, type AdvicePhase } from '../submit/budget.js';
import type { FailOpenLaunch } from '../submit/fail-open-tag.js';
import { dieWithParentPrefix } from '../submit/parent-death.js';
import type { Advice } from '../types.js';

// spot-submit: a drop-in spark-submit. This file is on every production launch path, so it starts light
// (heavy modules are imported only when needed) and it fails open: whatever goes wrong before the launch,
// the job launches with its own arguments after one warning line. It reads no Spot file itself: the advice
// phase runs in a process of its own that is killed when its time is up (submit/budget.ts), so that the
// exit code of spark-submit always comes back, in bounded time.

export interface SubmitIO {
  env?: NodeJS.ProcessEnv;
  /** SigIgn of /proc/PID/status as spot-submit started (bin/spot-submit.js reads it before Node resets it). */
  sigIgn?: string;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

type Io = {
  env: NodeJS.ProcessEnv;
  out: (t: string) => void;
  err: (t: string) => void;
  launch: LaunchState;
  /** Signals the caller ignored (nohup's SIGHUP): spot-submit ignores them too, and spark-submit starts so. */
  ignored: NodeJS.Signals[];
  /** This process's own arguments and environment: their bytes, where not UTF-8, are passed on (raw-bytes.ts). */
  own: boolean;
  /** Stops the advice process, once there is one. */
  stopAdvice?: () => void;
};

/**
 * The signals among `names` set in a /proc SigIgn mask (hex, bit n-1 for signal n): those spot-submit's caller ignored
 * (nohup ignores SIGHUP; a script's `cmd &` SIGINT and SIGQUIT). Node sets them back to default as it starts, so the
 * mask is read before it starts (bin/spot-submit.js).
 */
function ignoredIn(mask: string | undefined, names: readonly NodeJS.Signals[]): NodeJS.Signals[] {
  if (!mask || !/^[0-9a-f]{1,16}$/i.test(mask)) return [];
  const bits = BigInt(`0x${mask}`);
  return names.filter((s) => {
    const n = constants.signals[s];
    return n !== undefined && ((bits >> BigInt(n - 1)) & 1n) === 1n;
  });
}

/** The signals spot-submit passes on, or ignores with its caller. */
const HANDLED: readonly NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM'];
/**
 * Passed on to spark-submit too (launch.ts), but never ignored with the caller: after its exit, Node's default for
 * them (its debugger for SIGUSR1, an end for SIGUSR2) would end spot-submit as 138 or 140, the job's code lost.
 */
const USER_SIGNALS: readonly NodeJS.Signals[] = ['SIGUSR1', 'SIGUSR2'];

/** Whether spark-submit was started, and its exit code once it ended: after its start, a failure launches nothing. */
interface LaunchState {
  /** Its start was asked for: from then on launch.ts passes signals on to it. */
  spawning?: boolean;
  started?: boolean;
  exitCode?: number;
}

/**
 * Spot's own lines to a process stream. A reader that went away (`spot-submit --spot-dry-run ... | head -1`) drops
 * them: an unhandled EPIPE would end spot-submit with a stack trace, exit 1, whatever the job or the dry run did.
 */
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', () => {
    closed = true;
  });
  return (text) => {
    if (!closed && !stream.destroyed) stream.write(text);
  };
}

export async function submitMain(argv: string[], io: SubmitIO = {}): Promise<number> {
  const env = io.env ?? process.env;
  const out = io.out ?? writer(process.stdout);
  const err = io.err ?? writer(process.stderr);
  let args: SubmitArgs;
  try {
    args = parseSubmitArgs(argv);
  } catch (e) {
    if (!(e instanceof SpotArgError)) throw e;
    err(`spot-submit: ${e.message}\n`);
    return 2;
  }
  const ignored = ignoredIn(io.sigIgn, HANDLED);
  // Ignored by whoever started spot-submit (`nohup spot-submit ... &`): ignored here too, from first to last.
  for (const s of ignored) process.on(s, () => undefined);
  const own =
    env === process.env && argv.length === process.argv.length - 2 && argv.every((a, i) => a === process.argv[i + 2]);
  const io2: Io = { env, out, err, launch: {}, ignored, own };
  const endOnUsr1 = () => {
    if (io2.launch.spawning) return;
    io2.stopAdvice?.();
    process.exit(128 + constants.signals.SIGUSR1);
  };
  // Until spark-submit runs (launch.ts passes it on then), SIGUSR1 at Node's default opened its debugger on a local
  // port, for any local user to run code as this one, through the whole run, and the job never heard of it. Without
  // spot-submit in between it would end spark-submit, which has no handler for it: it ends spot-submit (128 + 10).
  process.on('SIGUSR1', endOnUsr1);
  try {
    return await submitParsed(args, io2);
  } finally {
    process.off('SIGUSR1', endOnUsr1);
  }
}

async function submitParsed(args: SubmitArgs, io2: Io): Promise<number> {
  const { env, err } = io2;
  // --spot-off: the environment only, no Spot configuration read at all.
  if (args.spot.off)
    return launchOrPrint(
      io2,
      args,
      serializeSubmitArgs(args),
      undefined,
      args.spot.dryRun ? Promise.resolve([]) : dieWithParentPrefix(env),
    );

  // The advice process first, before anything else: its start-up (a second Node) is the longest part of the
  // way to the launch, and everything below is done while it starts.
  const command = adviceCommand(args);
  const phase = startAdvice(command, { env });
  io2.stopAdvice = phase.kill;
  const prefix = args.spot.dryRun ? Promise.resolve([]) : dieWithParentPrefix(env);
  // What the launch needs, loaded while the advice is worked on (no wait for them once it comes). Then what a launch
  // without advice needs to tag itself: loaded only once the budget was spent, its loading came on top of the budget,
  // for the very launches that are late already (test/cli/startup.test.ts checks it is loaded by then).
  void Promise.all([
    import('../submit/locate.js'),
    import('./submit-describe.js'),
    args.spot.dryRun || import('../submit/launch.js'),
  ])
    .then(async () => {
      if (!args.spot.dryRun) await import('../submit/fail-open-tag.js');
    })
    .catch(() => undefined);
  // The config's facts once read: a launch after a failure in Spot's own code still runs the spark-submit it names.
  let facts: ConfigFacts | undefined;
  try {
    facts = await phase.config;
    if (!command.launchesApp)
      return await launchOrPrint(io2, args, serializeSubmitArgs(args), facts, prefix, phase.configLate);
    return await adviseAndLaunch(args, phase, facts, prefix, io2);
  } catch (e) {
    // Spot's own part failed where nothing expected it to (a module missing in a half-done upgrade, say): the job
    // still launches, unchanged, and once; after its end, its exit code is the answer whatever failed.
    if (io2.launch.exitCode !== undefined) return io2.launch.exitCode;
    if (io2.launch.started || args.spot.dryRun) throw e;
    phase.kill();
    err(`spot-submit: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}; launching unchanged\n`);
    return await launchOrPrint(io2, args, serializeSubmitArgs(args), facts, prefix, phase.configLate);
  } finally {
    phase.kill();
  }
}

async function adviseAndLaunch(
  args: SubmitArgs,
  phase: AdvicePhase,
  facts: ConfigFacts | undefined,
  prefix: Promise<string[]>,
  io: Io,
): Promise<number> {
  const { env, out, err } = io;
  const { choice, located } = await sparkSubmitOf(args, phase, facts, env);
  if (located && !located.ok) {
    err(`spot-submit: ${located.message}\n`);
    return located.exitCode;
  }
  const pre = await phase.result;
  let finalArgv = serializeSubmitArgs(args);
  let advice: Advice | undefined;
  let failOpen: FailOpenLaunch | undefined;
  if (pre.ok) {
    finalArgv = pre.plan.argv;
    advice = pre.plan.advice;
    for (const w of pre.plan.warnings) err(`spot-submit: ${w}\n`);
  } else {
    // A dry run launches nothing: it prints the command unchanged, and says so rather than "launching".
    err(
      `spot-submit: ${pre.reason}; ${args.spot.dryRun ? 'the command unchanged (a dry run launches nothing)' : 'launching unchanged'}\n`,
    );
    // Still tagged, with the id of a "no advice" record, so that the run stays linked (not in a dry run, and not
    // when no record can be stored: a config that cannot be read names no store).
    if (located && !pre.unrecorded) {
      failOpen = (await import('../submit/fail-open-tag.js')).tagFailOpen(args, pre.reason);
      finalArgv = failOpen.argv;
    }
  }
  const { adviceLine, describeAdvice } = await import('./submit-describe.js');
  if (!located) {
    // The id in the printed command is no stored advice: a run launched with it by hand links to nothing.
    if (advice) out(`${describeAdvice(advice)}  note: a dry run stores nothing, so this advice id is not kept\n`);
    return printCommand(out, err, choice.command, finalArgv);
  }
  if (advice) err(adviceLine(advice));
  const result = await run(located.file, finalArgv, io, prefix, () => advice && phase.record());
  const outcome = {
    exitCode: result.exitCode,
    wallMs: result.wallMs,
    applicationId: result.applicationId,
    finishedAt: new Date().toISOString(),
    ...(result.stoppedBy ? { stoppedBy: result.stoppedBy } : {}),
  };
  if (advice && result.started) {
    const warning = await unlessSignalled(phase.feedback(outcome), io.ignored, (s) => `not stored (${s} came first)`);
    if (warning)
      err(`spot-submit: the outcome of advice ${advice.id} was ${warning}; the next spot crawl links the run\n`);
  } else if (failOpen && result.started) {
    // Quietly, if at all: the advice process may be what failed, and the warning line has said so already.
    await unlessSignalled(phase.noAdvice(failOpen.advice, outcome), io.ignored, () => undefined);
  }
  return result.exitCode;
}

/**
 * Waits for Spot's storing after the job unless a signal comes first (Ctrl-C at a slow store, a scheduler's kill):
 * then at once, answering `onSignal`'s. spark-submit has exited, so the exit code is its own whatever is sent; left at
 * Node's default, the signal would end spot-submit as 130 or 143 and the job's code would be lost. The advice process
 * is stopped on the way out, and what it kept in the outbox waits for the next spot crawl.
 */
async function unlessSignalled<T>(
  work: Promise<T>,
  ignored: readonly NodeJS.Signals[],
  onSignal: (signal: NodeJS.Signals) => T,
): Promise<T> {
  let handler!: (signal: NodeJS.Signals) => void;
  const signalled = new Promise<T>((resolve) => (handler = (signal) => resolve(onSignal(signal))));
  const signals = [...HANDLED.filter((s) => !ignored.includes(s)), ...USER_SIGNALS];
  for (const s of signals) process.on(s, handler);
  try {
    return await Promise.race([work, signalled]);
  } finally {
    for (const s of signals) process.off(s, handler);
  }
}

/**
 * Which spark-submit, and where it is (none in a dry run): a launch that cannot happen gets no advice and no record.
 * Where the budget ran out before the config was read and nothing else names a spark-submit that exists, the config
 * is read after all: the spark-submit it names may be the only one there is.
 */
async function sparkSubmitOf(
  args: SubmitArgs,
  phase: AdvicePhase,
  facts: ConfigFacts | undefined,
  env: NodeJS.ProcessEnv,
) {
  const { chooseSparkSubmit } = await import('../submit/locate.js');
  if (args.spot.dryRun) return { choice: chooseSparkSubmit(env, facts), located: undefined };
  return locateOrReadLate(env, facts, {}, phase.configLate);
}

/**
 * The spark-submit to run, found; where none is found, the config was not read and `configLate` is given, the one the
 * config names after all (read late, LATE_CONFIG_MS at most): it may be the only one there is.
 */
async function locateOrReadLate(
  env: NodeJS.ProcessEnv,
  facts: ConfigFacts | undefined,
  opts: { configUnread?: boolean },
  configLate: AdvicePhase['configLate'] | undefined,
) {
  const { chooseSparkSubmit, locateSparkSubmit } = await import('../submit/locate.js');
  let choice = chooseSparkSubmit(env, facts, opts);
  let located = locateSparkSubmit(choice, env);
  if (!located.ok && facts === undefined && configLate) {
    const late = await configLate();
    if (late?.sparkSubmit) {
      choice = chooseSparkSubmit(env, late);
      located = locateSparkSubmit(choice, env);
    }
  }
  return { choice, located };
}

/**
 * Without advice: finds spark-submit, then prints the command (dry run) or runs it. A missing one is named, with the
 * fix. `configLate` (the advice phase's; none with --spot-off) reads the config late as sparkSubmitOf does: a launch
 * after a failure in Spot's own code would otherwise not run the job at all (127) where only the config names one.
 */
async function launchOrPrint(
  io: Io,
  args: SubmitArgs,
  argv: string[],
  facts: ConfigFacts | undefined,
  prefix: Promise<string[]>,
  configLate?: AdvicePhase['configLate'],
): Promise<number> {
  const configUnread = { configUnread: args.spot.off };
  if (args.spot.dryRun) {
    const { chooseSparkSubmit } = await import('../submit/locate.js');
    return printCommand(io.out, io.err, chooseSparkSubmit(io.env, facts, configUnread).command, argv);
  }
  const { located } = await locateOrReadLate(io.env, facts, configUnread, configLate);
  if (!located.ok) {
    io.err(`spot-submit: ${located.message}\n`);
    return located.exitCode;
  }
  return (await run(located.file, argv, io, prefix)).exitCode;
}

async function run(file: string, argv: string[], io: Io, prefix: Promise<string[]>, onSpawn?: () => void) {
  const { launchSparkSubmit } = await import('../submit/launch.js');
  const raw = io.own ? (await import('../submit/raw-bytes.js')).rawWords(process.argv.slice(2), io.env) : undefined;
  if (raw?.problem) {
    // Launched, the job would get other bytes than the user gave: a path or a value that is not theirs.
    io.err(`spot-submit: ${raw.problem}; nothing launched, as spark-submit would get other bytes than given\n`);
    io.launch.exitCode = 2;
    return { exitCode: 2, wallMs: 0, started: false, applicationId: undefined, stoppedBy: undefined };
  }
  let started = false;
  const words = await prefix;
  io.launch.spawning = true;
  const result = await launchSparkSubmit(file, argv, io.env, {
    prefix: words,
    ignored: io.ignored,
    ...(raw ? { raw } : {}),
    onSpawn: () => {
      started = true;
      io.launch.started = true;
      onSpawn?.(); // only now is the advice stored: a launch that did not happen leaves none behind
    },
  });
  io.launch.exitCode = result.exitCode;
  if (result.notStarted) io.err(`spot-submit: ${result.notStarted}\n`);
  return { ...result, started };
}

async function printCommand(
  out: (t: string) => void,
  err: (t: string) => void,
  command: string,
  argv: string[],
): Promise<number> {
  const [{ shownCommand }, { defaultRedactor }] = await Promise.all([
    import('./shown-command.js'),
    import('../common/redact.js'),
  ]);
  // spot-submit reads no config file itself: the default redaction patterns mask what it prints.
  const shown = shownCommand([command, ...argv], defaultRedactor);
  out(`${shown.text}\n`);
  if (shown.masked) err('spot-submit: secret values in the command above are masked; your own command line has them\n');
  return 0;
}
