import type { DemoLaunch } from '../demo/run.js';
import type { DemoTotals } from '../demo/totals.js';
import { formatBytes, formatDuration, plural } from '../format.js';
import { formatSparkMemory } from '../common/units.js';

// How `spot demo` reads on a terminal: a row per launch as it finishes, then the totals.

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/**
 * A change in percent. One under half a percent keeps its sign and a decimal ("+0.3%", "-0%"): as "0%" a launch the
 * totals count as longer than the fixed settings read as no slower.
 */
function change(now: number, before: number): string {
  if (before <= 0) return '';
  const exact = (now / before - 1) * 100;
  const pct = Math.round(exact);
  if (pct === 0 && exact !== 0) {
    const tenths = Math.abs(exact).toFixed(1);
    return `${exact > 0 ? '+' : '-'}${tenths === '0.0' ? '0' : tenths}%`;
  }
  return `${pct > 0 ? '+' : ''}${pct}%`;
}

export const HEADER =
  `${pad('#', 3, true)}  ${pad('date', 10)}  ${pad('input', 9, true)}  ${pad('settings (exec × cores, mem)', 28)}  ` +
  `${pad('duration', 8, true)} ${pad('vs fixed', 8, true)}  ${pad('core-h', 6, true)} ${pad('vs fixed', 8, true)}  decided by`;

export function launchRow(l: DemoLaunch): string {
  const s = l.settings;
  const settings = `${s.executors} × ${s.executorCores}, ${formatSparkMemory(s.executorMemoryBytes)}`;
  const why = l.model
    ? `model: ${l.model}`
    : l.decision === 'thin-history-rule' || l.decision === 'thin-history-no-input'
      ? 'rules (little history)'
      : (l.decidedBy ?? 'no advice').slice(0, 40);
  return (
    `${pad(String(l.n), 3, true)}  ${pad(l.date, 10)}  ${pad(formatBytes(l.inputBytes), 9, true)}  ${pad(settings, 28)}  ` +
    `${pad(formatDuration(l.durationMs), 8, true)} ${pad(change(l.durationMs, l.fixedDurationMs), 8, true)}  ` +
    `${pad(l.coreHours.toFixed(2), 6, true)} ${pad(change(l.coreHours, l.fixedCoreHours), 8, true)}  ${why}`
  );
}

export function totalsText(t: DemoTotals, launches: number): string {
  return [
    `Totals over ${plural(launches, 'launch', 'launches')}:`,
    `  core-hours  ${t.coreHours.toFixed(1)} with Spot vs ${t.fixedCoreHours.toFixed(1)} on the fixed settings (${change(t.coreHours, t.fixedCoreHours)})`,
    // The same store read by `spot runs` or `spot report` adds up to less: said here, so that the two do not read
    // as disagreeing about one set of runs.
    `              (executors × cores × run time, as predictions count them; spot runs and spot report count each`,
    `              executor's own lifetime, without the driver's start before executors register, so they show less)`,
    `  run time    ${formatDuration(t.durationMs)} with Spot vs ${formatDuration(t.fixedDurationMs)} on the fixed settings (${change(t.durationMs, t.fixedDurationMs)})`,
    `  ${t.slower} of ${plural(launches, 'launch', 'launches')} ran longer than the fixed settings would have (advisor.maxSlowdown bounds by how much).`,
    ...(t.held.of
      ? [
          `  ${t.held.within} of ${t.held.of} launches with a predicted duration ran within its 80% interval; ${t.held.over} ran longer than its high end.`,
        ]
      : []),
    ...(t.learnt
      ? [
          `  over the last ${t.learnt.launches} launches, once Spot has history: core-hours ${t.learnt.coreHours.toFixed(1)} vs ${t.learnt.fixedCoreHours.toFixed(1)} ` +
            `(${change(t.learnt.coreHours, t.learnt.fixedCoreHours)}), slowest launch ${t.learnt.worstSlowdown.toFixed(2)}× the fixed settings' time`,
        ]
      : []),
  ].join('\n');
}
