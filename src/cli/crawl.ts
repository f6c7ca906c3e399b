import { crawlOnce, type CrawlSummary } from '../crawl/index.js';
import { historyClient, menasClient } from '../compose.js';
import { checkUrl, normaliseBaseUrl } from '../history/client.js';
import {
  HistoryError,
  HistoryNotFoundError,
  HistorySetupError,
  HistoryTimeoutError,
  HistoryTlsError,
  HistoryUnreachableError,
} from '../history/errors.js';
import { withoutUserInfo } from '../common/url-credentials.js';
import { ConfigError } from '../config/errors.js';
import { StoreError } from '../store/errors.js';
import { UsageError, UserFacingError, type CliContext } from './context.js';
import { crawlProgress, failureHint, formatSummary, sleep } from './crawl-progress.js';
import { replayOutboxFor } from './outbox-replay.js';
import { parseSince } from './since.js';

// `spot crawl [--once] [--history-server URL] [--since ISO-DATE] [--concurrency N]`. The URL and the
// concurrency come through the config (flag > SPOT_* env > .spotrc.yml), see main.ts.

export interface CrawlOptions {
  once?: boolean;
  historyServer?: string;
  since?: string;
  concurrency?: number;
  /** `--yarn [URL]`: poll a YARN ResourceManager instead (crawl-yarn.ts). */
  yarn?: string | boolean;
  eventLogs?: string;
  includeInProgress?: boolean;
}

/** Flags that cannot go together: one source per crawl, and the flags that belong to one source only. */
function checkFlags(opts: CrawlOptions): void {
  const sources = [
    opts.yarn !== undefined && '--yarn',
    opts.eventLogs !== undefined && '--event-logs',
    opts.historyServer !== undefined && '--history-server',
  ].filter((s): s is string => typeof s === 'string');
  if (sources.length > 1) {
    throw new UsageError(`${sources.join(' and ')} are ${sources.length === 2 ? 'two' : 'three'} sources: give one`);
  }
  if (opts.since !== undefined && sources[0] !== undefined && sources[0] !== '--history-server') {
    throw new UsageError(`--since applies to History Server listings, not to ${sources[0]}`);
  }
  if (opts.concurrency !== undefined && sources[0] !== undefined && sources[0] !== '--history-server') {
    throw new UsageError(`--concurrency applies to History Server crawls, not to ${sources[0]}`);
  }
  if (opts.includeInProgress && opts.eventLogs === undefined) {
    throw new UsageError('--include-in-progress goes with --event-logs');
  }
}

