import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SpotConfig } from '../config/schema.js';
import { crawlListedApp } from './app.js';
import { errorDoc, errorMessage, errorType } from './error-doc.js';
import { countApp, emptySummary } from './summary.js';
import type { CrawlEvent, CrawlSummary } from './types.js';
import type { MenasClient } from '../enceladus/menas-client.js';
import type { RunStore } from '../store/types.js';
import { hasCrawlLeases } from '../store/crawl-leases.js';
import { DEFAULT_LEASE_MS, leaseOwner, leaseOwnerGone } from './lease-owner.js';
import type { AppAttempt, JsonObject, ShsApplication } from '../types.js';
import { findEventLogs, type EventLogSource } from '../eventlog/find.js';
import { peekAppId, readEventLog } from '../eventlog/read.js';

// `spot crawl --event-logs PATH`: event logs (read by src/eventlog/) instead of a History Server, into the same
// documents and store. Each attempt remembers the log it came from (x_event_log: path, size, mtime); a repeat
// crawl reads only logs whose app is not stored with that same signature. All logs of an app are read
// together, because its raw document holds every attempt; apps are read and stored one at a time.

export interface EventLogCrawlDeps {
  store: RunStore;
  config: SpotConfig;
  path: string;
  includeInProgress?: boolean;
  menas?: MenasClient;
  now?: Date;
  onEvent?: (event: CrawlEvent) => void;
  /** Reads which app a log belongs to from its first events (tests watch it; default: the reader's). */
  peekAppId?: (source: EventLogSource) => Promise<string | undefined>;
  /** How long a claimed app is left to this crawler by others sharing the store (default DEFAULT_LEASE_MS). */
  leaseMs?: number;
}

interface Signature extends JsonObject {
  path: string;
  size: number;
  mtimeMs: number;
}

const signatureOf = (s: EventLogSource): Signature => ({ path: resolve(s.path), size: s.size, mtimeMs: s.mtimeMs });

/** App ids a log's name may stand for: `<appId>` or `<appId>_<attemptId>`, with codec and status suffixes. */
function idsFromName(source: EventLogSource): string[] {
  const name = (source.path.split(/[\\/]/).pop() ?? '')
    .replace(/^eventlog_v2_/, '')
    .replace(/\.inprogress$/, '')
    .replace(/\.(gz|lz4|lzf|snappy|zstd)$/, '');
  const cut = name.lastIndexOf('_');
  return cut > 0 ? [name, name.slice(0, cut)] : [name];
}

/** The signatures of the logs an app's stored attempts came from, and of the copies left out beside them. */
function storedSignatures(raw: { attempts: JsonObject[] } | undefined): Signature[] {
  return (raw?.attempts ?? [])
    .flatMap((a) => [a.x_event_log, ...(Array.isArray(a.x_event_log_copies) ? a.x_event_log_copies : [])])
    .filter((s): s is Signature => typeof s === 'object' && s !== null && typeof (s as Signature).path === 'string');
}

/** Which of two logs of one attempt to keep: the one that ended, then the later end, then the longer log. */
function better(a: AppAttempt, b: AppAttempt): boolean {
  const x = a.attempt;
  const y = b.attempt;
  if (x.completed !== y.completed) return x.completed;
  if (x.endTimeEpoch !== y.endTimeEpoch) return x.endTimeEpoch > y.endTimeEpoch;
  const size = (t: AppAttempt) => (t.attempt.x_event_log as Signature).size;
  if (size(a) !== size(b)) return size(a) > size(b);
  return (a.attempt.x_event_log as Signature).path < (b.attempt.x_event_log as Signature).path;
}

/**
 * One attempt per attempt id, as the History Server keeps them: two logs of one attempt (a log beside its
 * recompressed copy, or beside a copy cut while the app ran) would otherwise be two attempts under one document id,
 * the one written last winning. The logs left out are kept on the attempt (x_event_log_copies), so that a repeat
 * crawl knows them as stored; each case is said.
 */
function oneLogPerAttempt(attempts: AppAttempt[], warn: (message: string) => void): AppAttempt[] {
  const byId = new Map<string, AppAttempt[]>();
  for (const a of attempts) {
    const id = a.attempt.attemptId ?? '';
    byId.set(id, [...(byId.get(id) ?? []), a]);
  }
  return [...byId.entries()].map(([id, same]) => {
    if (same.length === 1) return same[0]!;
    const kept = same.reduce((best, a) => (better(a, best) ? a : best));
    const copies = same.filter((a) => a !== kept).map((a) => a.attempt.x_event_log as Signature);
    kept.attempt.x_event_log_copies = copies;
    const name = (sig: Signature) => sig.path.split(/[\\/]/).pop();
    warn(
      `${same.length} logs hold the same attempt${id ? ` ${id}` : ''}: kept ${name(kept.attempt.x_event_log as Signature)}` +
        `${kept.attempt.completed ? ' (ended)' : ''}, left out ${copies.map(name).join(', ')}`,
    );
    return kept;
  });
}

