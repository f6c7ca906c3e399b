import { resolve } from 'node:path';
import type { CliContext } from './context.js';
import { plural, printable } from '../format.js';
import { nearest } from '../common/nearest.js';
import { storedJobNear } from './job-near.js';
import { importOptional } from './optional.js';
import { filteredToNothing } from '../report/filter.js';
import { parseSince } from './since.js';
import { writeOutput } from './write-output.js';
import type { ChartRenderer } from '../report/index.js';
import { isClusterStore } from '../config/schema.js';

// `spot report [--out FILE.html]`: one self-contained page of the charts users otherwise build in Kibana.

export interface ReportOptions {
  out?: string;
  app?: string;
  user?: string;
  since?: string;
  cluster?: string;
}

/**
 * `startPool`: the chart threads' start (report/render-pool.ts's own, whose thread count follows the machine's load;
 * tests start a thread whatever the load).
 */
export async function runReport(
  opts: ReportOptions,
  ctx: CliContext,
  startPool?: () => ChartRenderer,
): Promise<number> {
  // Vega is imported later, by a chart thread or at the first chart: here only check that it is installed.
  const { buildReport, startRenderPool } = await importOptional('spot report', ['vega', 'vega-lite'], async () => {
    import.meta.resolve('vega');
    import.meta.resolve('vega-lite');
    return import('../report/index.js');
  });
  const filter = {
    ...(opts.app !== undefined ? { app: opts.app } : {}),
    ...(opts.user !== undefined ? { user: opts.user } : {}),
    ...(opts.cluster !== undefined ? { cluster: clusterName(opts.cluster) } : {}),
    ...(opts.since !== undefined ? { since: parseSince(opts.since) } : {}),
  };
  // Started before the store is opened, so a chart thread imports Vega while this one reads; closed in any case
  // (a thread keeps the process alive).
  const renderer = (startPool ?? startRenderPool)();
  let missing: string | undefined;
  let report: Awaited<ReturnType<typeof buildReport>>;
  try {
    // Inside the try: a store that cannot be reached must still close the threads, or the process never ends.
    missing = await ctx.missingStore();
    const store = await ctx.readStore();
    // On Elasticsearch, YARN applications live in their own indexes (spot crawl --yarn).
    const yarn = isClusterStore(ctx.config.store)
      ? await ctx.esYarnStore(false) // a report only reads: YARN indexes not there read as none
      : undefined;
    try {
      const thresholds = ctx.config.findings;
      report = await buildReport(store, { filter, thresholds, renderer, ...(yarn ? { yarn } : {}) });
    } finally {
      await yarn?.close();
    }
  } finally {
    await renderer.close();
  }
  const path = await writeOutput(opts.out ?? 'spot-report.html', report.html, 'the report', ctx.out);
  const drawn = report.charts.filter((c) => c.svg !== undefined).length;
  const runs = report.data.summary.runsRead;
  if (path) ctx.out.write(`${path}\n`);
  const unmatched = filteredToNothing(report.data.filter, report.data.summary)
    ? `; no stored run matches the filters (the store holds ${plural(report.data.summary.runsInStore, 'run')}${await meant(opts, report.data.known, ctx)})`
    : missing
      ? `; no Spot store at ${missing} yet (\`spot crawl\` or \`spot import\` creates it)`
      : '';
  ctx.err.write(`spot report: ${drawn} of ${report.charts.length} charts over ${plural(runs, 'run')}${unmatched}\n`);
  return 0;
}

/**
 * The stored name a filter that matched nothing is one slip from ("; did you mean --app 'etl'?"), for each of
 * --app, --cluster and --user given, else nothing.
 */
async function meant(
  opts: ReportOptions,
  known: { clusters: string[]; users: string[] } | undefined,
  ctx: CliContext,
): Promise<string> {
  const near: string[] = [];
  if (opts.app !== undefined) {
    const job = await storedJobNear(await ctx.readStore(), opts.app);
    if (job) near.push(`--app '${job}'`);
  }
  const cluster = opts.cluster === undefined ? undefined : nearest(clusterName(opts.cluster), known?.clusters ?? []);
  if (cluster !== undefined) near.push(`--cluster '${printable(cluster)}'`);
  const user = opts.user === undefined ? undefined : nearest(opts.user, known?.users ?? []);
  if (user !== undefined) near.push(`--user '${printable(user)}'`);
  return near.length ? `; did you mean ${near.join(' ')}?` : '';
}

/**
 * The History Server host runs are stored under (`history_host`), from what a user naturally gives: the host, the
 * server's URL (as crawled: `http://shs:18080/api/v1`) or host:port; event logs' `file://FOLDER`, as an absolute path.
 */
export function clusterName(given: string): string {
  // Stored as the crawl resolved it (crawl/event-logs.ts): an absolute folder without a trailing slash. A folder
  // given as crawled, relative to here (`file://spark-events/`), names the same one.
  if (/^file:\/\//i.test(given)) return `file://${resolve(given.slice('file://'.length))}`;
  if (/^https?:\/\//i.test(given)) {
    try {
      return new URL(given).hostname;
    } catch {
      return given;
    }
  }
  const hostPort = /^([^/:\s]+):\d+$/.exec(given);
  return hostPort ? hostPort[1]! : given;
}
