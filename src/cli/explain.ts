import { writeFile } from 'node:fs/promises';
import { formatSparkMemory } from '../documents/units.js';
import { advise } from '../advisor/advise.js';
import { byRecency, runSettings } from '../advisor/features.js';
import type { RunStore } from '../store/types.js';
import type { Advice, Candidate, RunRecord, Settings } from '../types.js';
import { UsageError, UserFacingError, type CliContext } from './context.js';
import { formatBytes, formatDuration, formatPercent } from '../format.js';

// `spot explain`: what was chosen and why, in plain words — for an advice id, a finished app, or a
// spark-submit command line (a dry run of spot-submit). The advice record holds the numbers; this only
// presents them: text, a table of alternatives, a terminal chart, and optionally an SVG chart.

export interface ExplainOptions {
  args?: string[];
  advice?: string;
  svg?: string;
  json?: boolean;
}

const APP_ID = /^(application_\d+_\d+|app-\d+-\d+|local-\d+|spark-[0-9a-f]+)/;

function isAppId(args: string[]): boolean {
  if (args.length !== 1) return false;
  const a = args[0]!;
  return APP_ID.test(a) || (!a.startsWith('-') && !/\.(jar|py|r|zip|egg)$/i.test(a));
}

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
export function svgChart(a: Advice): string {
  const pts = curve(a);
  const W = 640, H = 360, L = 64, R = 64, T = 40, B = 48;
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (pts.length < 2) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="80"><text x="10" y="40" font-family="sans-serif" font-size="14">${esc(`No alternatives to chart for advice ${a.id}: ${a.decidedBy}`)}</text></svg>\n`;
  }
  const xs = pts.map((c) => c.settings.executors);
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  const maxD = Math.max(...pts.map((c) => c.prediction.high)) / 1000;
  const maxH = Math.max(...pts.map((c) => c.coreHours));
  const X = (e: number) => L + ((e - x0) / Math.max(1, x1 - x0)) * (W - L - R);
  const YD = (s: number) => H - B - (s / maxD) * (H - T - B);
  const YH = (h: number) => H - B - (h / maxH) * (H - T - B);
  const line = (f: (c: Candidate) => [number, number]) => pts.map((c, i) => `${i ? 'L' : 'M'}${f(c)[0].toFixed(1)},${f(c)[1].toFixed(1)}`).join(' ');
  const band =
    pts.map((c, i) => `${i ? 'L' : 'M'}${X(c.settings.executors).toFixed(1)},${YD(c.prediction.high / 1000).toFixed(1)}`).join(' ') +
    ' ' +
    [...pts].reverse().map((c) => `L${X(c.settings.executors).toFixed(1)},${YD(c.prediction.low / 1000).toFixed(1)}`).join(' ') +
    ' Z';
  const ticks = (max: number, n = 4) => Array.from({ length: n + 1 }, (_, i) => (max * i) / n);
  const marker = (e: number | undefined, label: string, color: string) => {
    const c = pts.find((p) => p.settings.executors === e);
    if (!c) return '';
    const x = X(e!).toFixed(1), y = YD(c.prediction.durationMs / 1000).toFixed(1);
    return `<circle cx="${x}" cy="${y}" r="5" fill="${color}"/><text x="${x}" y="${(Number(y) - 10).toFixed(1)}" text-anchor="middle" font-size="12" fill="${color}">${label}</text>`;
  };
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<title>${esc(`Advice ${a.id} for ${a.app}`)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(`${a.app}: predicted duration and core-hours by executor count (${pts[0]!.settings.executorCores} cores each)`)}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#1f77b4"/>`,
    `<line x1="${W - R}" y1="${T}" x2="${W - R}" y2="${H - B}" stroke="#d62728"/>`,
    ...ticks(maxD).map((v) => `<text x="${L - 6}" y="${YD(v) + 4}" text-anchor="end" font-size="11" fill="#1f77b4">${v.toFixed(0)}</text>`),
    ...ticks(maxH).map((v) => `<text x="${W - R + 6}" y="${YH(v) + 4}" font-size="11" fill="#d62728">${v.toFixed(2)}</text>`),
    ...[...new Set([x0, ...xs.filter((_, i) => i % Math.ceil(xs.length / 8) === 0), x1])].map(
      (e) => `<text x="${X(e)}" y="${H - B + 16}" text-anchor="middle" font-size="11">${e}</text>`,
    ),
    `<text x="${W / 2}" y="${H - 10}" text-anchor="middle" font-size="12">executors</text>`,
    `<text x="14" y="${T - 10}" font-size="12" fill="#1f77b4">seconds (80% interval shaded)</text>`,
    `<text x="${W - 14}" y="${T - 10}" text-anchor="end" font-size="12" fill="#d62728">core-hours</text>`,
    `<path d="${band}" fill="#1f77b4" fill-opacity="0.15" stroke="none"/>`,
    `<path d="${line((c) => [X(c.settings.executors), YD(c.prediction.durationMs / 1000)])}" fill="none" stroke="#1f77b4" stroke-width="2"/>`,
    `<path d="${line((c) => [X(c.settings.executors), YH(c.coreHours)])}" fill="none" stroke="#d62728" stroke-width="2" stroke-dasharray="6 3"/>`,
    marker(a.candidates[0]?.settings.executors, 'baseline', '#555'),
    marker(a.chosen.executors, 'chosen', '#2ca02c'),
    '</svg>',
  ];
  return `${out.filter(Boolean).join('\n')}\n`;
}

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

