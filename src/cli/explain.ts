import { basename } from 'node:path';
import { advise } from '../advisor/advise.js';
import { runSettings } from '../advisor/features.js';
import { historyInputs, readJobHistory } from '../advisor/job-history.js';
import type { RunStore } from '../store/types.js';
import type { Advice, AggDoc, RunRecord } from '../types.js';
import { UsageError, UserFacingError, type CliContext } from './context.js';
import { formatBytes, formatDuration, printable } from '../format.js';
import { fmtSettings, renderAdvice, trackRecordLine } from './explain-text.js';
import { adviceRows, type AdviceRow } from '../report/advice-rows.js';
import { intervalCoverage } from '../advisor/outcomes.js';
import { svgChart } from './explain-svg.js';
import { findingsSection } from '../findings/words.js';
import { findingsOf } from '../findings/index.js';
import { whatIfText } from './what-if-text.js';
import { writeOutput } from './write-output.js';
import { maskedCommand, shownCommand } from './shown-command.js';
import { redactorFor } from '../common/redact.js';
import { addReason } from '../advisor/reason-text.js';
import { parseSubmitArgs } from '../submit/args.js';
import { sparkMaster } from '../submit/master.js';
import { withSparkFloors } from '../submit/spark-floors.js';
import type { LaunchPlan } from '../submit/plan.js';

// `spot explain`: what was chosen and why, in plain words — for an advice id, a finished app, or a
// spark-submit command line (a dry run of spot-submit). The advice record holds the numbers; this only
// presents them (explain-text.ts, explain-svg.ts). This file finds the advice to explain.

export interface ExplainOptions {
  args?: string[];
  advice?: string;
  svg?: string;
  json?: boolean;
  /** Whether the words came after `--` (a spark-submit command line); without it, one word at most: an app id. */
  commandLine?: boolean;
}

/**
 * A crawled run's Spark properties as spark-submit would have read them: the stored keys have '_' for '.'
 * (documents/spark-properties.ts), which the keys the floors read (spark.dynamicAllocation.*, spark.task.cpus) do
 * not contain.
 */
function runProperties(agg: AggDoc | undefined): Map<string, string> {
  const env = agg?.attempt.environment as { sparkProperties?: Record<string, unknown> } | undefined;
  const props = new Map<string, string>();
  for (const [k, v] of Object.entries(env?.sparkProperties ?? {})) props.set(k.replaceAll('_', '.'), String(v));
  return props;
}

/** How long a run took, in words; one whose end is not after its start (clocks that disagree) has no duration. */
function ranFor(run: RunRecord): string {
  if (run.durationMs > 0) return `${run.succeeded ? 'took' : 'failed after'} ${formatDuration(run.durationMs)}`;
  return `${run.succeeded ? 'ended' : 'failed'} with no duration (its end time is not after its start time)`;
}

const APP_ID = /^(application_\d+_\d+|app-\d+-\d+|local-\d+|spark-[0-9a-f]+)/;

/** The command itself, when a whole command line is pasted after `--`: spot-submit takes its arguments only. */
const SUBMIT_COMMAND = /^(spark|spot)-submit(\.cmd|\.sh)?$/;
const isSubmitCommand = (word: string) => SUBMIT_COMMAND.test(basename(word));

function isAppId(args: string[]): boolean {
  if (args.length !== 1) return false;
  const a = args[0]!;
  if (isSubmitCommand(a)) return false; // a pasted command with nothing after it: a command line that launches nothing
  return APP_ID.test(a) || (!a.startsWith('-') && !/\.(jar|py|r|zip|egg)$/i.test(a));
}

/** The arguments of a pasted command line: without a leading `spark-submit` (or a path to it), else it were the jar. */
function submitArguments(args: string[]): string[] {
  return args.length >= 1 && isSubmitCommand(args[0]!) ? args.slice(1) : args;
}

async function findRun(store: RunStore, appId: string): Promise<RunRecord | undefined> {
  const all = await store.records({});
  return all.find((r) => r.appId === appId || r.id === appId || r.id.startsWith(`${appId}-`));
}