export async function runCrawl(opts: CrawlOptions, ctx: CliContext): Promise<number> {
  checkFlags(opts);
  if (opts.yarn !== undefined) return (await import('./crawl-yarn.js')).runYarnCrawl(opts, ctx);
  if (opts.eventLogs !== undefined) {
    return (await import('./crawl-event-logs.js')).runEventLogCrawl({ ...opts, eventLogs: opts.eventLogs }, ctx);
  }
  const config = ctx.config;
  const url = config.historyServer.url;
  if (!url) throw new UsageError('no History Server: pass --history-server URL or set historyServer.url');
  // Checked before the store is opened: a mistyped address is a usage error and leaves nothing behind.
  const badUrl = checkUrl(normaliseBaseUrl(url));
  if (badUrl) throw new UsageError(`History Server ${withoutUserInfo(url)}: ${badUrl}`);
  const since = opts.since === undefined ? undefined : parseSince(opts.since);

  // Each app fetches its endpoints side by side, so the connection pool is wider than the app pool.
  const client = await historyClient(config, { concurrency: config.crawler.concurrency * 3 });
  // Before the store is opened: a setting that cannot work is the config's error (exit 2), not a crawl failure to
  // store, count in `spot status` and try again every round.
  const unusable = await client.unusableSettings();
  if (unusable) {
    await client.close();
    throw new ConfigError(unusable.message);
  }
  const store = await ctx.store();
  const menas = await menasClient(config);
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130); // a second Ctrl-C: the user does not want to wait
    ctx.err.write('\nspot crawl: stopping after the apps in flight (again to quit at once)\n');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const warned = new Set<string>();
    for (let round = 0; ; round++) {
      await replayOutboxFor(ctx, async () => store);
      const progress = crawlProgress(ctx.err, warned);
      let summary: CrawlSummary;
      let partial: CrawlSummary | undefined;
      let printed = false;
      try {
        summary = await crawlOnce({
          client,
          store,
          config,
          historyUrl: url,
          since,
          menas,
          signal: stop.signal,
          onEvent: (e) => {
            if (e.type === 'done') partial = e.summary;
            progress.onEvent(e);
          },
        });
        progress.stop();
        ctx.out.write(formatSummary(summary));
        printed = true;
        // Fitting the new runs' jobs reads and writes the store too: an outage there is one to outlive as well.
        if (summary.new > 0) await (await import('../submit/prefit.js')).prefitNewest(store, config, summary.new);
      } catch (error) {
        progress.stop();
        // What got stored before the failure is worth a line too (not when nothing was).
        if (!printed && partial && partial.new + partial.failed > 0) ctx.out.write(formatSummary(partial));
        const message = historyFailure(error, client.baseUrl);
        // A daemon outlives a History Server or store restart; a first crawl that cannot list or store anything is
        // a setup problem.
        if (!message || opts.once || (round === 0 && !printed)) throw message ? new UserFacingError(message, 1) : error;
        ctx.err.write(`spot crawl: ${message}; trying again in ${config.crawler.sleepSeconds} s\n`);
        if (!(await sleep(config.crawler.sleepSeconds * 1000, stop.signal))) return 0;
        continue;
      }
      const hint = failureHint(summary);
      if (hint) ctx.err.write(hint);
      if (opts.once || stop.signal.aborted) return 0;
      if (!(await sleep(config.crawler.sleepSeconds * 1000, stop.signal))) return 0;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await client.close();
  }
}

/**
 * One line for a History Server that could not be listed or a store that could not be used (a looping crawl tries
 * both again next round), or undefined if the failure is something else.
 */
function historyFailure(error: unknown, baseUrl: string): string | undefined {
  if (error instanceof StoreError) return error.message;
  // The user knows the server by the URL they gave, not by the listing request's query string.
  // This machine's trust or ticket (a refused certificate, no Kerberos ticket), not where the server listens; settings
  // that cannot work at all were a ConfigError before the crawl began.
  if (error instanceof HistorySetupError) return error.message;
  if (error instanceof HistoryTimeoutError && error.started) {
    // It answered: its host, port and path are right, only too slow for the time limit.
    return (
      `the History Server at ${withoutUserInfo(baseUrl)} is too slow: ${error.reason}; it may be busy (loading event ` +
      `logs) or the answer large: raise historyServer.timeoutMs (now ${error.timeoutMs} ms) or try again later`
    );
  }
  if (error instanceof HistoryUnreachableError) {
    const server = `cannot reach the History Server at ${withoutUserInfo(baseUrl)}: ${error.reason}`;
    // The TLS reason already says what to check; the host and port answered.
    return error instanceof HistoryTlsError ? server : `${server}; ${unreachableHint(error)}`;
  }
  // Something answered but has no listing there: a web server, a proxy, or the History Server under another path.
  if (error instanceof HistoryNotFoundError) return `${error.message}; check ${PATH_HINT}`;
  return error instanceof HistoryError ? error.message : undefined;
}

const PATH_HINT = "that the URL is the History Server's own, ending at the server or at /api/v1";

/** What to check, in the order it usually goes wrong. */
function unreachableHint(error: HistoryUnreachableError): string {
  const where =
    'check the host and port (the History Server listens on 18080 unless spark.history.ui.port says otherwise)';
  return error instanceof HistoryTimeoutError
    ? `something answers the connection but sends nothing back: ${where}, and ${PATH_HINT}`
    : `${where}, and ${PATH_HINT}`;
}
