import { launchesNoApp, parseSubmitArgs, serializeSubmitArgs, SpotArgError, type SubmitArgs } from '../submit/args.js';
import type { PrelaunchMessage } from '../submit/prelaunch.js';
import type { FailOpenLaunch } from '../submit/fail-open-tag.js';
import type { Advice } from '../types.js';

// spot-submit: a drop-in spark-submit. This file is on every production launch path, so it starts light
// (heavy modules are imported only when needed) and it fails open: whatever goes wrong before the launch,
// the job launches with its own arguments after one warning line.

export interface SubmitIO {
  env?: NodeJS.ProcessEnv;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

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
  const original = serializeSubmitArgs(args);

  if (args.spot.off || launchesNoApp(args)) {
    if (args.spot.dryRun) return printDryRun(out, await sparkSubmitPath(env), original);
    return launch(original, env);
  }

  const { prelaunchWithinBudget } = await import('../submit/budget.js');
  const budgeted = await prelaunchWithinBudget(argv, env);
  try {
    return await adviseAndLaunch(args, budgeted.result, { env, out, err });
  } finally {
    await budgeted.settled;
  }
}

async function adviseAndLaunch(
  args: SubmitArgs,
  pre: Extract<PrelaunchMessage, { type: 'done' }>,
  io: { env: NodeJS.ProcessEnv; out: (t: string) => void; err: (t: string) => void },
): Promise<number> {
  const { env, out, err } = io;
  const original = serializeSubmitArgs(args);
  let finalArgv = original;
  let advice: Advice | undefined;
  let failOpen: FailOpenLaunch | undefined;
  let sparkSubmit: string;
  try {
    if (pre.ok) {
      finalArgv = pre.plan.argv;
      advice = pre.plan.advice;
    } else {
      err(`spot-submit: ${pre.reason}; launching unchanged\n`);
      // Still tagged, with the id of a "no advice" record, so that the run stays linked.
      if (!args.spot.dryRun) {
        failOpen = (await import('../submit/fail-open-tag.js')).tagFailOpen(args, pre.reason, pre.loaded);
        finalArgv = failOpen.argv;
      }
    }
    sparkSubmit = await sparkSubmitPath(env, pre.ok ? { configured: pre.loaded.config.submit.sparkSubmit } : undefined);
    if (args.spot.dryRun) {
      if (pre.ok) {
        const { describeAdvice } = await import('../submit/describe.js');
        for (const w of pre.plan.warnings) out(`spot-submit: ${w}\n`);
        if (advice) out(describeAdvice(advice));
      }
      return printDryRun(out, sparkSubmit, finalArgv);
    }
    if (advice) {
      const { adviceLine } = await import('../submit/describe.js');
      err(adviceLine(advice));
    }
  } catch (e) {
    // Not expected; but nothing Spot does may stop the job.
    if (args.spot.dryRun) throw e;
    err(`spot-submit: ${e instanceof Error ? e.message : String(e)}; launching unchanged\n`);
    finalArgv = original;
    advice = undefined;
    failOpen = undefined;
    sparkSubmit = await sparkSubmitPath(env);
  }

  const { launchSparkSubmit } = await import('../submit/launch.js');
  const result = await launchSparkSubmit(sparkSubmit, finalArgv, env);
  if (advice && pre.ok) {
    const { recordOutcome } = await import('../submit/feedback.js');
    await recordOutcome({
      loaded: pre.loaded,
      adviceId: advice.id,
      outcome: { exitCode: result.exitCode, wallMs: result.wallMs, applicationId: result.applicationId, finishedAt: new Date().toISOString() },
      warn: (line) => err(`${line}\n`),
    });
  }
  if (failOpen) {
    const outcome = { exitCode: result.exitCode, wallMs: result.wallMs, applicationId: result.applicationId, finishedAt: new Date().toISOString() };
    await (await import('../submit/fail-open-tag.js')).recordFailOpen(pre.loaded, failOpen, outcome, env);
  }
  return result.exitCode;
}

async function launch(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { launchSparkSubmit } = await import('../submit/launch.js');
  return (await launchSparkSubmit(await sparkSubmitPath(env), argv, env)).exitCode;
}

/** The configured spark-submit; without a config at hand it is read leniently (the config may be what failed). */
async function sparkSubmitPath(env: NodeJS.ProcessEnv, fromConfig?: { configured?: string }): Promise<string> {
  const { configuredSparkSubmit, resolveSparkSubmit } = await import('../submit/locate.js');
  return resolveSparkSubmit(fromConfig ? fromConfig.configured : await configuredSparkSubmit(env), env);
}

async function printDryRun(out: (t: string) => void, sparkSubmit: string, argv: string[]): Promise<number> {
  const { shellQuote } = await import('../submit/describe.js');
  out(`${[sparkSubmit, ...argv].map(shellQuote).join(' ')}\n`);
  return 0;
}