/**
 * The attempt an id names: an application id, its last attempt; an attempt id as `spot runs` lists it (`<app>-<n>`,
 * an earlier attempt's too), that attempt.
 */
async function attemptDoc(store: RunStore, id: string): Promise<AggDoc | undefined> {
  const docs = await store.getAgg(id);
  if (docs.length > 0) return docs.find((a) => a.isFinalAttempt);
  const cut = id.lastIndexOf('-');
  return cut > 0 ? (await store.getAgg(id.slice(0, cut))).find((a) => a.docId === id) : undefined;
}

async function adviceForApp(store: RunStore, appId: string, run: RunRecord | undefined): Promise<Advice | undefined> {
  if (run?.adviceId) {
    const a = await store.getAdvice(run.adviceId);
    if (a) return a;
  }
  const list = await store.listAdvice(run ? { app: run.app } : {});
  return list.find((a) => a.outcome?.applicationId === appId || (run !== undefined && a.outcome?.runId === run.id));
}

/** Launches with advice read for a job's track record: the recent ones speak for its intervals now. */
const TRACK_ADVICE = 200;
/** Runs read to find those launches' crawled runs (a launch whose run is older counts by its wall time). */
const TRACK_RUNS = 2_000;

/** The job's recent launches with advice against the intervals predicted for them. */
async function trackRecord(store: RunStore, app: string) {
  const [advice, records] = await Promise.all([
    store.listAdvice({ app, limit: TRACK_ADVICE }),
    store.records({ app, limit: TRACK_RUNS }),
  ]);
  const rows = adviceRows(advice, records);
  return { held: { ...intervalCoverage(rows), failed: rows.filter((r) => r.failed).length }, records };
}

/** Why a command line gets no advice, in words: the one reason, as --json's `noAdvice` names it. */
const NO_ADVICE: Record<NonNullable<LaunchPlan['noAdvice']>, string> = {
  'spot-off': '--spot-off: Spot is off for it',
  'no-application': 'it launches no application: no jar or script, or --version, --kill, --status, --help',
  'local-master': 'a local master: no executors to size',
};

/**
 * A stored advice's own launch against its prediction: its crawled run (linked by the outcome, or by the run's
 * spark.spot.adviceId when the one being explained is that run), else spot-submit's wall clock.
 */
function launchRow(advice: Advice, records: RunRecord[], run?: RunRecord): AdviceRow | undefined {
  const linked =
    run?.adviceId === advice.id && advice.outcome?.runId === undefined
      ? { ...advice, outcome: { ...advice.outcome, runId: run.id } }
      : advice;
  return adviceRows([linked], run ? [run, ...records] : records)[0];
}

/** Shortest prefix accepted for an advice id, as git does for commit ids. */
const MIN_PREFIX = 4;

/** An advice by its id or, as git takes a short commit id, by a prefix only one advice id starts with. */
export async function findAdvice(store: RunStore, id: string): Promise<Advice> {
  const exact = await store.getAdvice(id);
  if (exact) return exact;
  // In either case, as git takes hex: advice ids are lower-case UUIDs, which may come back upper-cased.
  const prefix = id.toLowerCase();
  const matches =
    id.length >= MIN_PREFIX ? (await store.listAdvice({})).filter((a) => a.id.toLowerCase().startsWith(prefix)) : [];
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const some = matches
      .slice(0, 3)
      .map((a) => a.id)
      .join(', ');
    throw new UsageError(
      `advice id '${printable(id)}' is ambiguous: ${matches.length} advice ids start with it (${some}${matches.length > 3 ? ', …' : ''}); give more characters`,
    );
  }
  throw new UserFacingError(`no advice with id '${printable(id)}'`);
}

/** Said where `--svg` asked for a chart and there is no advice to draw one from. */
const noChart = (svg: string | undefined) =>
  svg ? `\nNo chart written to ${printable(svg)}: there is no advice to draw.\n` : '';

