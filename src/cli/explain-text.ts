import { formatSparkMemory } from '../common/units.js';
import { coreHoursAt, FAILED_APART, type AdviceRow } from '../report/advice-rows.js';
import type { Advice, Candidate, Settings } from '../types.js';
import { adviceWords, rejectionText } from '../advisor/reason-text.js';
import {
  durationsApart,
  formatBytes,
  formatDuration,
  formatPercent,
  plural,
  printable,
  wholePercent,
} from '../format.js';

// `spot explain` in words: the decision, a table of the alternatives and a terminal chart. The advice
// record holds the numbers; this only presents them.

export function fmtSettings(s: Partial<Settings>): string {
  const parts: string[] = [];
  // Under dynamic allocation the advised count is its ceiling (advise.ts): "18 executors, ..., up to 18 executors"
  // read as a fixed count beside it.
  const ceiling = s.dynamicAllocation !== false && s.executors === s.maxExecutors;
  if (s.executors !== undefined && !ceiling) parts.push(plural(s.executors, 'executor'));
  if (s.executorCores !== undefined) parts.push(`${plural(s.executorCores, 'core')} each`);
  if (s.executorMemoryBytes !== undefined) parts.push(`${formatSparkMemory(s.executorMemoryBytes)} memory`);
  if (s.shufflePartitions !== undefined) parts.push(`${s.shufflePartitions} shuffle partitions`);
  if (s.dynamicAllocation !== undefined) parts.push(`dynamic allocation ${s.dynamicAllocation ? 'on' : 'off'}`);
  // The ceiling dynamic allocation scales up to: what Spot advises for a job that runs with it.
  if (s.maxExecutors !== undefined) parts.push(`up to ${plural(s.maxExecutors, 'executor')}`);
  return parts.length ? parts.join(', ') : 'no change (Spark or cluster defaults)';
}

/**
 * Under dynamic allocation an advised executor count is a ceiling (advise.ts), and its core-hours what holding it the
 * whole run would cost: the most, not what the run is allocated.
 */
const underDynamicAllocation = (a: Advice) => (a.plannedBaseline ?? a.baseline).dynamicAllocation === true;

/**
 * Candidates whose rows read alike: the same figures in the table's columns. The advisor may list one setting twice,
 * its keys in another order or dynamic allocation left unsaid, which compared as text read as two rows alike.
 */
function sameCandidate(a: Candidate, b: Candidate): boolean {
  const shown = (c: Candidate) =>
    [
      c.settings.executors,
      c.settings.executorCores,
      c.settings.executorMemoryBytes,
      c.settings.shufflePartitions,
    ].join();
  return shown(a) === shown(b);
}

/** The alternatives shown: the baseline (always first in the record), the chosen one, the best few. */
function alternatives(a: Advice, few = 6): { c: Candidate; tag: string }[] {
  const [base, ...rest] = a.candidates;
  if (!base) return [];
  // The advisor lists the baseline first and, when it chose something else, the chosen one second.
  // A setting the launch asked for and kept (dynamic allocation, its maxExecutors) is no change, whether or not
  // the candidate's settings spell it out.
  const asked = a.baseline as Record<string, unknown>;
  const keptBaseline = Object.entries(a.chosen).every(
    ([k, v]) =>
      k === 'dynamicAllocation' || asked[k] === v || (base.settings as unknown as Record<string, unknown>)[k] === v,
  );
  const chosen = keptBaseline ? undefined : rest[0];
  const out = [{ c: base, tag: chosen ? 'baseline' : 'baseline, chosen' }];
  if (chosen) out.push({ c: chosen, tag: 'chosen' });
  for (const c of rest) {
    if (out.length >= few + 2) break;
    if (!out.some((o) => sameCandidate(o.c, c)))
      out.push({ c, tag: c.rejected ? `rejected: ${rejectionText(c.rejected)}` : '' });
  }
  return out;
}

/**
 * Decimals for core-hours that show the smallest of them with two significant digits (at least 2, at most 4): a job
 * of 0.011 core-hours printed "0.01" for candidates whose cost the decision told apart.
 */
function coreHourDigits(values: number[]): number {
  const least = Math.min(...values.filter((v) => v > 0));
  return Number.isFinite(least) ? Math.min(4, Math.max(2, 1 - Math.floor(Math.log10(least)))) : 2;
}

