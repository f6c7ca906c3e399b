import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { ConfigFacts } from './advice-messages.js';

// Which spark-submit to run, and where it came from, so that a missing one is named with the fix. Read from
// the environment and from what the advice process reported of the config; spot-submit never reads a
// config file itself (it might be the thing that hangs).

export interface SparkSubmitChoice {
  /** As configured: a path, or a bare name looked up on PATH. */
  command: string;
  /** Where the choice came from, in the user's words. */
  from: string;
  /** Chosen without reading the config (--spot-off): submit.sparkSubmit is no fix to name then. */
  configUnread?: true;
}

export function chooseSparkSubmit(
  env: NodeJS.ProcessEnv,
  facts?: ConfigFacts,
  opts: { configUnread?: boolean } = {},
): SparkSubmitChoice {
  const unread = opts.configUnread ? { configUnread: true as const } : {};
  if (env.SPOT_SUBMIT_SPARK_SUBMIT)
    return { command: env.SPOT_SUBMIT_SPARK_SUBMIT, from: 'SPOT_SUBMIT_SPARK_SUBMIT', ...unread };
  if (facts?.sparkSubmit)
    return { command: facts.sparkSubmit, from: `submit.sparkSubmit in ${facts.file ?? 'the config'}` };
  if (env.SPARK_HOME) {
    const candidate = join(env.SPARK_HOME, 'bin', 'spark-submit');
    if (isFile(candidate)) return { command: candidate, from: 'SPARK_HOME', ...unread };
  }
  return { command: 'spark-submit', from: 'PATH', ...unread };
}

export type Located = { ok: true; file: string } | { ok: false; exitCode: 126 | 127; message: string };

/** The executable to run, as an absolute path, or what a shell would answer (127 not found, 126 not executable). */
export function locateSparkSubmit(choice: SparkSubmitChoice, env: NodeJS.ProcessEnv): Located {
  const { command } = choice;
  const candidates = command.includes('/')
    ? [resolve(command)]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter((d) => isAbsolute(d))
        .map((d) => join(d, command));
  let notExecutable: string | undefined;
  for (const file of candidates) {
    // A folder named as spark-submit is a path that exists but cannot run: a shell's 126 ("Is a directory").
    if (command.includes('/') && isDirectory(file)) {
      return { ok: false, exitCode: 126, message: `${file} (from ${choice.from}) is a folder, not spark-submit` };
    }
    if (!isFile(file)) continue;
    try {
      accessSync(file, constants.X_OK);
      return { ok: true, file };
    } catch {
      notExecutable ??= file;
    }
  }
  if (notExecutable)
    return { ok: false, exitCode: 126, message: `${notExecutable} (from ${choice.from}) is not executable` };
  return { ok: false, exitCode: 127, message: notFound(choice, env) };
}

function notFound(choice: SparkSubmitChoice, env: NodeJS.ProcessEnv): string {
  const fix = choice.configUnread
    ? 'set SPARK_HOME to your Spark installation, or SPOT_SUBMIT_SPARK_SUBMIT to the spark-submit to run (--spot-off reads no config file, so submit.sparkSubmit there is not used)'
    : 'set SPARK_HOME to your Spark installation, or submit.sparkSubmit (SPOT_SUBMIT_SPARK_SUBMIT) to the spark-submit to run';
  if (choice.from !== 'PATH')
    return `spark-submit not found: ${choice.command} (from ${choice.from}) does not exist; ${fix}`;
  const tried = env.SPARK_HOME
    ? `${join(env.SPARK_HOME, 'bin', 'spark-submit')} (SPARK_HOME) does not exist and `
    : 'SPARK_HOME is not set and ';
  return `spark-submit not found: ${tried}there is no spark-submit on PATH; ${fix}`;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
