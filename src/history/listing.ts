import type { ShsApplication, TimeWindow } from '../types.js';
import type { HistoryClient } from './client.js';
import { formatShsDate, parseShsDate } from './dates.js';
import { HistoryBadResponseError, typeName } from './errors.js';
import { WindowPlanner } from './windows.js';

// Lists the completed apps whose end falls in [from, to], oldest window first, each app once, through
// adaptive end-date windows (see windows.ts).

export interface ListCompletedOptions {
  from: Date;
  to: Date;
  stepSeconds: number;
  maxAppsPerListing: number;
  /** Widest window over empty stretches; default 30 days. */
  maxStepSeconds?: number;
  /** Called once per listing request answered, with the window and the number of apps it returned. */
  onWindow?: (window: TimeWindow, apps: number) => void;
}

export async function* listCompletedApps(client: HistoryClient, o: ListCompletedOptions): AsyncGenerator<ShsApplication> {
  const toMs = o.to.getTime();
  const planner = new WindowPlanner({
    fromMs: o.from.getTime(),
    toMs,
    stepMs: o.stepSeconds * 1000,
    maxApps: o.maxAppsPerListing,
    ...(o.maxStepSeconds !== undefined ? { maxStepMs: o.maxStepSeconds * 1000 } : {}),
  });
  // An app is listed in every window holding one of its attempts' ends; remember each until the walk has
  // passed its newest end, so the memory follows the window, not the whole history.
  const seen = new Map<string, number>();
  for (let w = planner.next(); w; w = planner.next()) {
    const apps = await client.getJson<unknown>('applications', {
      status: 'completed',
      minEndDate: formatShsDate(new Date(w.fromMs)),
      maxEndDate: formatShsDate(new Date(w.toMs)),
      limit: w.limit === undefined ? undefined : String(w.limit),
    });
    if (!Array.isArray(apps)) {
      throw new HistoryBadResponseError(client.url('applications'), `expected a JSON array of apps, got ${typeName(apps)}`);
    }
    o.onWindow?.({ from: new Date(w.fromMs), to: new Date(w.toMs) }, apps.length);
    if (planner.report(w, apps.length) === 'split') continue;
    // The History Server lists newest first; hand them on oldest first, as the original did.
    for (let i = apps.length - 1; i >= 0; i--) {
      const app = apps[i] as ShsApplication;
      if (!isListedApp(app) || seen.has(app.id)) continue;
      const newestEnd = newestEndMs(app);
      seen.set(app.id, newestEnd);
      // Still running, or its newest attempt ended after `to` (YARN may yet retry it): a later crawl takes it.
      if (app.attempts.length === 0 || !app.attempts.every((a) => a.completed === true) || newestEnd > toMs) continue;
      yield app;
    }
    if (seen.size > 10_000) for (const [id, end] of seen) if (end < w.fromMs) seen.delete(id);
  }
}

function isListedApp(v: unknown): v is ShsApplication {
  const a = v as ShsApplication | null;
  return typeof a === 'object' && a !== null && typeof a.id === 'string' && Array.isArray(a.attempts);
}

function newestEndMs(app: ShsApplication): number {
  let max = -Infinity;
  for (const a of app.attempts) {
    const end = typeof a.endTimeEpoch === 'number' ? a.endTimeEpoch : (parseShsDate(a.endTime)?.getTime() ?? NaN);
    if (Number.isFinite(end) && end > max) max = end;
  }
  return max;
}
