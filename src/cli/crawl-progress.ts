import cliProgress from 'cli-progress';
import type { CrawlEvent, CrawlSummary } from '../crawl/index.js';
import type { Output } from './context.js';
import { fileProblem, formatDuration, plural, printable } from '../format.js';

// How a crawl shows itself: a bar on a terminal; otherwise (cron, log files) a line per listing window
// that found apps, so 10,000 apps make a few dozen lines, not 10,000.

const MAX_FAILURE_LINES = 20;
/** Warnings shown per round; the rest are counted in one line. */
const MAX_WARNING_LINES = 20;
/** Distinct warnings remembered across a looping crawl's rounds, so each is said once, not every round. */
const MAX_REMEMBERED_WARNINGS = 1000;

export interface Progress {
  onEvent(event: CrawlEvent): void;
  stop(): void;
}

/**
 * `warned` carries the warnings already shown from one round of a looping crawl to the next (a server that ignores
 * minEndDate is said once, not every round).
 */
export function crawlProgress(err: Output, warned: Set<string> = new Set()): Progress {
  const warnings = warningLines(warned);
  if (!err.isTTY) return lineProgress(err, warnings);
  // A bar redraws its line: warnings wait until it is gone.
  const held: string[] = [];
  const bar = barProgress();
  return {
    onEvent(event) {
      const warning = asWarning(event);
      if (warning) held.push(warnings.line(warning) ?? '');
      else bar.onEvent(event);
    },
    stop() {
      bar.stop();
      err.write(held.join('') + warnings.more());
      held.length = 0;
    },
  };
}

type Warning = Extract<CrawlEvent, { type: 'warning' }>;

/** The events said as warnings, in words: a warning as it came, folders an event-log search could not list. */
function asWarning(event: CrawlEvent): Warning | undefined {
  if (event.type === 'warning') return event;
  if (event.type !== 'unlisted') return undefined;
  const problem = fileProblem({ code: event.code });
  return {
    type: 'warning',
    message:
      `${plural(event.folders, 'folder')} under ${event.under} could not be listed, so ` +
      `${event.folders === 1 ? 'its' : 'their'} logs were not read: ${event.first} (${problem})`,
  };
}

/** A warning's line, or undefined when it was said before or this round has said enough; then `more` says so. */
function warningLines(warned: Set<string>) {
  let shown = 0;
  let unshown = 0;
  return {
    line(event: Warning): string | undefined {
      const line = `spot crawl: warning: ${event.appId ? `${printable(event.appId)}: ` : ''}${printable(event.message)}\n`;
      if (warned.has(line)) return undefined;
      if (warned.size >= MAX_REMEMBERED_WARNINGS) warned.clear();
      warned.add(line);
      if (shown >= MAX_WARNING_LINES) {
        unshown += 1;
        return undefined;
      }
      shown += 1;
      return line;
    },
    /** The count of warnings not shown, once (a round's progress may be stopped twice). */
    more(): string {
      const text = unshown > 0 ? `spot crawl: ${plural(unshown, 'more warning')} not shown\n` : '';
      unshown = 0;
      return text;
    },
  };
}

function lineProgress(err: Output, warnings: ReturnType<typeof warningLines>): Progress {
  let listed = 0;
  let done = 0;
  let failures = 0;
  let header: string | undefined;
  const counts = { new: 0, skipped: 0, failed: 0, gaveUp: 0 };
  return {
    onEvent(event) {
      const warning = asWarning(event);
      if (warning) {
        const line = warnings.line(warning);
        if (line) err.write(line);
      } else if (event.type === 'start') {
        // Said once the server has answered, so that an unreachable one costs the user a single line.
        header = `spot crawl: apps that ended ${event.window.from.toISOString()} .. ${event.window.to.toISOString()}\n`;
      } else if (event.type === 'listed') {
        listed = event.total;
      } else if (event.type === 'window' && header) {
        err.write(header);
        header = undefined;
      }
      if (event.type === 'window' && event.apps > 0) {
        err.write(
          `spot crawl: listing ${event.window.from.toISOString()} .. ${event.window.to.toISOString()}: ${plural(event.apps, 'app')}` +
            ` (so far ${listed} listed, ${done} done: ${counts.new} new, ${counts.skipped} skipped, ${counts.failed} failed)\n`,
        );
      } else if (event.type === 'app') {
        done += 1;
        counts[event.outcome] += 1;
        if (event.error && ++failures <= MAX_FAILURE_LINES) {
          err.write(
            `spot crawl: ${printable(event.appId)} failed (${event.error.stage}): ${printable(`${event.error.type}: ${event.error.message}`)}\n`,
          );
          if (failures === MAX_FAILURE_LINES)
            err.write('spot crawl: further failures are only stored (spot runs --errors)\n');
        }
      }
    },
    stop() {
      err.write(warnings.more());
    },
  };
}

function barProgress(): Progress {
  const bar = new cliProgress.SingleBar(
    {
      // No ETA: the total grows as listings come in, so an estimate would only mislead.
      format:
        'crawl [{bar}] {value}/{total} apps | {new} new, {skipped} skipped, {failed} failed | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let listed = 0;
  let done = 0;
  const counts = { new: 0, skipped: 0, failed: 0, gaveUp: 0 };
  let started = false;
  const start = () => {
    if (!started) bar.start(Math.max(listed, 1), done, counts);
    started = true;
  };
  return {
    onEvent(event) {
      if (event.type === 'listed') {
        listed = event.total;
        start();
        bar.setTotal(Math.max(listed, 1));
      } else if (event.type === 'app') {
        done += 1;
        counts[event.outcome] += 1;
        start();
        bar.update(done, counts);
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** The crawl's last line; `source` says what was listed: History Server listings, or event logs in a folder. */
export function formatSummary(s: CrawlSummary, source: 'listings' | 'event-logs' = 'listings'): string {
  const seconds = s.elapsedMs / 1000;
  const rate = seconds > 0 ? (s.new + s.failed) / seconds : 0;
  const listed =
    source === 'event-logs'
      ? `${plural(s.listed, 'listed log')}`
      : `${s.listed} listed in ${plural(s.windows, 'listing')}`;
  return (
    `spot crawl: ${s.new} new, ${s.skipped} skipped, ${s.failed} failed, ${s.gaveUp} gave up` +
    // As every other command writes a duration: a 41 ms crawl is not "0.0 s", nor a backfill "5423.1 s".
    ` (${listed}) in ${formatDuration(s.elapsedMs)}, ${rate.toFixed(1)} apps/s` +
    (s.enriched > 0 ? `; ${s.enriched} enriched from Menas` : '') +
    (s.stopped ? ' (stopped early)' : '') +
    '\n'
  );
}

/** Where to look when apps failed; undefined when none did. */
export function failureHint(s: CrawlSummary): string | undefined {
  if (s.failed === 0) return undefined;
  return `spot crawl: ${plural(s.failed, 'app')} failed; later crawls retry each up to crawler.maxAppRetries times (details: spot runs --errors)\n`;
}

/** Resolves true after `ms`, or false as soon as the signal fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
