// spark-submit's command line as data. Spark's own parser (SparkSubmitOptionParser) knows which options take a
// value; we mirror that list so that a value that looks like an option is never mistaken for one, and so that the
// first bare word is the primary resource: everything after it belongs to the application, untouched.

import { pinProblem } from '../advisor/keys.js';
import { parseInputSize } from '../common/units.js';
import { defaultRedactor, REDACTED, SPARK_REDACTION } from '../common/redact.js';

/** Options that take a value, with their short aliases. */
const VALUE_OPTIONS = new Set([
  '--master',
  '--remote',
  '--deploy-mode',
  '--class',
  '--name',
  '--jars',
  '--packages',
  '--exclude-packages',
  '--repositories',
  '--py-files',
  '--files',
  '--archives',
  '--conf',
  '-c',
  '--properties-file',
  '--driver-memory',
  '--driver-java-options',
  '--driver-library-path',
  '--driver-class-path',
  '--driver-cores',
  '--executor-memory',
  '--executor-cores',
  '--num-executors',
  '--total-executor-cores',
  '--queue',
  '--principal',
  '--keytab',
  '--proxy-user',
  '--kill',
  '--status',
]);
/** Spot's own options, removed before launch. */
const SPOT_VALUE_OPTIONS = new Set(['--spot-input-bytes', '--spot-pin']);
const SPOT_FLAG_OPTIONS = new Set(['--spot-dry-run', '--spot-off']);
const SPOT_OPTIONS = new Set([...SPOT_VALUE_OPTIONS, ...SPOT_FLAG_OPTIONS]);

/** One option before the primary resource, kept in the exact form it was written in. */
export interface SubmitOption {
  /** '--conf', '-c', '--num-executors', ... or the raw word for unknown ones. */
  name: string;
  value?: string;
  /** 'separate': `--opt value`; 'joined': `--opt=value`; 'flag': no value (or a value option left without one). */
  form: 'separate' | 'joined' | 'flag';
}

interface SpotOptions {
  dryRun: boolean;
  off: boolean;
  inputBytes?: string;
  pins: string[];
}

export interface SubmitArgs {
  options: SubmitOption[];
  primaryResource?: string;
  /** The application's own arguments, in order, even when they look like options. */
  appArgs: string[];
  spot: SpotOptions;
}

export class SpotArgError extends Error {
  override name = 'SpotArgError';
}

/**
 * A word of the command line as a usage error quotes it: stderr ends up in CI logs, and the word a slip put there may
 * be the application's URL with its credentials (`--spot-pin https://user:secret@host/app.jar`) or a secret's value.
 * Masked by the rule the printed command follows: the secret of a URL, a value whose key or text says it is one.
 */
function quoted(word: string): string {
  const eq = word.indexOf('=');
  if (eq > 0) {
    const key = word.slice(0, eq);
    return `${defaultRedactor.inner(key)}=${defaultRedactor.value(key.replace(/^-+/, ''), word.slice(eq + 1))}`;
  }
  return SPARK_REDACTION.test(word) ? REDACTED : defaultRedactor.inner(word);
}