export async function runExplain(opts: ExplainOptions, ctx: CliContext): Promise<number> {
  const args = opts.args ?? [];
  if (!opts.advice && args.length === 0)
    throw new UsageError('explain needs an application id, --advice ID, or -- <spark-submit arguments>');
  if (opts.advice && args.length > 0)
    throw new UsageError('explain takes one of an application id, --advice ID, or -- <spark-submit arguments>');
  // `spot explain foo bar` is no command line (those follow `--`, as options would be refused without it) and no id.
  if (!opts.commandLine && args.length > 1)
    throw new UsageError(
      `explain takes one application id, got ${args.length} words ('${printable(args.join(' '))}'); ` +
        'to explain a spark-submit command line, put it after --: spot explain -- <spark-submit arguments>',
    );
  // Wrong before any store is read: no advice id is this short, and a prefix this short names too many.
  if (opts.advice && opts.advice.length < MIN_PREFIX)
    throw new UsageError(
      `advice id '${printable(opts.advice)}' is too short: give the whole id or its first ${MIN_PREFIX} or more characters`,
    );
  // The explanation itself goes to standard output: the chart cannot go there too.
  if (opts.svg === '-') throw new UsageError('--svg needs a file name: the explanation is on standard output');
  const redactor = redactorFor(ctx.config.redaction.patterns);
  // A run or an advice is looked up. A command line is explained from whatever history there is (none yet, too):
  // a dry run only reads, so where no store is yet it reads an empty one and creates none.
  const dryRun = !opts.advice && !isAppId(args);
  const noStoreAt = dryRun ? await ctx.missingStore() : undefined;
  const store = dryRun ? await ctx.readStore() : await ctx.existingStore();
  let advice: Advice | undefined;
  let preface = '';
  let extra: Record<string, unknown> = {};
  let findingsText = '';
  let run: RunRecord | undefined;
  if (opts.advice) {
    advice = await findAdvice(store, opts.advice);
  } else if (isAppId(args)) {
    const appId = args[0]!;
    run = await findRun(store, appId);
    const agg = await attemptDoc(store, run?.appId ?? appId);
    if (agg) findingsText = `\n${findingsSection(agg, ctx.config.findings)}${whatIfText(agg)}`;
    advice = await adviceForApp(store, appId, run);
    if (!advice && !run && agg) {
      // No run record: the attempt has not ended (documents.build keeps none for it) or was not its app's last.
      const open = agg.attempt.completed === false;
      if (opts.json) {
        // As with advice, one object: why there is none, and the findings the text would show.
        const { findings } = findingsOf(agg, ctx.config.findings);
        const noAdvice = open ? 'not-ended' : 'no-run';
        ctx.out.write(`${JSON.stringify({ advice: null, noAdvice, attempt: agg.docId, findings })}\n`);
        return 0;
      }
      const preface = open
        ? `${printable(agg.docId)} has not ended (its log is still being written, or its driver never logged the end): ` +
          'findings so far, and no advice to explain until a crawl reads its finished log.\n\n'
        : '';
      ctx.out.write(preface + findingsText.trimStart() + noChart(opts.svg));
      return 0;
    }
    if (!advice) {
      if (!run) throw new UserFacingError(`no run or advice found for application id '${printable(appId)}'`);
      // A run on a local master had no executors to size: spot-submit advises none, and neither does this.
      const master = sparkMaster(parseSubmitArgs([]), runProperties(agg));
      if (master.kind === 'local' && agg) {
        if (opts.json) {
          const { findings } = findingsOf(agg, ctx.config.findings);
          ctx.out.write(
            `${JSON.stringify({ advice: null, noAdvice: 'local-master', attempt: agg.docId, findings })}\n`,
          );
          return 0;
        }
        ctx.out.write(
          `Run ${printable(run.id)} of '${printable(run.app)}' ran on a local master (${printable(master.url ?? 'local')}): ` +
            `no executors to size, so no advice (spot-submit gives none to such a launch either).\n` +
            findingsText +
            noChart(opts.svg),
        );
        return 0;
      }
      // No advice was involved: explain the run against what spot-submit would advise for it today, with its
      // settings and input, from the same history (launch unit, advised runs' outcomes, the what-if's run).
      const history = await readJobHistory(store, run.app);
      const runId = run.id;
      const inputBytes = history.records.find((r) => r.id === runId)?.inputBytes ?? run.inputBytes;
      const inputs = await historyInputs(store, history, inputBytes, ctx.config.advisor.minRuns);
      // The floors its own properties set, as spot-submit would read them from its command line and defaults.
      const floors = withSparkFloors(ctx.config.advisor, parseSubmitArgs([]), runProperties(agg));
      advice = advise({
        app: run.app,
        inputBytes,
        baseline: runSettings(run),
        pinned: ctx.config.advisor.pinned,
        ...inputs,
        config: floors.config,
      });
      for (const reason of floors.reasons) addReason(advice, reason);
      preface =
        `Run ${printable(run.id)} of '${printable(run.app)}' was launched without advice: ${fmtSettings(runSettings(run))}, ` +
        `${formatBytes(run.inputBytes)} input, ${ranFor(run)}.\n` +
        `What Spot would advise for the same input today (not stored):\n\n`;
      extra = { run };
    }
  } else {
    const { planLaunch } = await import('../submit/plan.js');
    const plan = await planLaunch(submitArguments(args), { config: ctx.config, store, record: false });
    for (const w of plan.warnings) ctx.err.write(`spot: ${w}\n`);
    if (!plan.advice) {
      if (opts.json) {
        // The shape of a dry run's JSON with advice ({advice, argv}), with why there is none.
        const argv = maskedCommand(plan.argv, redactor).words;
        ctx.out.write(`${JSON.stringify({ advice: null, noAdvice: plan.noAdvice, argv })}\n`);
        return 0;
      }
      // Shown as a command line with advice is (below): quoted, and its secrets masked.
      const shown = shownCommand(plan.argv, redactor);
      const line = ['spark-submit', shown.text].filter(Boolean).join(' ');
      ctx.out.write(
        `No advice for this command line (${NO_ADVICE[plan.noAdvice ?? 'no-application']}).\n${line}${shown.masked ? '  (secret values masked)' : ''}\n${noChart(opts.svg)}`,
      );
      return 0;
    }
    advice = plan.advice;
    const none = noStoreAt ? `; no Spot store at ${printable(noStoreAt)} yet, so no history` : '';
    preface = `Dry run of spot-submit (nothing launched, nothing stored${none}):\n\n`;
    extra = { argv: plan.argv };
  }
  if (opts.svg) await writeOutput(opts.svg, svgChart(advice), 'the chart');
  if (opts.json) {
    // The JSON's command line is printed too, so its secrets are masked as the text's are.
    if (Array.isArray(extra.argv)) extra = { ...extra, argv: maskedCommand(extra.argv as string[], redactor).words };
    ctx.out.write(`${JSON.stringify(Object.keys(extra).length ? { advice, ...extra } : advice)}\n`);
    return 0;
  }
  const { held, records } = await trackRecord(store, advice.app);
  // Only a stored advice had a launch: a dry run or today's advice for an unadvised run has none.
  const launch = preface ? undefined : launchRow(advice, records, run);
  let text = preface + renderAdvice(advice, ctx.config.advisor.cluster.coreHourPrice, launch);
  const track = trackRecordLine(held);
  if (track) text += `\n${track}\n`;
  if (typeof extra.argv === 'object') {
    const shown = shownCommand(extra.argv as string[], redactor);
    text += `\nCommand line: spark-submit ${shown.text}${shown.masked ? '  (secret values masked)' : ''}\n`;
  }
  if (opts.svg) text += `\nChart written to ${opts.svg}\n`;
  text += findingsText;
  ctx.out.write(text);
  return 0;
}