const same = (a: Signature, b: Signature) => a.path === b.path && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** Whether an app's stored attempts include one read from this very log (its path, size and modification time). */
const storedFromLog = (raw: { attempts: JsonObject[] } | undefined, sig: Signature) =>
  storedSignatures(raw).some((s) => same(s, sig));

/**
 * Why a folder gave no logs at all, in words: '0 listed logs' alone does not say that the folder given is the one
 * above the logs (`/var/log` for `/var/log/spark-events`): a crawl takes only log folders (rolled, Databricks,
 * Spark 1.x) from the folders below it, not their loose files. Undefined for a file.
 */
async function noLogsIn(root: string): Promise<string | undefined> {
  try {
    if (!(await stat(root)).isDirectory()) return undefined;
    const folders = (await readdir(root, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !/^[._]/.test(e.name) && !e.name.startsWith('eventlog_v2_'))
      .map((e) => e.name)
      .sort();
    const named = folders.length > 3 ? `${folders.slice(0, 3).join(', ')}, …` : folders.join(', ');
    return folders.length
      ? `no Spark event logs in ${root}; files in its folders are not read as logs (${named}): point --event-logs at the one that holds them`
      : `no Spark event logs in ${root}`;
  } catch {
    return undefined; // gone meanwhile: the listing said what it found
  }
}

export async function crawlEventLogs(deps: EventLogCrawlDeps): Promise<CrawlSummary> {
  const started = Date.now();
  const { store, onEvent } = deps;
  const root = resolve(deps.path);
  const historyHost = `file://${root}`;
  const summary = emptySummary();
  const found = await findEventLogs(root, {
    includeInProgress: true,
    onWarning: (message) => onEvent?.({ type: 'warning', message }),
    onUnlisted: ({ count, first, code }) => onEvent?.({ type: 'unlisted', under: root, folders: count, first, code }),
  });
  const sources = deps.includeInProgress ? found : found.filter((s) => !s.inProgress);
  // Logs still being written are skipped, as they should be in a live folder; where they are all there is (a first
  // try on a folder of running apps), the crawl says why it found nothing rather than '0 listed logs' alone.
  const open = found.length - sources.length;
  if (sources.length === 0 && open > 0) {
    onEvent?.({
      type: 'warning',
      message: `${open === 1 ? '1 log is' : `${open} logs are`} still being written (….inprogress) and skipped: --include-in-progress reads them`,
    });
  }
  if (found.length === 0) {
    const message = await noLogsIn(root);
    if (message) onEvent?.({ type: 'warning', message });
  }
  const byPath = new Map(sources.map((s) => [resolve(s.path), s]));
  summary.listed = sources.length;

  const leases = hasCrawlLeases(store) ? store : undefined;
  const owner = leaseOwner();
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;

  const fail = async (appId: string, error: unknown, stage: 'raw' | 'store' = 'raw') => {
    const e = { appId, stage, type: errorType(error), message: errorMessage(error) };
    await store.putError(errorDoc({ appId, historyHost, stage, error, now: deps.now ?? new Date() }));
    countApp(summary, appId, 'failed', onEvent, e);
  };

  const readOne = async (source: EventLogSource): Promise<AppAttempt | undefined> => {
    try {
      const { attempt } = await readEventLog(source);
      attempt.attempt.x_event_log = signatureOf(source);
      return attempt;
    } catch (error) {
      await fail(idsFromName(source)[0]!, error);
      return undefined;
    }
  };

  /** Whether the app is stored, with an aggregated document, from every one of these logs as they are now. */
  const storedFrom = async (appId: string, group: EventLogSource[]): Promise<boolean> => {
    if ((await store.getAgg(appId)).length === 0) return false;
    const raw = await store.getRaw(appId);
    return group.every((source) => storedFromLog(raw, signatureOf(source)));
  };

  // Which app each new or changed log belongs to, from its first events: the logs of one app are read and
  // stored together (its raw document holds every attempt), one app at a time so memory holds one app.
  const changed = new Map<string, EventLogSource[]>();
  const unchangedApps = new Set<string>();
  const peek = deps.peekAppId ?? peekAppId;
  /** The first of `ids` whose app is stored from this very log (the same path, size and modification time). */
  const storedUnder = async (ids: string[], sig: Signature): Promise<string | undefined> => {
    for (const id of ids) if (storedFromLog(await store.getRaw(id), sig)) return id;
    return undefined;
  };
  for (const source of sources) {
    const sig = signatureOf(source);
    const nameIds = idsFromName(source);
    const nameId = nameIds[0]!;
    // A log stored as it is now is found under the app id its name gives (as Spark names logs) without opening it:
    // a repeat crawl of thousands of unchanged logs reads none of them, only the store.
    let storedAs = await storedUnder(nameIds, sig);
    // Older Sparks named a later attempt's log after its own id; the log's first events say which app it is.
    const appId = storedAs ?? (await peek(source)) ?? nameId;
    if (storedAs === undefined && !nameIds.includes(appId)) storedAs = await storedUnder([appId], sig);
    if (storedAs !== undefined) {
      unchangedApps.add(storedAs);
      continue;
    }
    // A log that failed this often since it last changed is left alone, as a History Server app is
    // (crawler.maxAppRetries); one repaired or rewritten after that is read again.
    const failures = (await store.errorCounts([nameId], new Date(source.mtimeMs))).get(nameId) ?? 0;
    if (failures >= Math.max(1, deps.config.crawler.maxAppRetries)) {
      summary.gaveUp += 1;
      onEvent?.({ type: 'app', appId: nameId, outcome: 'gaveUp' });
      continue;
    }
    changed.set(appId, [...(changed.get(appId) ?? []), source]);
  }

  // How many apps this crawl counts, each ending as one 'app' event: a progress bar's total (14 logs, 12 apps).
  const apps = [...changed.keys(), ...[...unchangedApps].filter((a) => !changed.has(a))];
  if (apps.length > 0)
    onEvent?.({ type: 'listed', appId: apps[apps.length - 1]!, total: summary.gaveUp + apps.length });

  // Counted by app, as new ones are: an app of two attempt logs is one skipped app, and none when the other log
  // changed and the app is read again.
  for (const appId of unchangedApps) if (!changed.has(appId)) countApp(summary, appId, 'skipped', onEvent);

  const crawlGroup = async (group: EventLogSource[]): Promise<void> => {
    const attempts: AppAttempt[] = [];
    for (const source of group) {
      const attempt = await readOne(source);
      if (attempt) attempts.push(attempt);
    }
    if (attempts.length === 0) return;
    const appId = attempts[0]!.app.id;
    const inGroup = new Set(group.map((g) => resolve(g.path)));
    for (const other of storedSignatures(await store.getRaw(appId))) {
      const log = inGroup.has(other.path) ? undefined : byPath.get(other.path);
      const attempt = log && (await readOne(log));
      if (attempt && attempt.app.id === appId) attempts.push(attempt);
    }
    const warn = (message: string) => onEvent?.({ type: 'warning', appId, message });
    const kept = oneLogPerAttempt(attempts, warn);
    // Newest attempt first, as the History Server lists them (and the documents expect).
    kept.sort((x, y) => y.attempt.startTimeEpoch - x.attempt.startTimeEpoch);
    const app: ShsApplication = { id: appId, name: kept[0]!.app.name, attempts: kept.map((x) => x.attempt) };
    const result = await crawlListedApp(
      {
        deps: { store, config: deps.config, menas: deps.menas, onEvent },
        historyHost,
        now: deps.now ?? new Date(),
        fetchAttempts: async () => kept,
      },
      app,
    );
    // Skipped: another crawler stored it meanwhile.
    countApp(summary, appId, result.outcome, onEvent, result.outcome === 'failed' ? result.error : undefined);
  };

  // With leases, crawlers sharing a store split the apps, as History Server crawls do: an app another crawler
  // holds is skipped, and one it stored from these same logs while this crawl was listing is not read again.
  for (const [appId, group] of changed) {
    if (!leases) {
      await crawlGroup(group);
      continue;
    }
    const [taken] = await leases.claimApps([appId], owner, leaseMs, new Date(), leaseOwnerGone);
    try {
      if (taken === undefined || (await storedFrom(appId, group))) countApp(summary, appId, 'skipped', onEvent);
      else await crawlGroup(group);
    } finally {
      if (taken !== undefined) await leases.releaseApps([appId], owner);
    }
  }
  summary.elapsedMs = Date.now() - started;
  onEvent?.({ type: 'done', summary });
  return summary;
}