/** Splits argv into spark-submit options, Spot options, the primary resource and the application arguments. */
export function parseSubmitArgs(argv: readonly string[]): SubmitArgs {
  const options: SubmitOption[] = [];
  const spot: SpotOptions = { dryRun: false, off: false, pins: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('-') || word === '-') break; // the primary resource
    const eq = word.indexOf('=');
    const name = eq > 0 && word.startsWith('--') ? word.slice(0, eq) : word;
    const joined = eq > 0 && word.startsWith('--') ? word.slice(eq + 1) : undefined;
    if (name.startsWith('--spot-')) {
      if (SPOT_FLAG_OPTIONS.has(name) && joined === undefined) {
        if (name === '--spot-dry-run') spot.dryRun = true;
        else spot.off = true;
        continue;
      }
      if (!SPOT_VALUE_OPTIONS.has(name))
        throw new SpotArgError(
          `unknown option ${name} (Spot knows --spot-dry-run, --spot-off, --spot-input-bytes B, --spot-pin KEY)`,
        );
      const value = joined ?? argv[i + 1];
      // Another Spot option is never a value: `--spot-pin --spot-dry-run` is a missing value, not a pin.
      if (value === undefined || value === '' || value.startsWith('--spot-')) {
        throw new SpotArgError(`${name} needs a value${value ? ` (got the option ${quoted(value)})` : ''}`);
      }
      const problem = name === '--spot-pin' ? pinProblem(value) : undefined;
      // The problem quotes the pin as written.
      if (problem) throw new SpotArgError(`--spot-pin ${problem.split(value).join(quoted(value))}`);
      if (joined === undefined) i++;
      if (name === '--spot-pin') spot.pins.push(value);
      else spot.inputBytes = value;
      continue;
    }
    if (VALUE_OPTIONS.has(name)) {
      if (joined !== undefined) options.push({ name, value: joined, form: 'joined' });
      else if (i + 1 < argv.length) options.push({ name, value: argv[++i]!, form: 'separate' });
      else options.push({ name, form: 'flag' }); // spark-submit will complain; we pass it on as written
      continue;
    }
    options.push({ name: word, form: 'flag' });
  }
  const primaryResource = argv[i];
  // Not a size, and no application after it: the size was forgotten and the application taken for it. (A bad size
  // before the application is only a warning, input-size.ts: the launch goes on without it.)
  if (primaryResource === undefined && spot.inputBytes !== undefined && parseInputSize(spot.inputBytes) === undefined) {
    throw new SpotArgError(
      `--spot-input-bytes takes a size such as 50g, got '${quoted(spot.inputBytes)}', and no application follows it`,
    );
  }
  // After the application every word is the application's own, so a Spot option there would launch the job with it,
  // appended as to any launch line: `... app.jar 2024-01-31 --spot-dry-run` ran the job. Refused instead, as
  // Spot's options are only read before the application.
  const late = argv.slice(i + 1).find((w) => SPOT_OPTIONS.has(w.split('=')[0]!));
  if (primaryResource !== undefined && late !== undefined) {
    throw new SpotArgError(
      `${late.split('=')[0]} comes after the application ${quoted(primaryResource)}, where it would be the application's ` +
        "own argument and the job would launch: put Spot's options before the application",
    );
  }
  return { options, primaryResource, appArgs: argv.slice(i + 1), spot };
}

/** The command line spark-submit gets: Spot's options gone, everything else as written. */
export function serializeSubmitArgs(args: SubmitArgs): string[] {
  const out: string[] = [];
  for (const o of args.options) {
    if (o.form === 'joined') out.push(`${o.name}=${o.value ?? ''}`);
    else if (o.form === 'separate') out.push(o.name, o.value ?? '');
    else out.push(o.name);
  }
  if (args.primaryResource !== undefined) out.push(args.primaryResource, ...args.appArgs);
  return out;
}

/** argv minus Spot's own options: what launches when Spot steps aside. */
export function withoutSpotOptions(argv: readonly string[]): string[] {
  try {
    return serializeSubmitArgs(parseSubmitArgs(argv));
  } catch {
    // A malformed --spot-* option: strip only the words we can recognise, keep the rest as given.
    return stripSpotWords(argv);
  }
}

function stripSpotWords(argv: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const w = argv[i]!;
    if (!w.startsWith('-') || w === '-') break;
    if (w.startsWith('--spot-')) {
      if (SPOT_VALUE_OPTIONS.has(w)) i++;
      continue;
    }
    out.push(w);
    if (VALUE_OPTIONS.has(w) && i + 1 < argv.length) out.push(argv[++i]!);
  }
  return [...out, ...argv.slice(i)];
}

export function isConfOption(o: SubmitOption): boolean {
  return (o.name === '--conf' || o.name === '-c') && o.value !== undefined;
}

/** Splits a `--conf` value at its first '=' (Spark ignores a --conf without one, with a warning). */
export function splitConf(value: string): [string, string] | undefined {
  const eq = value.indexOf('=');
  return eq > 0 ? [value.slice(0, eq), value.slice(eq + 1)] : undefined;
}

/** The last value of an option (Spark keeps the last one). */
export function optionValue(args: SubmitArgs, ...names: string[]): string | undefined {
  let v: string | undefined;
  for (const o of args.options) if (names.includes(o.name) && o.value !== undefined) v = o.value;
  return v;
}

/** `--conf` values, later ones winning as in Spark. */
export function confValues(args: SubmitArgs): Map<string, string> {
  const m = new Map<string, string>();
  for (const o of args.options) {
    if (!isConfOption(o)) continue;
    const kv = splitConf(o.value!);
    if (kv) m.set(kv[0], kv[1]);
  }
  return m;
}

/** Commands that launch no application: Spot has nothing to advise. */
export function launchesNoApp(args: SubmitArgs): boolean {
  return (
    args.primaryResource === undefined ||
    args.options.some((o) => ['--kill', '--status', '--help', '-h', '--version', '--usage-error'].includes(o.name))
  );
}
