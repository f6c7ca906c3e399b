import { existsSync } from 'node:fs';
import type { SpotConfig } from '../config/schema.js';
import { redactorFor } from '../common/redact.js';
import { inputSizeProblem, parseInputSize } from '../common/units.js';
import { formatBytes, printable } from '../format.js';
import type { SubmitArgs } from './args.js';

// How big is this run's input? Sources are tried in order, each with its own time limit, and the first that
// answers wins. Enceladus' Menas (the dataset's HDFS path) will be one more source in this list.

export interface InputSizeContext {
  args: SubmitArgs;
  config: SpotConfig;
  signal?: AbortSignal;
  /** Environment for probe commands (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export interface InputSizeSource {
  name: string;
  timeoutMs: number;
  /** Bytes, or undefined when this source does not know. Throwing means "failed": the next source is tried. */
  probe(ctx: InputSizeContext, signal: AbortSignal): Promise<number | undefined>;
}

export interface InputSize {
  bytes?: number;
  source?: string;
  warnings: string[];
}

const flagSource: InputSizeSource = {
  name: '--spot-input-bytes',
  timeoutMs: 1000,
  async probe(ctx) {
    const raw = ctx.args.spot.inputBytes;
    if (raw === undefined) return undefined;
    const bytes = parseInputSize(raw);
    if (bytes === undefined || bytes < 0) throw new Error(`--spot-input-bytes '${raw}' ${inputSizeProblem(raw)}`);
    return bytes;
  },
};

export function probeCommandSource(config: SpotConfig): InputSizeSource {
  return {
    name: 'submit.inputProbe',
    timeoutMs: config.submit.inputProbeTimeoutMs,
    async probe(ctx, signal) {
      const template = config.submit.inputProbe;
      if (!template) return undefined;
      const words = splitWords(template);
      const path = inputPath(ctx.args.appArgs);
      if (words.some((w) => w.includes('{path}')) && path === undefined) return undefined;
      const [file, ...rest] = words.map((w) => w.replaceAll('{path}', path ?? ''));
      if (!file) return undefined;
      const { execa } = await import('execa');
      const result = await execa(file, rest, {
        cancelSignal: signal,
        reject: false,
        stdin: 'ignore',
        timeout: this.timeoutMs,
        env: ctx.env ?? process.env,
        extendEnv: false,
      });
      if (result.isCanceled || result.timedOut) throw new Error(`input probe '${file}' timed out`);
      // Neither an exit code nor a signal: it never started.
      if (result.exitCode === undefined && result.signal === undefined)
        throw new Error(`input probe '${file}' could not be run: ${notStarted(file, result.code)}`);
      if (result.exitCode !== 0)
        throw new Error(
          `input probe '${file}' exited with ${result.exitCode ?? result.signal}${said(result.stderr, config)}`,
        );
      const bytes = probedBytes(String(result.stdout));
      if (bytes === undefined) throw new Error(`input probe '${file}' printed no size`);
      return bytes;
    },
  };
}

/**
 * The first number a probe printed, in bytes, or in the unit right after it where `du -h` and `hdfs dfs -du -h`
 * print one ("5.0 G", "1.5T"), binary as --spot-input-bytes reads it: "5.0 G" is 5 GiB, not 5 bytes.
 */
const PROBED_SIZE = /(\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?: ?([kmgtp](?:i?b)?)(?=\s|$))?/i;

function probedBytes(stdout: string): number | undefined {
  const m = PROBED_SIZE.exec(stdout);
  return m ? parseInputSize(`${m[1]}${m[2] ?? ''}`) : undefined;
}

/**
 * The first line a failed probe wrote to stderr (hdfs's "No such file or directory"), as `: ...`; else nothing. It
 * often names the input path, credentials and all (`s3a://KEY:SECRET@bucket/...`): they are masked, as in the store.
 */
function said(stderr: unknown, config: SpotConfig): string {
  const redactor = redactorFor(config.redaction.patterns);
  const line = String(stderr ?? '')
    .split('\n')
    .map((l) => printable(l).trim())
    .map((l) => redactor.inner(l))
    .find((l) => l !== '');
  return line ? `: ${line.length > 200 ? `${line.slice(0, 199)}…` : line}` : '';
}

/** Why a probe command did not start, from spawn's error code (the code itself kept for a search). */
function notStarted(file: string, code: string | undefined): string {
  // A script that is there but names a missing interpreter on its #! line fails as ENOENT too.
  if (code === 'ENOENT' && file.includes('/') && existsSync(file)) return 'its #! interpreter was not found (ENOENT)';
  if (code === 'ENOENT') return `${file.includes('/') ? 'no such file' : 'not found on PATH'} (ENOENT)`;
  if (code === 'EACCES') return 'not executable (EACCES)';
  return code ?? 'it did not start';
}

/**
 * The sources that measure this launch's input. None guesses from history: a guess recorded with the advice would
 * be the size the finished run learns under (advisor/input-unit.ts), so an unmeasured launch leaves the size unset
 * and the advisor assumes one for its decision alone (advise.ts).
 */
export function defaultInputSources(config: SpotConfig): InputSizeSource[] {
  return [flagSource, probeCommandSource(config)];
}

export async function inputSize(ctx: InputSizeContext, sources: InputSizeSource[]): Promise<InputSize> {
  const warnings: string[] = [];
  for (const source of sources) {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`${source.name} gave no answer within ${source.timeoutMs} ms`));
      }, source.timeoutMs);
    });
    try {
      const bytes = await Promise.race([source.probe(ctx, controller.signal), limit]);
      if (bytes !== undefined && Number.isFinite(bytes)) {
        // After a source failed, say what the size came from instead: the advice rests on it.
        if (warnings.length > 0) warnings.push(`input size: used ${source.name} instead (${formatBytes(bytes)})`);
        return { bytes, source: source.name, warnings };
      }
    } catch (e) {
      warnings.push(`input size: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
    }
    if (ctx.signal?.aborted) break;
  }
  if (warnings.length > 0) warnings.push('input size: unknown (no other source answered)');
  return { warnings };
}

/** The input path among the application arguments: a named input option, else the first path-like word. */
export function inputPath(appArgs: readonly string[]): string | undefined {
  for (let i = 0; i < appArgs.length; i++) {
    const a = appArgs[i]!;
    const m = /^--?(input|input-path|inputPath|in|path|src|source)(=(.*))?$/.exec(a);
    if (m) return m[3] ?? appArgs[i + 1];
  }
  return appArgs.find((a) => /^[a-z][a-z0-9+.-]*:\/\//i.test(a) || a.startsWith('/'));
}

/** Splits a command template into words like a shell would for quotes, without running one. */
export function splitWords(command: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < command.length) cur += command[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < command.length) {
      cur += command[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}
