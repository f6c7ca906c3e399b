import { formatSparkMemory } from '../documents/units.js';
import type { Advice, Candidate, Settings } from '../types.js';
import { formatBytes, formatDuration, formatPercent } from '../format.js';

// `spot explain` in words: the decision, a table of the alternatives and a terminal chart. The advice
// record holds the numbers; this only presents them.

export function fmtSettings(s: Partial<Settings>): string {
  const parts: string[] = [];
  if (s.executors !== undefined) parts.push(`${s.executors} executors`);
  if (s.executorCores !== undefined) parts.push(`${s.executorCores} cores each`);
  if (s.executorMemoryBytes !== undefined) parts.push(`${formatSparkMemory(s.executorMemoryBytes)} memory`);
  if (s.shufflePartitions !== undefined) parts.push(`${s.shufflePartitions} shuffle partitions`);
  if (s.dynamicAllocation !== undefined) parts.push(`dynamic allocation ${s.dynamicAllocation ? 'on' : 'off'}`);
  return parts.length ? parts.join(', ') : 'no change (Spark or cluster defaults)';
}

function sameCandidate(a: Candidate, b: Candidate): boolean {
  return JSON.stringify(a.settings) === JSON.stringify(b.settings);
}

/** The alternatives shown: the baseline (always first in the record), the chosen one, the best few. */
function alternatives(a: Advice, few = 6): { c: Candidate; tag: string }[] {
  const [base, ...rest] = a.candidates;
  if (!base) return [];
  // The advisor lists the baseline first and, when it chose something else, the chosen one second.
  const keptBaseline = Object.entries(a.chosen).every(
    ([k, v]) => k === 'dynamicAllocation' || (base.settings as unknown as Record<string, unknown>)[k] === v,
  );
  const chosen = keptBaseline ? undefined : rest[0];
  const out = [{ c: base, tag: chosen ? 'baseline' : 'baseline, chosen' }];
  if (chosen) out.push({ c: chosen, tag: 'chosen' });
  for (const c of rest) {
    if (out.length >= few + 2) break;
    if (!out.some((o) => sameCandidate(o.c, c))) out.push({ c, tag: c.rejected ? `rejected: ${c.rejected}` : '' });
  }
  return out;
}

