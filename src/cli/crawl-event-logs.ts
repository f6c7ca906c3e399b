import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { crawlEventLogs } from '../crawl/event-logs.js';
import { StoreError } from '../store/errors.js';
import { UserFacingError, type CliContext } from './context.js';
import { fileError } from './file-error.js';
import { crawlProgress, failureHint, formatSummary, sleep } from './crawl-progress.js';
import { replayOutboxFor } from './outbox-replay.js';

// `spot crawl --event-logs PATH [--once] [--include-in-progress]`: Spark event logs (a folder of them, one
// log file, or one eventlog_v2_ folder) instead of a History Server.

export interface EventLogCrawlOptions {
  once?: boolean;
  eventLogs: string;
  includeInProgress?: boolean;
}

export async function runEventLogCrawl(opts: EventLogCrawlOptions, ctx: CliContext): Promise<number> {
  let info: Stats;
  try {
    info = await stat(opts.eventLogs);
  } catch (e) {
    throw fileError(`cannot read --event-logs ${opts.eventLogs}`, e);
  }
  if (!info.isFile() && !info.isDirectory()) {
    throw new UserFacingError(`--event-logs: ${opts.eventLogs} is neither a file nor a folder of event logs`, 2);
  }
  if (info.isFile() && opts.eventLogs.endsWith('.inprogress') && !opts.includeInProgress) {
    ctx.err.write(
      `spot crawl: ${opts.eventLogs} is a log still being written (.inprogress): --include-in-progress reads it\n`,
    );
  }
  const store = await ctx.store();
  const menas = await (await import('../compose.js')).menasClient(ctx.config);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const warned = new Set<string>();
    let stored = false;
    for (;;) {
      await replayOutboxFor(ctx, async () => store);
      const progress = crawlProgress(ctx.err, warned);
      try {
        const summary = await crawlEventLogs({
          store,
          config: ctx.config,
          path: opts.eventLogs,
          includeInProgress: opts.includeInProgress,
          menas,
          onEvent: (e) => progress.onEvent(e),
        });
        progress.stop();
        ctx.out.write(formatSummary(summary, 'event-logs'));
        stored = true;
        const hint = failureHint(summary);
        if (hint) ctx.err.write(hint);
        // The jobs these logs ran are fitted now, as after a History Server crawl: their next launch looks them up.
        if (summary.new > 0) await (await import('../submit/prefit.js')).prefitNewest(store, ctx.config, summary.new);
      } catch (error) {
        progress.stop();
        // A looping crawl outlives a store restart (the logs it missed are read next round); a first round that
        // cannot store anything is a setup problem.
        if (!(error instanceof StoreError) || opts.once || !stored) throw error;
        ctx.err.write(`spot crawl: ${error.message}; trying again in ${ctx.config.crawler.sleepSeconds} s\n`);
      }
      if (opts.once || stop.signal.aborted) return 0;
      if (!(await sleep(ctx.config.crawler.sleepSeconds * 1000, stop.signal))) return 0;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
