import type { SpotConfig } from '../config/schema.js';
import type { TimeWindow } from '../types.js';

/**
 * The end-time window one crawl walks: from `since` (or `now − lookbackHours`) to `now − completionTimeoutSeconds`.
 * Apps that ended within the completion timeout are left for a later crawl: on YARN a failed attempt can look
 * completed until its retry ends. An empty window (since after the upper bound) is returned as is.
 */
export function crawlWindow(crawler: SpotConfig['crawler'], now: Date, since?: Date): TimeWindow {
  const to = new Date(now.getTime() - crawler.completionTimeoutSeconds * 1000);
  const from = since ?? new Date(now.getTime() - crawler.lookbackHours * 3_600_000);
  return { from, to };
}

export function isEmptyWindow(window: TimeWindow): boolean {
  return window.from.getTime() >= window.to.getTime();
}