async function findRun(store: RunStore, appId: string): Promise<RunRecord | undefined> {
  const all = await store.records({});
  return all.find((r) => r.appId === appId || r.id === appId || r.id.startsWith(`${appId}-`));
}

async function adviceForApp(store: RunStore, appId: string, run: RunRecord | undefined): Promise<Advice | undefined> {
  if (run?.adviceId) {
    const a = await store.getAdvice(run.adviceId);
    if (a) return a;
  }
  const list = await store.listAdvice(run ? { app: run.app } : {});
  return list.find((a) => a.outcome?.applicationId === appId || (run !== undefined && a.outcome?.runId === run.id));
}

export async function runExplain(opts: ExplainOptions, ctx: CliContext): Promise<number> {
  const args = opts.args ?? [];
  if (!opts.advice && args.length === 0) throw new UsageError('explain needs an application id, --advice ID, or -- <spark-submit arguments>');
  const store = await ctx.store();
  let advice: Advice | undefined;
  let preface = '';
  let extra: Record<string, unknown> = {};
  if (opts.advice) {
    advice = await store.getAdvice(opts.advice);
    if (!advice) throw new UserFacingError(`no advice with id '${opts.advice}'`);
  } else if (isAppId(args)) {
    const appId = args[0]!;
    const run = await findRun(store, appId);
    advice = await adviceForApp(store, appId, run);
    if (!advice) {
      if (!run) throw new UserFacingError(`no run or advice found for application id '${appId}'`);
      // No advice was involved: explain the run against what Spot would advise for it today.
      const records = byRecency(await store.records({ app: run.app, limit: 1000 }));
      advice = advise({ app: run.app, inputBytes: run.inputBytes, baseline: runSettings(run), pinned: ctx.config.advisor.pinned, records, config: ctx.config.advisor });
      preface =
        `Run ${run.id} of '${run.app}' was launched without advice: ${fmtSettings(runSettings(run))}, ` +
        `${formatBytes(run.inputBytes)} input, ${run.succeeded ? 'took' : 'failed after'} ${formatDuration(run.durationMs)}.\n` +
        `What Spot would advise for the same input today (not stored):\n\n`;
      extra = { run };
    }
  } else {
    const { planLaunch } = await import('../submit/plan.js');
    const plan = await planLaunch(args, { config: ctx.config, store, record: false });
    for (const w of plan.warnings) ctx.err.write(`spot: ${w}\n`);
    if (!plan.advice) {
      ctx.out.write(`No advice for this command line (Spot is off for it, or it launches no application).\nspark-submit ${plan.argv.join(' ')}\n`);
      return 0;
    }
    advice = plan.advice;
    preface = 'Dry run of spot-submit (nothing launched, nothing stored):\n\n';
    extra = { argv: plan.argv };
  }
  if (opts.svg) await writeFile(opts.svg, svgChart(advice));
  if (opts.json) {
    ctx.out.write(`${JSON.stringify(Object.keys(extra).length ? { advice, ...extra } : advice)}\n`);
    return 0;
  }
  let text = preface + renderAdvice(advice, ctx.config.advisor.cluster.coreHourPrice);
  if (typeof extra.argv === 'object') text += `\nCommand line: spark-submit ${(extra.argv as string[]).join(' ')}\n`;
  if (opts.svg) text += `\nChart written to ${opts.svg}\n`;
  ctx.out.write(text);
  return 0;
}
