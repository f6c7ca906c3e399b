import type { ShsApplication } from '../types.js';
import { syntheticApp, type SimApp, type SyntheticAppSpec } from './apps.js';

// The simulated History Server's application store. Like Spark's FsHistoryProvider listing it is ordered by the
// newest attempt's end time, newest first, so an end-date window is a binary search plus a short scan, and each
// app's listing JSON is serialised once, when it is added.

export interface ListFilter {
  includeCompleted: boolean;
  includeRunning: boolean;
  minDate: number;
  maxDate: number;
  minEndDate: number;
  maxEndDate: number;
  limit: number;
  nowMs: number;
}

interface Entry {
  id: string;
  /** End of the newest attempt: the sort key. */
  headEnd: number;
  running: boolean;
  listing: ShsApplication;
  listingJson: string;
  /** Apps added as specs are generated when asked for, so 10,000 apps cost little memory. */
  load: () => SimApp;
}

export class AppIndex {
  private readonly byId = new Map<string, Entry>();
  private sorted: Entry[] = [];
  private dirty = false;
  /** Largest gap between an app's newest and oldest attempt end: bounds the scan for multi-attempt apps. */
  private maxSpanMs = 0;

  get size(): number {
    return this.byId.size;
  }

  addApp(app: SimApp): void {
    this.put(app.listing, () => app);
  }

  addSpec(spec: SyntheticAppSpec): void {
    const app = syntheticApp(spec);
    // Keep only the listing; the per-attempt data is regenerated (deterministically) on request.
    this.put(app.listing, () => syntheticApp(spec));
  }

  remove(id: string): void {
    if (this.byId.delete(id)) this.dirty = true;
  }

  get(id: string): Entry | undefined {
    return this.byId.get(id);
  }

  /** The JSON array Spark's `applications` endpoint would return for this filter. */
  listJson(f: ListFilter): string {
    this.sortIfNeeded();
    const out: string[] = [];
    // Completed apps: headEnd >= some attempt end >= minEndDate, and some attempt end <= maxEndDate means
    // headEnd <= maxEndDate + the widest span between attempts.
    let i = firstAtOrBelow(this.sorted, f.maxEndDate + this.maxSpanMs);
    for (; i < this.sorted.length && out.length < f.limit; i++) {
      const e = this.sorted[i]!;
      if (e.running) continue;
      if (e.headEnd < f.minEndDate) break;
      if (f.includeCompleted && matches(e, f)) out.push(e.listingJson);
    }
    // Running apps end at -1 in Spark's listing, so they come last.
    if (f.includeRunning && f.maxEndDate > f.nowMs) {
      for (const e of this.sorted) {
        if (out.length >= f.limit) break;
        if (
          e.running &&
          e.listing.attempts.some((a) => a.startTimeEpoch >= f.minDate && a.startTimeEpoch <= f.maxDate)
        ) {
          out.push(e.listingJson);
        }
      }
    }
    return `[${out.join(',')}]`;
  }

  private put(listing: ShsApplication, load: () => SimApp): void {
    const ends = listing.attempts.map((a) => a.endTimeEpoch);
    const headEnd = ends[0] ?? -1;
    const running = listing.attempts.length === 0 || listing.attempts[0]?.completed !== true;
    this.maxSpanMs = Math.max(this.maxSpanMs, headEnd - Math.min(...ends, headEnd));
    this.byId.set(listing.id, {
      id: listing.id,
      headEnd,
      running,
      listing,
      listingJson: JSON.stringify(listing),
      load,
    });
    this.dirty = true;
  }

  private sortIfNeeded(): void {
    if (!this.dirty) return;
    this.sorted = [...this.byId.values()].sort((a, b) => b.headEnd - a.headEnd || (a.id < b.id ? 1 : -1));
    this.dirty = false;
  }
}

/** Spark's isAttemptInRange for a completed app: any attempt within both the start and the end window. */
function matches(e: Entry, f: ListFilter): boolean {
  return e.listing.attempts.some(
    (a) =>
      a.startTimeEpoch >= f.minDate &&
      a.startTimeEpoch <= f.maxDate &&
      a.endTimeEpoch >= f.minEndDate &&
      a.endTimeEpoch <= f.maxEndDate,
  );
}

/** Index of the first entry (sorted by headEnd descending) whose headEnd <= limit. */
function firstAtOrBelow(sorted: Entry[], limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.headEnd > limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
