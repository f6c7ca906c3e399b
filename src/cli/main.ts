import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config/errors.js';
import { inputSizeProblem, parseInputSize } from '../common/units.js';
import { helpHint, oneLineUsageErrors, printableLines } from './usage-line.js';
import { spotVersion } from './version.js';
import type { ExplainOptions } from './explain.js';
import {
  type ConfigFlag,
  createContext,
  UsageError,
  UserFacingError,
  type CliContext,
  type Output,
  stdio,
} from './context.js';

// The command-line contract (the README documents it): spellings here are relied on by scripts and cron jobs.
// Handlers live one per file and are imported only when their command runs, to keep start-up short.

export interface MainIO {
  out?: Output;
  err?: Output;
  env?: NodeJS.ProcessEnv;
}

type Handler<O> = (opts: O, ctx: CliContext) => Promise<number>;

/**
 * The commands that create the store in $SPOT_HOME, and so may keep the validated config beside it for later runs
 * (cli/context.ts); every other command reads a kept config but writes none there.
 */
const KEEPS_CONFIG = new Set(['crawl', 'import']);
/** Commands that read no config: the demo runs on a throw-away SPOT_HOME with settings of its own. */
const OWN_CONFIG = new Set(['demo']);

function intArg(name: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    // Number('') and Number(' ') are 0: an empty value is no number, not the smallest one.
    const n = v.trim() === '' ? Number.NaN : Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be a whole number of ${min} or more, got '${v}'`);
    // Past 2^53 a number is no longer exact, and SQLite refuses it as a LIMIT ("datatype mismatch").
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name} is too large, got '${v}'`);
    if (n > max) throw new InvalidArgumentError(`${name} must be at most ${max}, got '${v}'`);
    return n;
  };
}

function positiveIntArg(name: string, max?: number) {
  return intArg(name, 1, max);
}

/** The demo's launches are a year of daily runs at most: past it the schedule's dates run back centuries. */
const MAX_DEMO_LAUNCHES = 365;

/**
 * A size as spark-submit and `--spot-input-bytes` take it: bytes, "5e10", or "50g" (binary units, as Spark reads them).
 */
function sizeArg(name: string) {
  return (v: string): number => {
    const n = parseInputSize(v);
    // A size past 8 PiB is a size, only too large: said so, not that it is no size.
    if (n === undefined && inputSizeProblem(v) !== 'is not a size')
      throw new InvalidArgumentError(`${name} must be below 8 PiB, got '${v}'`);
    // An empty input is no question a history of real inputs answers: its distance from them has no measure.
    if (n === undefined || n <= 0)
      throw new InvalidArgumentError(`${name} must be a size above zero like 53687091200, 5e10 or 50g, got '${v}'`);
    return n;
  };
}

