import { formatDurationCompact } from '../format.js';
import { formatSparkMemory } from '../shared/units.js';
import type { DemoLaunch } from './run.js';

// How the demo reads on a terminal: a row per launch as it finishes, then the totals.

const GIB = 1024 ** 3;

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}


function change(now: number, before: number): string {
  if (before <= 0) return '';
  const pct = Math.round((now / before - 1) * 100);
  return `${pct > 0 ? '+' : ''}${pct}%`;
}

export const HEADER =
  `${pad('#', 3, true)}  ${pad('date', 10)}  ${pad('input', 9, true)}  ${pad('settings (exec × cores, mem)', 28)}  ` +
  `${pad('duration', 8, true)} ${pad('vs fixed', 8, true)}  ${pad('core-h', 6, true)} ${pad('vs fixed', 8, true)}  decided by`;

export function launchRow(l: DemoLaunch): string {
  const s = l.settings;
  const settings = `${s.executors} × ${s.executorCores}, ${formatSparkMemory(s.executorMemoryBytes)}`;
  const why = l.model ? `model: ${l.model}` : l.decision === 'thin-history-rule' || l.decision === 'thin-history-no-input' ? 'rules (little history)' : (l.decidedBy ?? 'no advice').slice(0, 40);
  return (
    `${pad(String(l.n), 3, true)}  ${pad(l.date, 10)}  ${pad(`${(l.inputBytes / GIB).toFixed(1)} GiB`, 9, true)}  ${pad(settings, 28)}  ` +
    `${pad(formatDurationCompact(l.durationMs), 8, true)} ${pad(change(l.durationMs, l.fixedDurationMs), 8, true)}  ` +
    `${pad(l.coreHours.toFixed(2), 6, true)} ${pad(change(l.coreHours, l.fixedCoreHours), 8, true)}  ${why}`
  );
}

export interface DemoTotals {
  coreHours: number;
  fixedCoreHours: number;
  durationMs: number;
  fixedDurationMs: number;
  /** Launches that took longer than the fixed settings would have. */
  slower: number;
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

export function totalsText(t: DemoTotals, launches: number): string {
  return [
    `Totals over ${launches} launches:`,
    `  core-hours  ${t.coreHours.toFixed(1)} with Spot vs ${t.fixedCoreHours.toFixed(1)} on the fixed settings (${change(t.coreHours, t.fixedCoreHours)})`,
    `  run time    ${formatDurationCompact(t.durationMs)} with Spot vs ${formatDurationCompact(t.fixedDurationMs)} on the fixed settings (${change(t.durationMs, t.fixedDurationMs)})`,
    `  ${t.slower} of ${launches} launches ran longer than the fixed settings would have (advisor.maxSlowdown bounds by how much).`,
    ...(t.learnt
      ? [
          `  over the last ${t.learnt.launches} launches, once Spot has history: core-hours ${t.learnt.coreHours.toFixed(1)} vs ${t.learnt.fixedCoreHours.toFixed(1)} ` +
            `(${change(t.learnt.coreHours, t.learnt.fixedCoreHours)}), slowest launch ${t.learnt.worstSlowdown.toFixed(2)}× the fixed settings' time`,
        ]
      : []),
  ].join('\n');
}
