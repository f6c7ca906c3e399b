import type { ShsApplication, ShsAttempt, TimeWindow } from '../types.js';
import type { HistoryClient } from './client.js';
import { formatShsDate, parseShsDate } from './dates.js';
import { checkListingEntry, type ListingEntry } from './schema.js';
import { WindowPlanner, type PlannedWindow } from './windows.js';

// Lists the completed apps whose end falls in [from, to], oldest window first, each app once, through
// adaptive end-date windows (see windows.ts). Every entry is checked on its own (schema.ts): a bad one is
// handed on marked `invalid` (the crawl files an error for that app) and the rest of the listing goes on.
// Answers are read as streams, so a listing of any size costs the memory of one window's apps at most.

/** A listed app, or an entry that names an app but cannot be crawled (`invalid` says why). */
export type ListedApp = ShsApplication & {
  invalid?: string;
  /** Error documents the app has from earlier crawls (set when the crawl selects it). */
  priorFailures?: number;
};

export interface ListCompletedOptions {
  from: Date;
  to: Date;
  stepSeconds: number;
  maxAppsPerListing: number;
  /** Widest window over empty stretches; default 30 days. */
  maxStepSeconds?: number;
  /** Called once per listing request answered, with the window and the number of apps it returned. */
  onWindow?: (window: TimeWindow, apps: number) => void;
  /** An entry that does not even name its app: nothing can be filed under it. */
  onInvalid?: (problem: string) => void;
  /** The server ignored the window or the limit asked for: from now on one full listing, filtered here. */
  onFullListing?: () => void;
}

/** Slack on the window's bounds when telling whether the server filtered at all (it rounds to the second). */
const BOUND_SLACK_MS = 1000;

export async function* listCompletedApps(client: HistoryClient, o: ListCompletedOptions): AsyncGenerator<ListedApp> {
  const fromMs = o.from.getTime();
  const toMs = o.to.getTime();
  const planner = new WindowPlanner({
    fromMs,
    toMs,
    stepMs: o.stepSeconds * 1000,
    maxApps: o.maxAppsPerListing,
    ...(o.maxStepSeconds !== undefined ? { maxStepMs: o.maxStepSeconds * 1000 } : {}),
  });
  // An app is listed in every window holding one of its attempts' ends; remember each until the walk has
  // passed its newest end, so the memory follows the window, not the whole history.
  const seen = new Map<string, number>();
  const take = (entry: ListingEntry) => admit(entry, seen, fromMs, toMs, o);
  for (let w = planner.next(); w; w = planner.next()) {
    const entries = client.getJsonArray('applications', {
      status: 'completed',
      minEndDate: formatShsDate(new Date(w.fromMs)),
      maxEndDate: formatShsDate(new Date(w.toMs)),
      limit: w.limit === undefined ? undefined : String(w.limit),
    });
    let ignored = false;
    if (w.limit !== undefined) {
      // At most `limit` entries are kept: a full window is split and listed again anyway.
      const batch: ListingEntry[] = [];
      for await (const raw of entries) {
        const entry = checkListingEntry(raw);
        // More than `limit` entries also says the server ignores the query (old servers know no limit).
        ignored = batch.length >= w.limit || outside(entry, w);
        if (ignored) break;
        batch.push(entry);
      }
      if (!ignored) {
        o.onWindow?.({ from: new Date(w.fromMs), to: new Date(w.toMs) }, batch.length);
        if (planner.report(w, batch.length) === 'split') continue;
        // The History Server lists newest first; hand them on oldest first, as the original did.
        for (let i = batch.length - 1; i >= 0; i--) yield* take(batch[i]!);
      }
    } else {
      // A one-second window is taken whole, however big: streamed, newest first.
      let count = 0;
      for await (const raw of entries) {
        const entry = checkListingEntry(raw);
        ignored = outside(entry, w);
        if (ignored) break;
        count++;
        yield* take(entry);
      }
      if (!ignored) {
        o.onWindow?.({ from: new Date(w.fromMs), to: new Date(w.toMs) }, count);
        planner.report(w, count);
      }
    }
    if (ignored) {
      o.onFullListing?.();
      yield* fullListing(client, o, take);
      return;
    }
    if (seen.size > 10_000) for (const [id, end] of seen) if (end < w.fromMs) seen.delete(id);
  }
}

/** One listing of every completed app, filtered here: for servers that ignore minEndDate and maxEndDate. */
async function* fullListing(
  client: HistoryClient,
  o: ListCompletedOptions,
  take: (entry: ListingEntry) => Generator<ListedApp>,
) {
  let count = 0;
  for await (const raw of client.getJsonArray('applications', { status: 'completed' })) {
    for (const app of take(checkListingEntry(raw))) {
      count++;
      yield app;
    }
  }
  o.onWindow?.({ from: o.from, to: o.to }, count);
}

/** Hands on `entry` if it is new and in [fromMs, toMs]; a bad entry that names its app is handed on marked. */
function* admit(
  checked: ListingEntry,
  seen: Map<string, number>,
  fromMs: number,
  toMs: number,
  o: ListCompletedOptions,
): Generator<ListedApp> {
  if (!checked.ok) {
    if (checked.id === undefined) o.onInvalid?.(checked.problem);
    else if (!seen.has(checked.id)) {
      seen.set(checked.id, -Infinity);
      yield { id: checked.id, name: checked.name ?? '', attempts: [], invalid: checked.problem };
    }
    return;
  }
  const app = checked.app;
  if (seen.has(app.id)) return;
  const ends = app.attempts.map(endMs).filter(Number.isFinite);
  // Outside the window (a full listing filtered here): not this crawl's app, and not remembered either.
  if (ends.length > 0 && !ends.some((e) => e >= fromMs && e <= toMs)) return;
  const newestEnd = Math.max(...ends);
  seen.set(app.id, newestEnd);
  // Still running, or its newest attempt ended after `to` (YARN may yet retry it): a later crawl takes it.
  if (!finished(app.attempts) || newestEnd > toMs) return;
  yield app;
}

/**
 * Whether an app has finished, as the History Server's own `status=completed` decides it: by its latest attempt. An
 * earlier attempt left incomplete (a driver killed before it logged its end, then retried) never completes, and
 * waiting for it would leave the app uncrawled for good.
 */
function finished(attempts: readonly ShsAttempt[]): boolean {
  return latestAttempt(attempts)?.completed === true;
}

/** The attempt that started last (the History Server lists it first); undefined when there is none. */
export function latestAttempt<A extends { startTime?: string }>(attempts: readonly A[]): A | undefined {
  const start = (a: A | undefined) => parseShsDate(a?.startTime)?.getTime() ?? Number.NEGATIVE_INFINITY;
  let latest = attempts[0];
  for (const a of attempts) if (start(a) > start(latest)) latest = a;
  return latest;
}

/** True when a completed app has no attempt ending in the window asked for: the server did not filter. */
function outside(checked: ListingEntry, w: PlannedWindow): boolean {
  if (!checked.ok) return false;
  const attempts = checked.app.attempts;
  if (!finished(attempts)) return false;
  const ends = attempts.map(endMs);
  if (!ends.every(Number.isFinite)) return false;
  return !ends.some((e) => e >= w.fromMs - BOUND_SLACK_MS && e <= w.toMs + BOUND_SLACK_MS);
}

function endMs(a: { endTimeEpoch?: unknown; endTime?: unknown }): number {
  return typeof a.endTimeEpoch === 'number' && a.endTimeEpoch > 0
    ? a.endTimeEpoch
    : (parseShsDate(a.endTime)?.getTime() ?? NaN);
}
