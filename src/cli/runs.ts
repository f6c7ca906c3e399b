import { clipToWidth, displayWidth, formatDuration, printable, wholePercent } from '../format.js';
import { storedJobNear } from './job-near.js';
import type { AggDoc, JsonValue, RunRecord } from '../types.js';
import { UsageError, type CliContext } from './context.js';
import { findingsColumn } from '../findings/words.js';
import { summaryView } from '../metrics/summary-view.js';
import { toRunRecord } from '../documents/record.js';
import { withLaunchOutcomes } from '../advisor/launch-outcomes.js';
import type { QueryCursor, RunStore } from '../store/types.js';
import { crawlErrors, isYarnError, type CrawlErrorDoc } from '../store/yarn.js';

// `spot runs`: the stored runs (or crawl errors), newest first, as a table for people or as JSON lines
// for scripts. The JSON form is the stored document untouched, so jq filters written against the
// original's Elasticsearch documents work on it too. Imported runs (`spot import`) have no aggregated
// document; they are listed from their run records, marked as imported, and print as that record in JSON.

export interface RunsOptions {
  app?: string;
  limit?: number;
  json?: boolean;
  errors?: boolean;
}

/** The figures a table row shows, as numbers; formatting happens in `formatRow`. */
export interface RunRow {
  endTime: string;
  name: string;
  attempt: string;
  durationMs?: number;
  executors?: number;
  coreHours?: number;
  efficiency?: number;
  imported?: boolean;
  /** The attempt has not ended (a log read with --include-in-progress, or one whose driver never logged its end). */
  notEnded?: boolean;
  status?: RunStatus;
}

/**
 * What became of a run, as the advisor reads it: stopped is a launch spot-submit passed a signal on to; untimed is a
 * run that ended well but has no duration (its end is not after its start: clocks that disagree), which no model
 * learns from.
 */
type RunStatus = 'ok' | 'failed' | 'stopped' | 'untimed';

const num = (v: JsonValue | undefined): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const obj = (v: JsonValue | undefined): Record<string, JsonValue> =>
  v && typeof v === 'object' && !Array.isArray(v) ? v : {};

/** A duration stored negative (clock skew, by a crawl before such durations were kept as 0) reads as 0. */
const nonNegative = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : Math.max(0, ms));

export function runRow(doc: AggDoc): RunRow {
  const aggs = obj(doc.attempt.aggs as unknown as JsonValue);
  const summary = summaryView(obj(aggs.summary));
  const executors = obj(obj(aggs.allexecutors).executors);
  return {
    endTime: doc.attempt.endTime,
    name: doc.name,
    attempt: doc.docId,
    durationMs: nonNegative(num(doc.attempt.duration)),
    executors: num(executors.elements_count),
    coreHours:
      summary.allocatedCoreHours ?? (summary.coreCostMs === undefined ? undefined : summary.coreCostMs / 3.6e6),
    efficiency: summary.coreEfficiency,
    ...(doc.attempt.completed === false ? { notEnded: true } : {}),
  };
}

export function importedRow(r: RunRecord): RunRow {
  return {
    endTime: r.endTime,
    name: r.appName ?? r.app,
    attempt: r.id,
    durationMs: r.durationMs,
    executors: r.executors,
    coreHours: r.coreMs === undefined ? undefined : r.coreMs / 3.6e6,
    imported: true,
  };
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 19).replace('T', ' ');
}

function formatRow(r: RunRow): string[] {
  return [
    // The History Server's "not ended" is the epoch's last millisecond, which would read as a date in 1969.
    r.notEnded ? 'not ended' : formatTime(r.endTime),
    clipToWidth(printable(r.name), 40),
    printable(r.attempt),
    r.notEnded || r.durationMs === undefined ? '-' : formatDuration(r.durationMs),
    r.executors === undefined ? '-' : String(r.executors),
    r.coreHours === undefined ? '-' : r.coreHours.toFixed(2),
    r.efficiency === undefined ? '-' : wholePercent(r.efficiency),
    r.notEnded ? '-' : (r.status ?? '-'),
    r.imported ? 'import' : 'crawl',
  ];
}

