import type { RunStore } from '../store/types.js';
import type { ShsApplication, ShsAttempt } from '../types.js';
import { parseShsDate } from '../history/dates.js';
import { chunkWhileReady } from './chunk.js';

// Decides, for each listed app, whether this crawl fetches it: not when the store already has its aggregated
// documents, and not when it has failed crawler.maxAppRetries times (the original retried such apps forever).
// Known ids are looked up per chunk of listed apps over the chunk's own end-time span, so memory stays bounded
// by the chunk, not by the crawl window (a --since years back may cover millions of stored runs).

type Skip = 'skipped' | 'gaveUp';

export interface SelectOptions {
  store: RunStore;
  /** Tries allowed per app before it is given up on (at least 1). */
  maxTries: number;
  chunkSize?: number;
  onSkip?: (app: ShsApplication, why: Skip) => void;
}

function attemptEnd(attempt: ShsAttempt): Date | undefined {
  if (typeof attempt.endTimeEpoch === 'number' && attempt.endTimeEpoch > 0) return new Date(attempt.endTimeEpoch);
  return parseShsDate(attempt.endTime);
}

/** The latest end among the app's attempts (the one its documents are filed under). */
export function appEnd(app: ShsApplication): Date | undefined {
  let latest: Date | undefined;
  for (const attempt of app.attempts ?? []) {
    const end = attemptEnd(attempt);
    if (end && (!latest || end > latest)) latest = end;
  }
  return latest;
}

/** The end-time span of a chunk's attempts, widened by a second each side so boundary ends are not missed. */
function span(apps: ShsApplication[]): { from: Date; to: Date } | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const app of apps) {
    for (const attempt of app.attempts ?? []) {
      const t = attemptEnd(attempt)?.getTime();
      if (t === undefined) continue;
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
  }
  if (min === Infinity) return undefined;
  return { from: new Date(min - 1000), to: new Date(max + 1000) };
}

export async function* selectNewApps(
  listed: AsyncIterable<ShsApplication>,
  options: SelectOptions,
): AsyncGenerator<ShsApplication & { priorFailures?: number }> {
  const { store } = options;
  // The History Server lists an app in every window that holds one of its attempts' ends. listCompletedApps
  // drops such repeats; this guard keeps any other source honest too, and two generations of ids are enough
  // for repeats that come close together, without remembering the whole crawl.
  let previous = new Set<string>();
  let current = new Set<string>();
  for await (const listedChunk of chunkWhileReady(listed, options.chunkSize ?? 200)) {
    const chunk = listedChunk.filter((app) => !previous.has(app.id) && !current.has(app.id) && current.add(app.id));
    if (current.size >= (options.chunkSize ?? 200) * 5) [previous, current] = [current, new Set()];
    if (chunk.length === 0) continue;
    const window = span(chunk);
    const known = window ? await store.knownIds(window) : new Set<string>();
    const fresh = chunk.filter((app) => {
      if (!known.has(app.id)) return true;
      options.onSkip?.(app, 'skipped');
      return false;
    });
    const failures = fresh.length > 0 ? await store.errorCounts(fresh.map((a) => a.id)) : new Map<string, number>();
    for (const app of fresh) {
      const priorFailures = failures.get(app.id) ?? 0;
      if (priorFailures >= options.maxTries) {
        options.onSkip?.(app, 'gaveUp');
        continue;
      }
      yield priorFailures > 0 ? { ...app, priorFailures } : app;
    }
  }
}