function table(a: Advice): string[] {
  const rows = alternatives(a).map(({ c, tag }) => [
    String(c.settings.executors),
    String(c.settings.executorCores),
    c.settings.executorMemoryBytes ? formatSparkMemory(c.settings.executorMemoryBytes) : '-',
    c.settings.shufflePartitions ? String(c.settings.shufflePartitions) : '-',
    formatDuration(c.prediction.durationMs),
    `${formatDuration(c.prediction.low)} – ${formatDuration(c.prediction.high)}`,
    c.coreHours.toFixed(2),
    tag,
  ]);
  const head = ['executors', 'cores', 'memory', 'partitions', 'predicted', '80% interval', 'core-h', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => `  ${r.map((v, i) => (i === r.length - 1 ? v : v.padStart(widths[i]!))).join('  ')}`.trimEnd();
  return [fmt(head), ...rows.map(fmt)];
}

/** Candidates at the chosen cores per executor, by executor count: the curve the decision was made on. */
export function curve(a: Advice): Candidate[] {
  const chosenCores = a.chosen.executorCores ?? a.candidates[0]?.settings.executorCores;
  const byExec = new Map<number, Candidate>();
  for (const c of a.candidates) if (c.settings.executorCores === chosenCores && !byExec.has(c.settings.executors)) byExec.set(c.settings.executors, c);
  return [...byExec.values()].sort((x, y) => x.settings.executors - y.settings.executors);
}

function terminalChart(a: Advice, width = 28): string[] {
  let pts = curve(a);
  if (pts.length < 2) return [];
  if (pts.length > 16) pts = pts.filter((_, i) => i % Math.ceil(pts.length / 16) === 0 || i === pts.length - 1);
  const maxD = Math.max(...pts.map((c) => c.prediction.durationMs));
  const maxH = Math.max(...pts.map((c) => c.coreHours));
  const bar = (v: number, max: number) => '█'.repeat(Math.max(1, Math.round((v / max) * width))).padEnd(width);
  const chosenExec = a.chosen.executors ?? a.candidates[0]?.settings.executors;
  const baseExec = a.candidates[0]?.settings.executors;
  const lines = [`  predicted duration and core-hours by executor count (${pts[0]!.settings.executorCores} cores each):`];
  for (const c of pts) {
    const e = c.settings.executors;
    const mark = e === chosenExec ? ' ◀ chosen' : e === baseExec ? ' ◀ baseline' : '';
    lines.push(`  ${String(e).padStart(4)} │${bar(c.prediction.durationMs, maxD)} ${formatDuration(c.prediction.durationMs).padStart(7)} │${bar(c.coreHours, maxH)} ${c.coreHours.toFixed(2).padStart(6)}${mark}`);
  }
  return lines;
}

/** A small self-contained SVG: predicted duration (with its interval) and core-hours against executors. */

export function renderAdvice(a: Advice, coreHourPrice?: number): string {
  const lines: string[] = [];
  lines.push(`Advice ${a.id} for job '${a.app}' (${a.createdAt}, mode ${a.mode})`);
  if (a.inputBytes !== undefined) lines.push(`  input: ${formatBytes(a.inputBytes)}${a.inputSource ? ` (from ${a.inputSource})` : ''}`);
  lines.push(`  asked for: ${fmtSettings(a.baseline)}`);
  lines.push(`  recommended: ${fmtSettings(a.chosen)}`);
  const injected = Object.entries(a.injected ?? {});
  if (injected.length) lines.push(`  injected: ${injected.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  else if (a.mode === 'shadow') lines.push('  injected: nothing (shadow mode: advice recorded, launch unchanged)');
  if (a.pinned.length) lines.push(`  pinned (never changed): ${a.pinned.join(', ')}`);
  lines.push('', `Why: ${a.decidedBy}.`);
  if (a.model) {
    lines.push(`Model: ${a.model.name}, validation error ${formatPercent(a.model.validationError)}, trained on ${a.trainingRunIds.length} runs.`);
    lines.push(`  ${a.model.description}`);
  } else {
    lines.push(`Model: none (${a.trainingRunIds.length} usable runs).`);
  }
  for (const n of a.notes ?? []) lines.push(`Note: ${n}.`);
  if (a.outcome) {
    const o = a.outcome;
    const parts = [
      o.applicationId && `application ${o.applicationId}`,
      o.exitCode !== undefined && `exit code ${o.exitCode}`,
      o.wallMs !== undefined && `wall time ${formatDuration(o.wallMs)}`,
      o.runId && `run ${o.runId}`,
    ].filter(Boolean);
    lines.push(`Outcome: ${parts.join(', ') || 'recorded'}.`);
  }
  if (a.candidates.length) lines.push('', 'Alternatives (predicted duration, 80% interval, allocated core-hours):', ...table(a));
  const shown = alternatives(a);
  if (coreHourPrice !== undefined && shown[1]?.tag === 'chosen') {
    const cost = (c: Candidate) => (c.coreHours * coreHourPrice).toFixed(2);
    lines.push(`  at ${coreHourPrice} per core-hour: baseline ${cost(shown[0]!.c)}, chosen ${cost(shown[1]!.c)} per run`);
  }
  const chart = terminalChart(a);
  if (chart.length) lines.push('', ...chart);
  if (a.trainingRunIds.length) {
    const shown = a.trainingRunIds.slice(0, 8).join(', ');
    lines.push('', `Training runs (${a.trainingRunIds.length}, most recent first): ${shown}${a.trainingRunIds.length > 8 ? ', …' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
