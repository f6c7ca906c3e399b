// Plans the end-date windows a crawl lists. The History Server has no paging, so the window size decides both
// how many requests a crawl costs and how big each answer is:
// - a listing that comes back full (>= maxApps, asked with limit=maxApps) is split in half and re-listed, down
//   to one second; a full one-second window is re-listed without a limit and taken as it is;
// - after an empty window the next one is twice as wide (up to maxStepMs), so years of nothing cost a few
//   dozen requests, not one per step;
// - after a non-empty window the width heads back toward stepMs: halved when wider, and when narrower sized
//   from the density just seen (aiming at half a listing), so a busy stretch does not split every window again.
// Windows are disjoint and walk oldest first: [a, b] then [b + 1 ms, ...]; the History Server's bounds are
// inclusive and millisecond-precise.

export interface WindowPlanOptions {
  fromMs: number;
  toMs: number;
  stepMs: number;
  maxApps: number;
  /** Widest window after empty stretches; default 30 days. */
  maxStepMs?: number;
  /** Narrowest window before a full listing is taken as is; default 1 s. */
  minStepMs?: number;
}

export interface PlannedWindow {
  fromMs: number;
  toMs: number;
  /** Ask with limit=maxApps (a full answer then means "maybe more"); false for a minimum-width window. */
  limit: number | undefined;
}

export type WindowVerdict = 'split' | 'accept';

const DEFAULT_MAX_STEP_MS = 30 * 24 * 3600 * 1000;

export class WindowPlanner {
  private cursor: number;
  private step: number;
  /** Halves of split windows still to list, the oldest last (popped first). */
  private readonly pending: PlannedWindow[] = [];
  private readonly maxStep: number;
  private readonly minStep: number;

  constructor(private readonly o: WindowPlanOptions) {
    this.cursor = o.fromMs;
    this.maxStep = Math.max(o.stepMs, o.maxStepMs ?? DEFAULT_MAX_STEP_MS);
    this.minStep = Math.max(1, o.minStepMs ?? 1000);
    this.step = Math.max(this.minStep, o.stepMs);
  }

  /** The next window to list, or undefined when [from, to] is covered. */
  next(): PlannedWindow | undefined {
    const split = this.pending.pop();
    if (split) return split;
    if (this.cursor > this.o.toMs) return undefined;
    const toMs = Math.min(this.o.toMs, this.cursor + this.step - 1);
    const w = this.window(this.cursor, toMs);
    this.cursor = toMs + 1;
    return w;
  }

  /** How many apps the listing of `w` returned; 'split' means: discard it, its halves come next. */
  report(w: PlannedWindow, apps: number): WindowVerdict {
    const width = w.toMs - w.fromMs + 1;
    if (w.limit !== undefined && apps >= w.limit) {
      const mid = w.fromMs + Math.floor(width / 2) - 1;
      this.pending.push(this.window(mid + 1, w.toMs), this.window(w.fromMs, mid));
      // Later windows start no wider than the halves: the stretch ahead is likely as busy.
      this.step = Math.min(this.step, Math.max(this.minStep, Math.floor(width / 2)));
      return 'split';
    }
    if (this.pending.length > 0) return 'accept'; // a half: the width is already decided
    if (apps === 0) this.step = Math.min(this.maxStep, Math.max(this.step, width) * 2);
    else if (width > this.o.stepMs) this.step = Math.max(this.o.stepMs, Math.floor(width / 2));
    else {
      const byDensity = Math.floor((width * this.o.maxApps) / 2 / apps);
      this.step = Math.min(this.o.stepMs, Math.max(this.minStep, byDensity));
    }
    return 'accept';
  }

  private window(fromMs: number, toMs: number): PlannedWindow {
    const narrowest = toMs - fromMs + 1 <= this.minStep;
    return { fromMs, toMs, limit: narrowest ? undefined : this.o.maxApps };
  }
}

/** Listing requests a walk over [from, to] costs, when `appsIn` says how many apps each window holds (for planning). */
export function countListingRequests(o: WindowPlanOptions, appsIn: (fromMs: number, toMs: number) => number): number {
  const planner = new WindowPlanner(o);
  let requests = 0;
  for (let w = planner.next(); w; w = planner.next()) {
    requests++;
    const n = appsIn(w.fromMs, w.toMs);
    planner.report(w, w.limit === undefined ? n : Math.min(n, w.limit));
  }
  return requests;
}