export async function main(argv: string[], io: MainIO = {}): Promise<number> {
  const out = io.out ?? stdio(process.stdout);
  const err = io.err ?? stdio(process.stderr);
  let exitCode = 0;
  const program = new Command('spot')
    .description('Learns from the history of recurring Spark jobs and advises their spark-submit settings.')
    .version(spotVersion(), '-V, --version', 'print the version of spot')
    .option(
      '--config <file>',
      'config file (default: $SPOT_CONFIG, else .spotrc.yml, .yaml or .json from the current folder up to home, ' +
        'else $XDG_CONFIG_HOME/spot/config.yml, ~/.config/spot/config.yml without it)',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s) });

  const run =
    <O extends object>(load: () => Promise<Handler<O>>, configFlags?: (o: O) => ConfigFlag[]) =>
    async (...actionArgs: unknown[]): Promise<void> => {
      // Commander passes a command's declared arguments first, then its options, then the command itself.
      const command = actionArgs[actionArgs.length - 1] as Command;
      const opts = command.opts<O>();
      const globals = program.opts<{ config?: string }>();
      const ctx = await createContext({
        configFile: globals.config,
        flags: configFlags?.(opts),
        env: io.env,
        out,
        err,
        keepConfig: KEEPS_CONFIG.has(command.name()),
        ownConfig: OWN_CONFIG.has(command.name()),
      }).catch((e: unknown) => {
        // A bad value typed after a flag is a usage error like any other bad flag: its line says where the help is.
        if (!(e instanceof ConfigError && e.fromFlags)) throw e;
        const usage = new UsageError(e.message);
        usage.helpHint = helpHint(command);
        throw usage;
      });
      try {
        const handler = await load();
        exitCode = await handler({ ...opts, args: command.args } as O, ctx);
      } catch (e) {
        if (e instanceof UsageError) e.helpHint ??= helpHint(command);
        throw e;
      } finally {
        await ctx.close();
      }
    };

  program
    .command('crawl')
    .description('read finished apps from a Spark History Server, event logs or YARN into the store')
    .option('--once', 'crawl once and exit (for cron); without it, crawl every crawler.sleepSeconds')
    .option('--history-server <url>', 'History Server REST API, e.g. http://shs:18080/api/v1 (historyServer.url)')
    .option('--since <iso-date>', 'crawl apps that ended since this date instead of the last crawler.lookbackHours')
    .option('--concurrency <n>', 'apps fetched at once (crawler.concurrency)', positiveIntArg('--concurrency'))
    .option('--yarn [url]', 'poll a YARN ResourceManager instead, e.g. http://rm:8088 (yarn.url)')
    .option(
      '--event-logs <path>',
      'read Spark event logs (a log file, a folder of logs or a folder above them) instead of a History Server',
    )
    .option('--include-in-progress', 'with --event-logs: also read logs of apps still running')
    .action(
      run(
        async () => (await import('./crawl.js')).runCrawl,
        (o: { historyServer?: string; concurrency?: number; yarn?: string | boolean }) => [
          { flag: '--history-server', key: 'historyServer.url', value: o.historyServer },
          { flag: '--concurrency', key: 'crawler.concurrency', value: o.concurrency },
          { flag: '--yarn', key: 'yarn.url', value: typeof o.yarn === 'string' ? o.yarn : undefined },
        ],
      ),
    );

  program
    .command('runs')
    .description('list recent runs from the store')
    .option('--app <name>', 'only this app name, tag or job key')
    .option('--limit <n>', 'at most this many runs', positiveIntArg('--limit'), 20)
    .option('--json', 'one aggregated document per line (an imported run: its run record)')
    .option('--errors', 'list crawl errors instead of runs')
    .action(run(async () => (await import('./runs.js')).runRuns));

  program
    .command('import')
    .description('import run records from a JSON-lines file (- for standard input)')
    .argument(
      '<file>',
      'JSON lines: {id?, app, inputBytes, executors, executorCores, durationMs, succeeded, endTime, ...}',
    )
    .action(run(async () => (await import('./import.js')).runImport));

  program
    .command('predict')
    .description('predict the duration of a job at given settings')
    .requiredOption('--app <name>', 'job key or app name')
    .requiredOption('--executors <n>', 'executor count', positiveIntArg('--executors'))
    .requiredOption('--executor-cores <n>', 'cores per executor', positiveIntArg('--executor-cores'))
    .option('--executor-memory <size>', "memory per executor in spark-submit's format, e.g. 4g")
    .requiredOption(
      '--input-bytes <size>',
      'input size: bytes, or with a unit as in 50g (GiB)',
      sizeArg('--input-bytes'),
    )
    .option('--json', 'one JSON object: durationMs, low, high, model, validationError, trainingRuns')
    .action(run(async () => (await import('./predict.js')).runPredict));

  program
    .command('explain')
    .description('explain why settings were chosen: for a finished app, an advice id, or a spark-submit command line')
    .usage('[options] (<app-id> | --advice <id> | -- <spark-submit arguments>)')
    .argument('[app-id]', 'application id of a finished run')
    .option('--advice <id>', 'an advice id (printed by spot-submit), or its first 4 or more characters')
    .option('--svg <file>', 'also write the chart of duration and cost against executor count as SVG')
    .option(
      '--json',
      'one JSON object whatever the outcome: the advice record, {advice, run} for a run without advice, or ' +
        '{advice, argv} for a command line',
    )
    .allowExcessArguments(true)
    .action(
      run(async () => {
        const { runExplain } = await import('./explain.js');
        // Commander drops the `--` itself; explain needs it to tell a command line from words typed by mistake.
        const commandLine = argv.includes('--');
        return (opts: ExplainOptions, ctx: CliContext) => runExplain({ ...opts, commandLine }, ctx);
      }),
    );

  program
    .command('report')
    .description('write a self-contained HTML report of the stored runs')
    .option('--out <file>', 'output file, - for standard output', 'spot-report.html')
    .option('--app <name>', 'only runs of this job key or app name')
    .option('--user <user>', 'only runs of this Spark user')
    .option('--since <iso-date>', 'only runs that ended since this date')
    .option('--cluster <host>', 'only runs crawled from this History Server host (or file://FOLDER of event logs)')
    .action(run(async () => (await import('./report.js')).runReport));

  program
    .command('status')
    .description(
      'per History Server and ResourceManager: newest stored run, last crawl, errors of the last day; exit 1 when stale',
    )
    .option('--json', 'one JSON object')
    .action(run(async () => (await import('./status.js')).runStatus));

  const storeCommand = program.command('store').description('manage the stores');
  storeCommand
    .command('compact')
    .description(
      'SQLite: compress documents written by an older Spot and give free space back to the disk (safe to stop and re-run)',
    )
    .action(run(async () => (await import('./store-compact.js')).runStoreCompact));
  storeCommand
    .command('copy')
    .description('copy the whole history between the SQLite file and Elasticsearch/OpenSearch (safe to repeat)')
    .requiredOption('--from <type>', 'sqlite, elasticsearch or opensearch')
    .requiredOption('--to <type>', 'sqlite, elasticsearch or opensearch')
    .action(run(async () => (await import('./store.js')).runStoreCopy));

  program
    .command('kibana')
    .description('Kibana saved objects for the Elasticsearch/OpenSearch store')
    .command('export')
    .description('write the dashboards as a saved-objects file for Kibana or OpenSearch Dashboards to import')
    .requiredOption('--out <file>', 'the .ndjson file to write, - for standard output')
    .option('--index-prefix <prefix>', 'index prefix the dashboards read (default: elasticsearch.indexPrefix)')
    .action(run(async () => (await import('./kibana.js')).runKibanaExport));

  program
    .command('demo')
    .description('the whole loop on a built-in simulated cluster, in a throw-away SPOT_HOME')
    .option(
      '--launches <n>',
      `number of launches (default: 20, at most ${MAX_DEMO_LAUNCHES})`,
      positiveIntArg('--launches', MAX_DEMO_LAUNCHES),
    )
    .option('--keep', 'keep the demo SPOT_HOME and print where it is')
    .option('--serve', 'only start the simulated History Server, with six days of runs, to try spot crawl on')
    .option('--port <n>', 'port of --serve (default: 18080; 0 picks a free one)', intArg('--port', 0, 65535))
    .action(run(async () => (await import('./demo.js')).runDemo));

  oneLineUsageErrors(program, err);
  let code: number;
  try {
    await program.parseAsync(argv, { from: 'user' });
    code = exitCode;
  } catch (e) {
    code = reportError(e, err);
  }
  return code || (await lostOutput(out, err));
}

