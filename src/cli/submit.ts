import { launchesNoApp, parseSubmitArgs, serializeSubmitArgs, SpotArgError, type SubmitArgs } from '../submit/args.js';
import type { ConfigFacts } from '../submit/advice-messages.js';
import type { AdvicePhase, AdviceResult } from '../submit/budget.js';
import type { Advice } from '../types.js';

// spot-submit: a drop-in spark-submit. This file is on every production launch path, so it starts light
// (heavy modules are imported only when needed) and it fails open: whatever goes wrong before the launch,
// the job launches with its own arguments after one warning line. It reads no Spot file itself: the advice
// phase runs in a process of its own that is killed when its time is up (submit/budget.ts), so that the
// exit code of spark-submit always comes back, in bounded time.

export interface SubmitIO {
  env?: NodeJS.ProcessEnv;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

type Io = { env: NodeJS.ProcessEnv; out: (t: string) => void; err: (t: string) => void };

export async function submitMain(argv: string[], io: SubmitIO = {}): Promise<number> {
  const env = io.env ?? process.env;
  const out = io.out ?? ((t: string) => void process.stdout.write(t));
  const err = io.err ?? ((t: string) => void process.stderr.write(t));
  let args: SubmitArgs;
  try {
    args = parseSubmitArgs(argv);
  } catch (e) {
    if (!(e instanceof SpotArgError)) throw e;
    err(`spot-submit: ${e.message}\n`);
    return 2;
  }
  const { dieWithParentPrefix } = await import('../submit/parent-death.js');
  const prefix = dieWithParentPrefix(env); // found out while the advice is worked on
  const original = serializeSubmitArgs(args);

  // --spot-off: the environment only, no Spot configuration read at all.
  if (args.spot.off) return (await launchOrPrint({ env, out, err }, args, original, undefined, prefix)).exitCode;

  const { startAdvice } = await import('../submit/budget.js');
  const phase = startAdvice(argv, { env });
  try {
    if (launchesNoApp(args)) return (await launchOrPrint({ env, out, err }, args, original, await phase.config, prefix)).exitCode;
    return await adviseAndLaunch(args, phase, await phase.result, prefix, { env, out, err });
  } finally {
    phase.kill();
  }
}

async function adviseAndLaunch(args: SubmitArgs, phase: AdvicePhase, pre: AdviceResult, prefix: Promise<string[]>, io: Io): Promise<number> {
  const { env, out, err } = io;
  let finalArgv = serializeSubmitArgs(args);
  let advice: Advice | undefined;
  if (pre.ok) {
    finalArgv = pre.plan.argv;
    advice = pre.plan.advice;
    for (const w of pre.plan.warnings) err(`spot-submit: ${w}\n`);
  } else {
    err(`spot-submit: ${pre.reason}; launching unchanged\n`);
  }
  const facts = await phase.config;
  if (args.spot.dryRun) {
    if (advice) {
      const { describeAdvice } = await import('../submit/describe.js');
      out(describeAdvice(advice));
    }
    return (await launchOrPrint(io, args, finalArgv, facts, prefix)).exitCode;
  }
  const adviceId = advice?.id;
  const result = await launchOrPrint(io, args, finalArgv, facts, prefix, advice && { advice, phase });
  if (adviceId && result.launched) {
    const warning = await phase.feedback({ exitCode: result.exitCode, wallMs: result.wallMs, applicationId: result.applicationId, finishedAt: new Date().toISOString() });
    if (warning) err(`spot-submit: the outcome of advice ${adviceId} was ${warning}; the next spot crawl links the run\n`);
  }
  return result.exitCode;
}

interface Launched {
  exitCode: number;
  launched: boolean;
  wallMs?: number;
  applicationId?: string;
}

/** Finds spark-submit, then prints the command (dry run) or runs it. A missing spark-submit is named, with the fix, and nothing is recorded. */
async function launchOrPrint(io: Io, args: SubmitArgs, argv: string[], facts: ConfigFacts | undefined, prefix: Promise<string[]>, advised?: { advice: Advice; phase: AdvicePhase }): Promise<Launched> {
  const { chooseSparkSubmit, locateSparkSubmit } = await import('../submit/locate.js');
  const choice = chooseSparkSubmit(io.env, facts);
  if (args.spot.dryRun) {
    const { shellQuote } = await import('../submit/describe.js');
    io.out(`${[choice.command, ...argv].map(shellQuote).join(' ')}\n`);
    return ({ exitCode: 0, launched: false });
  }
  const located = locateSparkSubmit(choice, io.env);
  if (!located.ok) {
    io.err(`spot-submit: ${located.message}\n`);
    return ({ exitCode: located.exitCode, launched: false });
  }
  if (advised) {
    const { adviceLine } = await import('../submit/describe.js');
    io.err(adviceLine(advised.advice));
  }
  const { launchSparkSubmit } = await import('../submit/launch.js');
  let started = false;
  const result = await launchSparkSubmit(located.file, argv, io.env, {
    prefix: await prefix,
    onSpawn: () => {
      started = true;
      advised?.phase.record(); // only now: a launch that did not happen leaves no advice behind
    },
  });
  return ({ exitCode: result.exitCode, launched: started, wallMs: result.wallMs, applicationId: result.applicationId });
}
