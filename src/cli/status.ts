import { historyHost } from '../history/client.js';
import { crawlStatus, type Problem, type SourceHealth, type StatusReport } from '../monitor/status.js';
import { outboxDir, pendingEntries } from '../store/outbox.js';
import { isMonitorStore } from '../store/yarn.js';
import { UserFacingError, type CliContext } from './context.js';
import { decimalsApart, formatDuration } from '../format.js';

// `spot status [--json]`: per History Server and ResourceManager host, the newest stored run, when the crawler
// last stored something, and the error documents of the last day by type. Exit 1 when any source is stale
// or has too many errors, so cron or a monitoring system can alert on it.

export async function runStatus(opts: { json?: boolean; now?: Date }, ctx: CliContext): Promise<number> {
  const { config } = ctx;
  // Said before the store is opened: an Elasticsearch cluster that is down or mistyped is beside the point.
  const sqliteOnly = () =>
    new UserFacingError('spot status reads SQLite stores only for now: set store.type to sqlite', 2);
  if (config.store.type !== 'sqlite') throw sqliteOnly();
  const store = await ctx.existingStore();
  if (!isMonitorStore(store)) throw sqliteOnly();
  const expected = [
    ...(config.historyServer.url ? [{ kind: 'history' as const, host: historyHost(config.historyServer.url) }] : []),
    ...(config.yarn.url ? [{ kind: 'yarn' as const, host: historyHost(config.yarn.url) }] : []),
  ];
  const report = await crawlStatus(store, {
    now: opts.now ?? new Date(),
    staleHours: config.monitor.staleHours,
    maxErrors: config.monitor.maxErrors,
    expected,
  });
  // What spot-submit could not store yet waits in the outbox until `spot crawl` replays it (store/outbox.ts).
  const dir = outboxDir(ctx.loaded.home);
  const pending = pendingEntries(dir).length;
  ctx.out.write(
    opts.json
      ? `${JSON.stringify({ ...report, outbox: { dir, pending } })}\n`
      : `${formatStatus(report)}${pending ? `outbox ${dir}: ${pending} pending (the next spot crawl stores them)\n` : ''}`,
  );
  return report.healthy ? 0 : 1;
}

export function formatStatus(report: StatusReport): string {
  if (!report.sources.length) {
    return 'nothing crawled yet and no source configured (historyServer.url, yarn.url): nothing to check\n';
  }
  const lines = report.sources.map(sourceLines);
  const verdict = report.healthy
    ? 'ok'
    : `${report.sources.filter((s) => s.problems.length).length} of ${report.sources.length} sources need attention`;
  return `${lines.join('\n')}\n${verdict}\n`;
}

function sourceLines(s: SourceHealth): string {
  // An event-log crawl stores its folder as its history host (file://FOLDER): no History Server is behind it.
  const label = s.kind === 'yarn' ? 'ResourceManager' : s.host.startsWith('file://') ? 'Event logs' : 'History Server';
  const state = s.problems.length ? 'PROBLEM' : 'ok';
  const out = [`${label} ${s.host}: ${state}`];
  out.push(`  newest run:     ${s.newestRun ?? '-'}`);
  out.push(`  last stored:    ${s.lastProcessed ? `${s.lastProcessed} (${ago(s.hoursSinceProcessed!)})` : 'never'}`);
  const types = Object.entries(s.errors).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  out.push(`  errors (24 h):  ${types.length ? types.map(([t, n]) => `${t} ${n}`).join(', ') : 'none'}`);
  for (const p of s.problems) out.push(`  ! ${problemText(p)}`);
  return out.join('\n');
}

/** As every command writes a duration ("59m 59s ago", "5h 18m ago"): minutes rounded alone read "60 min ago". */
function ago(hours: number): string {
  return `${formatDuration(hours * 3_600_000)} ago`;
}

export function problemText(p: Problem): string {
  switch (p.code) {
    case 'never_stored':
      return 'nothing stored from this source yet';
    case 'stale':
      // With the decimals that keep it apart from the limit: "6.0 h (monitor.staleHours is 6)" reads as within it.
      return `nothing new stored for ${p.hours.toFixed(decimalsApart(p.hours, p.limitHours, 1))} h (monitor.staleHours is ${p.limitHours})`;
    case 'too_many_errors':
      return `${p.errors} error documents in the last 24 h (monitor.maxErrors is ${p.limit})`;
  }
}
