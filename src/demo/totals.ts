import { intervalCoverage } from '../advisor/outcomes.js';
import type { DemoLaunch } from './run.js';

// What the demo's launches add up to, against the launch script's fixed settings; the CLI words it.

export interface DemoTotals {
  coreHours: number;
  fixedCoreHours: number;
  durationMs: number;
  fixedDurationMs: number;
  /** Launches that took longer than the fixed settings would have. */
  slower: number;
  /** Launches with a predicted interval: how many ran within it, and how many longer than its high end. */
  held: { within: number; of: number; over: number };
  /** The second half of the launches, once Spot has history to learn from: what it saves when it has learnt. */
  learnt?: { launches: number; coreHours: number; fixedCoreHours: number; worstSlowdown: number };
}

export function totals(launches: DemoLaunch[]): DemoTotals {
  const sum = (f: (l: DemoLaunch) => number) => launches.reduce((a, l) => a + f(l), 0);
  return {
    coreHours: sum((l) => l.coreHours),
    fixedCoreHours: sum((l) => l.fixedCoreHours),
    durationMs: sum((l) => l.durationMs),
    fixedDurationMs: sum((l) => l.fixedDurationMs),
    slower: launches.filter((l) => l.durationMs > l.fixedDurationMs).length,
    held: intervalCoverage(launches.flatMap((l) => (l.interval ? [{ ...l.interval, actualMs: l.durationMs }] : []))),
    ...(launches.length >= 4 ? { learnt: learntHalf(launches) } : {}),
  };
}

function learntHalf(launches: DemoLaunch[]): NonNullable<DemoTotals['learnt']> {
  const half = launches.slice(launches.length - Math.floor(launches.length / 2));
  return {
    launches: half.length,
    coreHours: half.reduce((a, l) => a + l.coreHours, 0),
    fixedCoreHours: half.reduce((a, l) => a + l.fixedCoreHours, 0),
    worstSlowdown: Math.max(...half.map((l) => l.durationMs / l.fixedDurationMs)),
  };
}
