import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Advice, AdviceOutcome } from '../types.js';
import type { AdviceCommand, ConfigFacts, FromAdvice, ToAdvice } from './advice-messages.js';
import type { LaunchPlan } from './plan.js';

// The advice phase's time budgets, seen from spot-submit. Everything Spot does runs in a child process
// (advice-process.ts) that is killed, never awaited, once its budget is spent: before the launch
// submit.adviceTimeoutMs (counted from spot-submit's start), after it submit.feedbackTimeoutMs. Until the config
// is read the budget is its env var or the default. spot-submit itself touches no Spot file, so nothing can
// keep it from exiting with spark-submit's code.

const DEFAULT_BUDGET_MS = 3000;
const DEFAULT_FEEDBACK_MS = 1000;
/**
 * How long a launch whose budget ran out before the config was read waits for it, when no spark-submit is found
 * without it: the job would otherwise not run at all (a shell's 127), which no advice saved is worth.
 */
const LATE_CONFIG_MS = 30_000;

type AdviceResult = { ok: true; plan: LaunchPlan } | { ok: false; reason: string; unrecorded?: boolean };

export interface AdvicePhase {
  /** What the launch needs from the config; undefined when it was not read within the budget. */
  config: Promise<ConfigFacts | undefined>;
  /** The plan, or why there is none, within the budget. */
  result: Promise<AdviceResult>;
  /** spark-submit started with the advised command line: store the advice (in the background). */
  record(): void;
  /** Store the run's outcome; resolves when done or when the feedback budget is spent. Returns a warning, if any. */
  feedback(outcome: AdviceOutcome): Promise<string | undefined>;
  /** Without advice: store the launch's "no advice" record with its outcome, under the same budget. */
  noAdvice(advice: Advice, outcome: AdviceOutcome): Promise<string | undefined>;
  /** Stop the advice process, whatever it is doing. */
  kill(): void;
  /**
   * The config's facts, read by a fresh advice process if the budget ran out before they came: for a launch whose
   * spark-submit only the config names. Undefined if it cannot be read within LATE_CONFIG_MS.
   */
  configLate(): Promise<ConfigFacts | undefined>;
  /** The advice process's pid, if it started. */
  pid?: number;
}

/**
 * The advice process runs in a process group of its own (`detached`), so that stopping it stops what it started too:
 * an input probe (`hdfs dfs -du` on a NameNode that does not answer) would otherwise outlive it, orphaned, for as long
 * as the probe likes. Its own group also keeps Ctrl-C off it (it waits for spot-submit's word anyway).
 */
const OWN_GROUP = { detached: true } as const;

/** SIGKILL to the advice process and everything in its group; to it alone where it has no group. */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) return void process.kill(-child.pid, 'SIGKILL');
  } catch {
    // No such group (it is gone, or never became a leader): the process itself, below.
  }
  child.kill('SIGKILL');
}

/**
 * The command as the advice process's arguments: its JSON in pieces, which the process joins. Linux takes no single
 * argument over 128 KiB (E2BIG), and a spark-submit command line with long --jars and --files lists passes that as one
 * JSON word; each piece is at most 32 Ki UTF-16 units (96 KiB of UTF-8), never cut inside a surrogate pair.
 */
export function commandWords(command: AdviceCommand, max = 32 * 1024): string[] {
  const json = JSON.stringify(command);
  const words: string[] = [];
  for (let at = 0; at < json.length; ) {
    let end = Math.min(json.length, at + max);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate: keep its pair whole
    words.push(json.slice(at, end));
    at = end;
  }
  return words;
}