/** Left-aligned text columns, right-aligned figures, by terminal cells (a CJK character or an emoji takes two). */
function table(header: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(widths[i]! - displayWidth(c));
        return rightAligned.has(i) ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function errorRow(e: CrawlErrorDoc, resolved: boolean): string[] {
  const message = (e.spot.error?.message ?? '').split('\n')[0] ?? '';
  const source = isYarnError(e) ? `yarn ${e.spot.yarn_host}` : `history ${e.spot.history_host ?? '-'}`;
  return [
    formatTime(e.spot.time_processed),
    printable(source),
    printable(e.spot.spark_app_id),
    e.spot.error?.stage ?? '-',
    printable(e.spot.error?.type ?? '-'),
    resolved ? 'stored' : '-',
    clipToWidth(printable(message), 80),
  ];
}

/**
 * Whether a crawl after the error stored the app: error documents stay (they count an app's tries, and `spot status`
 * and the report chart crawl errors over time), so the listing says which ones a later crawl made good.
 */
async function resolvedLater(store: Pick<RunStore, 'getAgg'>, errors: CrawlErrorDoc[]): Promise<boolean[]> {
  const storedAt = new Map<string, number>();
  for (const id of new Set(errors.filter((e) => !isYarnError(e)).map((e) => e.spot.spark_app_id))) {
    const times = (await store.getAgg(id)).map((d) => Date.parse(d.spot.time_processed) || 0);
    if (times.length > 0) storedAt.set(id, Math.max(...times));
  }
  return errors.map(
    (e) => !isYarnError(e) && (storedAt.get(e.spot.spark_app_id) ?? -1) >= (Date.parse(e.spot.time_processed) || 0),
  );
}

const crawlFirst = (missing?: string) =>
  `No runs stored yet${missing ? ` (no store at ${missing})` : ''}: run \`spot crawl --once --history-server URL\` ` +
  'first to read finished apps from the Spark History Server.\n';

/**
 * Why no run can be listed, when none can: nothing crawled yet, or a crawl that stored run records but not the
 * aggregated documents they were built from (a store that refused them), or only failures.
 */
async function nothingListed(store: RunStore): Promise<string> {
  const [records, errors] = await Promise.all([store.records({ limit: 1 }), crawlErrors(store, { limit: 1 })]);
  const seeErrors = errors.length > 0 ? '; `spot runs --errors` lists what failed' : '';
  if (records.length > 0) {
    return (
      'No runs to list: the store holds run records of crawled apps, but not the aggregated documents a crawl ' +
      `stores with them (refused by the store, or deleted)${seeErrors}.\n`
    );
  }
  if (errors.length > 0) return `No runs stored yet, only crawl errors${seeErrors}.\n`;
  return crawlFirst();
}

export async function runRuns(opts: RunsOptions, ctx: CliContext): Promise<number> {
  if (opts.errors && opts.app !== undefined) {
    throw new UsageError('--app cannot be combined with --errors: error documents belong to app ids, not names');
  }
  const limit = opts.limit ?? 20;
  const hint = (text: string) => (opts.json ? ctx.err : ctx.out).write(text);
  // Listing an SQLite file that does not exist would create it: a mistyped path would then look like a real store.
  const missing = await ctx.missingStore();
  if (missing) {
    hint(opts.errors ? `No crawl errors stored (no store at ${missing} yet).\n` : crawlFirst(missing));
    return 0;
  }
  const store = await ctx.store();

  if (opts.errors) {
    const errors = await crawlErrors(store, { limit });
    if (errors.length === 0) {
      hint('No crawl errors stored.\n');
      return 0;
    }
    if (opts.json) for (const e of errors) ctx.out.write(`${JSON.stringify(e)}\n`);
    else {
      const resolved = await resolvedLater(store, errors);
      const rows = errors.map((e, i) => errorRow(e, resolved[i]!));
      ctx.out.write(
        table(['TIME (UTC)', 'SOURCE', 'APP ID', 'STAGE', 'ERROR', 'RESOLVED', 'MESSAGE'], rows, new Set()),
      );
    }
    return 0;
  }

  const header = [
    ...['END (UTC)', 'APP', 'ATTEMPT', 'DURATION', 'EXECUTORS', 'CORE-H', 'EFFICIENCY'],
    ...['STATUS', 'SOURCE', 'FINDINGS'],
  ];
  // Findings read a crawled attempt's stages and tasks; an imported run has none.
  const findings = (doc: AggDoc | RunRecord) => ('attempt' in doc ? findingsColumn(doc, ctx.config.findings) : '-');
  // Each run is printed (JSON) or cut to its table row as it comes, so no more than a page of documents is held.
  const rows: string[][] = [];
  let batch: Listed[] = [];
  const flush = async () => {
    // Side by side: on Elasticsearch each advice record is a round trip.
    await Promise.all(
      batch.map(async (r) => {
        r.row.status = await statusOf(store, r.doc);
      }),
    );
    for (const r of batch) rows.push([...formatRow(r.row), findings(r.doc)]);
    batch = [];
  };
  let listed = 0;
  for await (const r of recentRuns(ctx, opts.app, limit)) {
    listed++;
    if (opts.json) {
      ctx.out.write(`${JSON.stringify(r.doc)}\n`);
      await ctx.out.drained?.();
    } else if (batch.push(r) >= PAGE) await flush();
  }
  if (listed === 0) {
    if (opts.app === undefined || (await recentRuns(ctx, undefined, 1).next()).done) hint(await nothingListed(store));
    else {
      const near = await storedJobNear(store, opts.app);
      const mean = near ? ` Did you mean '${near}'?` : '';
      hint(`No stored runs of '${printable(opts.app)}' (matched against app names, tags and job keys).${mean}\n`);
    }
    return 0;
  }
  if (opts.json) return 0;
  await flush();
  ctx.out.write(table(header, rows, new Set([3, 4, 5, 6])));
  return 0;
}

/**
 * The run's own verdict (a crawled attempt's by the rule its run record follows), with what spot-submit saw of its
 * launch: a driver that threw before its first job fails no stage, but its launch exited non-zero.
 */
async function statusOf(store: Pick<RunStore, 'getAdvice'>, doc: AggDoc | RunRecord): Promise<RunStatus> {
  const record = 'attempt' in doc ? toRunRecord(doc) : doc;
  const advice = record.adviceId === undefined ? undefined : await store.getAdvice(record.adviceId);
  const [read] = withLaunchOutcomes([record], advice ? [advice] : []);
  if (read === undefined) return 'stopped';
  if (!read.succeeded) return 'failed';
  return read.durationMs > 0 ? 'ok' : 'untimed';
}

/** Crawled attempts, newest first, a page at a time. */
async function* crawledDocs(store: RunStore, app: string | undefined, limit: number): AsyncGenerator<AggDoc> {
  let after: QueryCursor | undefined;
  for (let left = limit; left > 0; ) {
    const page = await store.queryPage({ app, limit: Math.min(left, PAGE) }, after);
    yield* page.docs;
    left -= page.docs.length;
    if (!page.next) return;
    after = page.next;
  }
}

/** Documents held at once while listing: a crawled attempt's aggregated document is tens of KB, some far more. */
const PAGE = 100;

type Listed = { row: RunRow; doc: AggDoc | RunRecord };

/**
 * Crawled attempts and imported runs together, newest first: what `spot predict` and spot-submit learn from. Read
 * as a stream, the crawled ones a page at a time, so that listing thousands holds one page of documents, not all.
 */
async function* recentRuns(ctx: CliContext, app: string | undefined, limit: number): AsyncGenerator<Listed> {
  const store = await ctx.store();
  const time = (iso: string) => new Date(iso).getTime() || 0;
  // Run records are a few hundred bytes each; `--app` is an app name, a tag or a job key, and a crawled run found
  // by its key (not its name) joins the attempts found by name, where its end time puts it.
  const records = await store.records({ app, limit });
  const shown = new Set<string>();
  // A run record found by key is read as a document only when the merge below comes to it: by then every attempt
  // found by name as new as it has been listed (the newer first, the one found by name on a tie), so one that the
  // name stream listed is skipped unread, and each listed run is read once. Without `--app` the name stream lists
  // every crawled attempt, and the records add the imported runs alone.
  const byKey = async function* (): AsyncGenerator<{ endTime: string; load: () => Promise<Listed[]> }> {
    for (const r of records) {
      if (r.source === 'import') {
        yield { endTime: r.endTime, load: async () => [{ row: importedRow(r), doc: r }] };
        continue;
      }
      if (app === undefined || r.appId === undefined) continue;
      const appId = r.appId;
      yield {
        endTime: r.endTime,
        load: async () =>
          shown.has(r.id)
            ? []
            : (await store.getAgg(appId)).filter((d) => d.docId === r.id).map((d) => ({ row: runRow(d), doc: d })),
      };
    }
  };
  const byName = async function* (): AsyncGenerator<Listed> {
    for await (const d of crawledDocs(store, app, limit)) yield { row: runRow(d), doc: d };
  };
  const a = byName();
  const b = byKey();
  let [x, y] = [await a.next(), await b.next()];
  for (let n = 0; n < limit && !(x.done && y.done); ) {
    // The newest of the two; on a tie the attempt found by name, as a stable sort of the two lists put it.
    const takeA = !x.done && (y.done || time(x.value.row.endTime) >= time(y.value.endTime));
    let listed: Listed[];
    if (takeA) {
      listed = [x.value as Listed];
      x = await a.next();
    } else {
      listed = await (y.value as { load: () => Promise<Listed[]> }).load();
      y = await b.next();
    }
    for (const next of listed) {
      const id = 'attempt' in next.doc ? next.doc.docId : undefined;
      if (id !== undefined && shown.has(id)) continue;
      if (id !== undefined) shown.add(id);
      if (n >= limit) break;
      n++;
      yield next;
    }
  }
}
