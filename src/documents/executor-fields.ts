import { num } from '../common/json.js';

// Per-executor cost fields (spec §2.3, "Executor x_* fields"), on every executor including the driver.
// An executor still alive at the end has no removeTime: it lived until the attempt ended.

const HOUR_MS = 3.6e6;
const GIB = 2 ** 30;

export function addExecutorFields(
  executor: Record<string, unknown>,
  attempt: { startTime?: unknown; endTime?: unknown },
): Record<string, unknown> {
  const ex = { ...executor };
  const start = typeof ex.addTime === 'string' ? ex.addTime : attempt.startTime;
  const stop = typeof ex.removeTime === 'string' ? ex.removeTime : attempt.endTime;
  ex.x_startTime = typeof start === 'string' ? start : null;
  ex.x_stopTime = typeof stop === 'string' ? stop : null;
  const durationMs = typeof start === 'string' && typeof stop === 'string' ? Date.parse(stop) - Date.parse(start) : NaN;
  // An executor of an attempt that has not ended stops at the History Server's "not ended" end time (epoch -1,
  // 1969): its life has no end yet, and it costs nothing known rather than a negative amount.
  if (durationMs < 0) ex.x_stopTime = null;
  if (!Number.isFinite(durationMs) || durationMs < 0) return ex; // no lifetime known: no cost fields
  const hours = durationMs / HOUR_MS;
  ex.x_durationMilliseconds = durationMs;
  ex.x_durationHours = hours;
  const cores = num(ex.totalCores);
  if (cores !== undefined) {
    ex.x_coreCost = cores * durationMs;
    ex.x_coreCost_hours = cores * hours;
  }
  const maxMemory = num(ex.maxMemory);
  if (maxMemory !== undefined) {
    ex.x_storageCost = (maxMemory / GIB) * durationMs;
    ex.x_storageCost_GbHours = (maxMemory / GIB) * hours;
  }
  return ex;
}