/** A budget from the environment (read at once, no parsing library), else the default. */
function budgetFromEnv(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export interface StartOptions {
  env: NodeJS.ProcessEnv;
  /** The advice process's entry point (tests may stand in a script that hangs). */
  script?: URL;
  /** Milliseconds since start (default: performance.now(), which counts from process start). */
  now?: () => number;
}

/**
 * The advice process's entry point: the build's bundle of it (scripts/bundle.mjs) when there is one, else its module.
 */
function adviceScript(): URL {
  const bundled = new URL('../../launch/advice-process.js', import.meta.url);
  return existsSync(bundled) ? bundled : new URL('./advice-process.js', import.meta.url);
}

export function startAdvice(command: AdviceCommand, opts: StartOptions): AdvicePhase {
  const { env } = opts;
  const now = opts.now ?? (() => performance.now());
  let budget = budgetFromEnv(env.SPOT_SUBMIT_ADVICE_TIMEOUT_MS, DEFAULT_BUDGET_MS);
  let facts: ConfigFacts | undefined;
  let settleConfig!: (f: ConfigFacts | undefined) => void;
  let settleResult!: (r: AdviceResult) => void;
  const config = new Promise<ConfigFacts | undefined>((resolve) => (settleConfig = resolve));
  const result = new Promise<AdviceResult>((resolve) => (settleResult = resolve));
  let resultDone = false;
  let exited = false;
  let onExit: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let late: Promise<ConfigFacts | undefined> | undefined;

  let child: ChildProcess;
  try {
    child = fork(opts.script ?? adviceScript(), commandWords(command), {
      ...OWN_GROUP,
      env,
      // The job's stdout is the job's: whatever the advice phase prints goes to stderr.
      stdio: ['ignore', 2, 2, 'ipc'],
      serialization: 'json',
    });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    settleConfig(undefined);
    settleResult({ ok: false, reason: `advice process not started: ${reason}` });
    const none = async () => 'not stored (the advice process had not started)';
    const configLate = async () => undefined;
    return {
      config,
      result,
      record: () => undefined,
      feedback: none,
      noAdvice: none,
      kill: () => undefined,
      configLate,
    };
  }

  const kill = () => {
    if (!exited) killGroup(child);
  };
  const finish = (r: AdviceResult) => {
    if (resultDone) return;
    resultDone = true;
    clearTimeout(timer);
    settleConfig(facts);
    settleResult(r);
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => {
        kill();
        finish({ ok: false, reason: `no advice within ${budget} ms${facts ? '' : ' (the config was not read)'}` });
      },
      Math.max(0, budget - now()),
    );
  };
  arm();
  child.on('message', (m: FromAdvice) => {
    if (m.type === 'config') {
      facts = m.facts;
      settleConfig(facts);
      if (m.facts.adviceTimeoutMs !== undefined && !resultDone) {
        budget = m.facts.adviceTimeoutMs;
        arm();
      }
    } else if (m.type === 'done') {
      finish(m.ok ? { ok: true, plan: m.plan } : { ok: false, reason: m.reason, unrecorded: m.unrecorded });
    }
  });
  child.on('error', (e) => finish({ ok: false, reason: `advice process: ${e.message}` }));
  child.on('exit', (code, signal) => {
    exited = true;
    finish({ ok: false, reason: `advice process stopped (${signal ?? code})` });
    onExit?.();
  });
  // Never keep spot-submit alive for it: the launch and the exit are spot-submit's own.
  child.unref();
  child.channel?.unref();

  const post = (m: ToAdvice) => {
    if (exited || !child.connected) return false;
    try {
      child.send(m);
      return true;
    } catch {
      return false;
    }
  };

  return {
    config,
    result,
    kill,
    pid: child.pid,
    record: () => void post({ type: 'record' }),
    feedback: (outcome) => lastWord({ type: 'outcome', outcome }),
    noAdvice: (advice, outcome) => {
      const m: ToAdvice = { type: 'no-advice', advice, outcome };
      // Its budget spent, the advice process was stopped: a fresh one, under the feedback budget, only stores this.
      return !exited && child.connected ? lastWord(m) : lastWordFresh(command, opts, m, feedbackBudget());
    },
    // Read once: the crash path after a launch's own late read asks again, and gets the same answer at once.
    configLate: async () => {
      if (facts) return facts;
      late ??= freshConfig(command, opts, LATE_CONFIG_MS);
      return late;
    },
  };

  function feedbackBudget(): number {
    return facts?.feedbackBudgetMs ?? budgetFromEnv(env.SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS, DEFAULT_FEEDBACK_MS);
  }

  /** Sends the message after which the advice process stores and exits; waits for that, or the feedback budget. */
  function lastWord(m: ToAdvice): Promise<string | undefined> {
    return new Promise<string | undefined>((resolve) => {
      if (!post(m)) return resolve('not stored (the advice process had stopped)');
      const ms = feedbackBudget();
      child.ref();
      const t = setTimeout(() => {
        kill();
        resolve(`not stored within ${ms} ms`);
      }, ms);
      onExit = () => {
        clearTimeout(t);
        resolve(undefined);
      };
    });
  }
}

/** First argument of an advice process started after the job only to store a launch's "no advice" record. */
export const NO_ADVICE_ROLE = '--spot-no-advice-record';

/** A fresh advice process in the no-advice role: it reads the config, says so, and waits for a message. */
function forkFresh(command: AdviceCommand, opts: StartOptions): ChildProcess | undefined {
  try {
    return fork(opts.script ?? adviceScript(), [NO_ADVICE_ROLE, ...commandWords(command)], {
      ...OWN_GROUP,
      env: opts.env,
      stdio: ['ignore', 2, 2, 'ipc'],
      serialization: 'json',
    });
  } catch {
    return undefined;
  }
}

/** The config's facts from a fresh advice process, which is then stopped; undefined after `ms`, or if it stops. */
function freshConfig(command: AdviceCommand, opts: StartOptions, ms: number): Promise<ConfigFacts | undefined> {
  return new Promise((resolve) => {
    const child = forkFresh(command, opts);
    if (!child) return resolve(undefined);
    const done = (facts?: ConfigFacts) => {
      clearTimeout(t);
      killGroup(child);
      resolve(facts);
    };
    const t = setTimeout(done, ms);
    child.on('error', () => done());
    child.on('exit', () => done());
    child.on('message', (reply: FromAdvice) => reply.type === 'config' && done(reply.facts));
  });
}

/**
 * A fresh advice process in the no-advice role: once it has read the config it gets the message, then stores and exits.
 */
function lastWordFresh(
  command: AdviceCommand,
  opts: StartOptions,
  m: ToAdvice,
  ms: number,
): Promise<string | undefined> {
  return new Promise<string | undefined>((resolve) => {
    const child = forkFresh(command, opts);
    if (!child) return resolve('not stored (no advice process)');
    const t = setTimeout(() => {
      killGroup(child);
      resolve(`not stored within ${ms} ms`);
    }, ms);
    const done = (warning?: string) => {
      clearTimeout(t);
      resolve(warning);
    };
    child.on('error', (e) => done(`not stored (${e.message})`));
    child.on('exit', () => done(undefined));
    child.on('message', (reply: FromAdvice) => {
      if (reply.type !== 'config') return;
      try {
        child.send(m);
      } catch {
        killGroup(child);
      }
    });
  });
}