/** 1 when the standard output lost writes (its error event comes a tick after the write), after one line saying so. */
async function lostOutput(out: Output, err: Output): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  const reason = out.lost?.();
  if (!reason) return 0;
  err.write(`spot: cannot write the output: ${reason}\n`);
  return 1;
}

/**
 * One clear line for the user; a stack trace only for bugs, and only with SPOT_DEBUG=1. Messages quote what was
 * typed or read (a flag's value, a path), so they are made printable: an escape sequence in them would reach the
 * terminal.
 */
export function reportError(e: unknown, output: Output): number {
  const err: Output = { ...output, write: (text) => output.write(printableLines(text)) };
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
    return 2; // commander already printed the message (usage-line.ts)
  }
  if (e instanceof UsageError) {
    err.write(`spot: ${e.message}${e.helpHint ? ` ${e.helpHint}` : ''}\n`);
    return 2;
  }
  if (e instanceof ConfigError) {
    err.write(`spot: ${e.message}\n`);
    return 2;
  }
  if (e instanceof UserFacingError) {
    err.write(`spot: ${e.message}\n`);
    return e.exitCode;
  }
  const error = e as Error;
  err.write(`spot: ${error?.message ?? String(e)}\n`);
  if (process.env.SPOT_DEBUG) output.write(`${error?.stack}\n`);
  return 1;
}