function table(a: Advice): string[] {
  const shown = alternatives(a);
  const digits = coreHourDigits(shown.map(({ c }) => c.coreHours));
  const rows = shown.map(({ c, tag }) => [
    String(c.settings.executors),
    String(c.settings.executorCores),
    c.settings.executorMemoryBytes ? formatSparkMemory(c.settings.executorMemoryBytes) : '-',
    c.settings.shufflePartitions ? String(c.settings.shufflePartitions) : '-',
    formatDuration(c.prediction.durationMs),
    `${formatDuration(c.prediction.low)} – ${formatDuration(c.prediction.high)}`,
    c.coreHours.toFixed(digits),
    tag,
  ]);
  const head = [
    underDynamicAllocation(a) ? 'ceiling' : 'executors',
    'cores',
    'memory',
    'partitions',
    'predicted',
    '80% interval',
    'core-h',
    '',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    `  ${r.map((v, i) => (i === r.length - 1 ? v : v.padStart(widths[i]!))).join('  ')}`.trimEnd();
  return [fmt(head), ...rows.map(fmt)];
}

/** Candidates at the chosen cores per executor, by executor count: the curve the decision was made on. */
export function curve(a: Advice): Candidate[] {
  const chosenCores = a.chosen.executorCores ?? a.candidates[0]?.settings.executorCores;
  const byExec = new Map<number, Candidate>();
  for (const c of a.candidates)
    if (c.settings.executorCores === chosenCores && !byExec.has(c.settings.executors))
      byExec.set(c.settings.executors, c);
  return [...byExec.values()].sort((x, y) => x.settings.executors - y.settings.executors);
}

/**
 * Executor counts of the chosen and the baseline settings on the curve: the rows a chart must never leave out.
 * The baseline is on the curve only when it has the curve's cores per executor.
 */
export function markedExecutors(a: Advice): { chosen?: number; baseline?: number } {
  const base = a.candidates[0]?.settings;
  const onCurve = base !== undefined && base.executorCores === (a.chosen.executorCores ?? base.executorCores);
  return { chosen: a.chosen.executors ?? base?.executors, baseline: onCurve ? base.executors : undefined };
}

/**
 * At most `max` points: both ends and the chosen and baseline rows, then others evenly spread in the room left (an
 * even sample first with those added after made 17 or 18 rows where README promises 16).
 */
export function thin(pts: Candidate[], keep: (number | undefined)[], max = 16): Candidate[] {
  if (pts.length <= max) return pts;
  const last = pts.length - 1;
  const kept = new Set(
    pts.flatMap((c, i) => (i === 0 || i === last || keep.includes(c.settings.executors) ? [i] : [])),
  );
  const others = pts.flatMap((_, i) => (kept.has(i) ? [] : [i]));
  const room = Math.max(0, max - kept.size);
  for (let k = 0; k < room; k++) kept.add(others[Math.floor(((k + 0.5) * others.length) / room)]!);
  return pts.filter((_, i) => kept.has(i));
}

export function markLabel(e: number, marked: { chosen?: number; baseline?: number }): string {
  if (e === marked.chosen && e === marked.baseline) return 'baseline = chosen';
  return e === marked.chosen ? 'chosen' : e === marked.baseline ? 'baseline' : '';
}

function terminalChart(a: Advice, width = 28): string[] {
  const marked = markedExecutors(a);
  const pts = thin(curve(a), [marked.chosen, marked.baseline]);
  if (pts.length < 2) return [];
  const maxD = Math.max(...pts.map((c) => c.prediction.durationMs));
  const maxH = Math.max(...pts.map((c) => c.coreHours));
  const digits = coreHourDigits(pts.map((c) => c.coreHours));
  const bar = (v: number, max: number) => '█'.repeat(Math.max(1, Math.round((v / max) * width))).padEnd(width);
  const lines = [
    `  predicted duration and core-hours by executor ${underDynamicAllocation(a) ? 'ceiling' : 'count'} ` +
      `(${plural(pts[0]!.settings.executorCores, 'core')} each):`,
  ];
  for (const c of pts) {
    const e = c.settings.executors;
    const label = markLabel(e, marked);
    const mark = label ? ` ◀ ${label}` : '';
    lines.push(
      `  ${String(e).padStart(4)} │${bar(c.prediction.durationMs, maxD)} ${formatDuration(c.prediction.durationMs).padStart(7)} │${bar(c.coreHours, maxH)} ${c.coreHours.toFixed(digits).padStart(6)}${mark}`,
    );
  }
  return lines;
}

/**
 * The model's error as what it is: with too few runs to fit a model, the one-run replay's error is on the very run it
 * replays (advise.ts), no validation, and "validation error 0.0%" read as a model proven exact. That self-error is
 * in whole percents, as the Why line beside it says it (advisor/reason-text.ts): "1%" in both, not "0.9%" in one.
 */
export function modelError(a: Advice): string {
  const m = a.model!;
  return a.reasons?.some((r) => r.code === 'thin-history-what-if')
    ? `${wholePercent(m.validationError)} off its own run (too few runs to validate it on others)`
    : `validation error ${formatPercent(m.validationError)}`;
}

/**
 * The chosen candidate's slowdown high end against the bound the decision names: it is not its 80% interval's high
 * end (shown in the table, and often over the bound), so without it the decision reads as breaking its own limit.
 */
function slowdownHeld(a: Advice): string | undefined {
  const reason = a.reasons?.[0];
  const bound = reason?.code === 'fewest-core-hours' ? Number(reason.values.boundMs) : Number.NaN;
  const shown = alternatives(a);
  const chosen = shown[1]?.tag === 'chosen' ? shown[1].c : undefined;
  const high = chosen?.slowdownHigh;
  if (!chosen || high === undefined || !Number.isFinite(bound)) return undefined;
  // Written as the Why line writes the bound, with decimals only where the two would read alike.
  const [highText, boundText] = durationsApart(high, bound);
  return (
    `  chosen: slowdown high end ${highText} ≤ ${boundText} (a run at ` +
    `the baseline would share part of its noise, so this lies under its 80% interval's high end, ` +
    `${formatDuration(chosen.prediction.high)})`
  );
}

export function renderAdvice(a: Advice, coreHourPrice?: number, launch?: AdviceRow): string {
  const lines: string[] = [];
  lines.push(`Advice ${printable(a.id)} for job '${printable(a.app)}' (${a.createdAt}, mode ${a.mode})`);
  if (a.inputBytes !== undefined)
    lines.push(`  input: ${formatBytes(a.inputBytes)}${a.inputSource ? ` (from ${a.inputSource})` : ''}`);
  // Nothing recommended is the launch's own settings, not Spark's defaults, unless the launch set none.
  const askedNothing = Object.keys(a.baseline).length === 0;
  lines.push(`  asked for: ${askedNothing ? 'nothing set (Spark or cluster defaults)' : fmtSettings(a.baseline)}`);
  lines.push(
    `  recommended: ${Object.keys(a.chosen).length || askedNothing ? fmtSettings(a.chosen) : 'no change (the settings asked for)'}`,
  );
  const injected = Object.entries(a.injected ?? {});
  if (injected.length) lines.push(`  injected: ${injected.map(([k, v]) => printable(`${k}=${v}`)).join(' ')}`);
  else if (a.mode === 'shadow') lines.push('  injected: nothing (shadow mode: advice recorded, launch unchanged)');
  if (a.pinned.length) lines.push(`  pinned (never changed): ${printable(a.pinned.join(', '))}`);
  // Today's words for the coded reasons, as spot-submit's line says them, not those stored by the version that advised.
  const words = adviceWords(a);
  lines.push('', `Why: ${words.decidedBy}.`);
  const held = slowdownHeld(a);
  if (held) lines.push(held);
  if (a.model) {
    lines.push(`Model: ${a.model.name}, ${modelError(a)}, trained on ${plural(a.trainingRunIds.length, 'run')}.`);
    lines.push(`  ${a.model.description}`);
  } else {
    lines.push(`Model: none (${plural(a.trainingRunIds.length, 'usable run')}).`);
  }
  for (const n of words.notes) lines.push(`Note: ${n}.`);
  if (a.outcome) {
    const o = a.outcome;
    const parts = [
      o.applicationId && `application ${printable(o.applicationId)}`,
      o.exitCode !== undefined && `exit code ${o.exitCode}`,
      o.wallMs !== undefined && `wall time ${formatDuration(o.wallMs)}`,
      o.runId && `run ${printable(o.runId)}`,
    ].filter(Boolean);
    lines.push(`Outcome: ${parts.join(', ') || 'recorded'}.`);
  }
  const ran = launch && ranLine(launch, underDynamicAllocation(a));
  if (ran) lines.push(ran);
  if (a.candidates.length)
    lines.push(
      '',
      underDynamicAllocation(a)
        ? 'Alternatives (predicted duration, 80% interval, core-hours at the executor ceiling, the most each may cost):'
        : 'Alternatives (predicted duration, 80% interval, allocated core-hours):',
      ...table(a),
    );
  const shown = alternatives(a);
  if (coreHourPrice !== undefined && shown[1]?.tag === 'chosen') {
    const cost = (c: Candidate) => (c.coreHours * coreHourPrice).toFixed(2);
    lines.push(
      `  at ${coreHourPrice} per core-hour: baseline ${cost(shown[0]!.c)}, chosen ${cost(shown[1]!.c)} per run`,
    );
  }
  const chart = terminalChart(a);
  if (chart.length) lines.push('', ...chart);
  if (a.trainingRunIds.length) {
    const shown = printable(a.trainingRunIds.slice(0, 8).join(', '));
    lines.push(
      '',
      `Training runs (${a.trainingRunIds.length}, most recent first): ${shown}${a.trainingRunIds.length > 8 ? ', …' : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * How the job's launches with advice ran against the 80% intervals predicted for them. A failed launch finished too,
 * but is not set against its prediction (advice-rows.ts): it is counted apart, never left out of "finished launches".
 */
export function trackRecordLine(held: {
  within: number;
  of: number;
  over: number;
  failed?: number;
}): string | undefined {
  const failed = held.failed ?? 0;
  if (held.of === 0 && failed === 0) return undefined;
  if (held.of === 0)
    return (
      `Track record: no launch of this job with advice has a duration to set against its prediction; ` +
      `${plural(failed, 'launch', 'launches')} failed (${FAILED_APART}).`
    );
  const more = failed ? `; ${plural(failed, 'more launch', 'more launches')} failed (${FAILED_APART})` : '';
  return (
    `Track record: ${held.within} of this job's ${plural(held.of, 'launch', 'launches')} with advice set against ` +
    `${held.of === 1 ? 'its prediction' : 'their predictions'} ran within the 80% interval predicted; ${held.over} ` +
    `ran longer than its high end${more}.`
  );
}

/** How the launch this advice was for ran against what was predicted for the settings it ran on. */
export function ranLine(row: AdviceRow, dynamic = false): string | undefined {
  if (row.failed) {
    const how = row.failed.exitCode !== undefined ? ` with exit code ${row.failed.exitCode}` : '';
    const after = row.failed.afterMs !== undefined ? ` after ${formatDuration(row.failed.afterMs)}` : '';
    return `Ran: failed${how}${after}; ${FAILED_APART}.`;
  }
  if (row.actualMs === undefined) return undefined;
  const where =
    row.assumedInputBytes !== undefined
      ? `not set against it: it was for ${formatBytes(row.assumedInputBytes)}, the largest input of the history, as ` +
        'the launch measured none'
      : row.actualMs > row.highMs
        ? 'over its high end'
        : row.actualMs < row.lowMs
          ? 'under its low end'
          : 'within it';
  const from = row.actualFrom === 'run' ? 'the crawled run' : "spot-submit's wall clock";
  const on = row.applied ? 'the advised settings' : 'the settings asked for, nothing injected';
  const coreHours = coreHoursAt(row, row.actualMs);
  // What `spot runs` shows for the same run counts its executors' lifetimes, which can be far less (executors that
  // came late or left early): said where the two would read differently, so neither looks like a mistake.
  const held =
    row.heldCoreHours !== undefined && row.heldCoreHours.toFixed(2) !== coreHours.toFixed(2)
      ? ` (${dynamic ? 'ceiling' : 'executors'} × cores × run time; its executors' own lifetimes held ` +
        `${row.heldCoreHours.toFixed(2)}, the CORE-H of spot runs)`
      : '';
  const cost =
    `; ${coreHours.toFixed(2)} core-hours at ${dynamic ? 'its executor ceiling, the most it could hold' : 'those settings'}` +
    `${held}, ${row.predictedCoreHours.toFixed(2)} predicted, ${row.baselineCoreHours.toFixed(2)} predicted at the baseline`;
  return (
    `Ran: ${formatDuration(row.actualMs)} (${from}) on ${on}; predicted ${formatDuration(row.predictedMs)}, 80% ` +
    `interval ${formatDuration(row.lowMs)} – ${formatDuration(row.highMs)}: ${where}${cost}.`
  );
}
