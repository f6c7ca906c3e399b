import type { Advice, Candidate } from '../types.js';
import { escapeXml, plural } from '../format.js';
import { curve, markedExecutors, markLabel } from './explain-text.js';

// `spot explain --svg`: the same curve as the terminal chart, as a small self-contained SVG file.
// Layout, top down: the title, the two axis titles on their own line below it, then the plot.

/**
 * Axis ticks at round steps (1, 2, 2.5 or 5 × a power of ten) from 0 to the first at or above `max`, with the
 * decimals that tell them apart: a quarter of the largest value read "0.00, 0.00, 0.01, 0.01, 0.02" and "0, 119,
 * 238, 357, 475".
 */
function niceTicks(max: number, n = 4): { values: number[]; top: number; digits: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { values: [0, 1], top: 1, digits: 0 };
  const raw = max / n;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9))!;
  const count = Math.ceil(max / step - 1e-9);
  const values = Array.from({ length: count + 1 }, (_, i) => i * step);
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (Math.abs(step / power - 2.5) < 1e-9 ? 1 : 0));
  return { values, top: count * step, digits };
}

export function svgChart(a: Advice): string {
  const pts = curve(a);
  const W = 640,
    H = 388,
    L = 64,
    R = 64,
    T = 72,
    B = 48;
  const TITLE_Y = 20,
    AXIS_TITLE_Y = 44;
  const esc = escapeXml;
  if (pts.length < 2) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="80"><text x="10" y="40" font-family="sans-serif" font-size="14">${esc(`No alternatives to chart for advice ${a.id}: ${a.decidedBy}`)}</text></svg>\n`;
  }
  const xs = pts.map((c) => c.settings.executors);
  const x0 = Math.min(...xs),
    x1 = Math.max(...xs);
  const dTicks = niceTicks(Math.max(...pts.map((c) => c.prediction.high)) / 1000);
  const hTicks = niceTicks(Math.max(...pts.map((c) => c.coreHours)));
  const maxD = dTicks.top;
  const maxH = hTicks.top;
  const X = (e: number) => L + ((e - x0) / Math.max(1, x1 - x0)) * (W - L - R);
  const YD = (s: number) => H - B - (s / maxD) * (H - T - B);
  const YH = (h: number) => H - B - (h / maxH) * (H - T - B);
  const line = (f: (c: Candidate) => [number, number]) =>
    pts.map((c, i) => `${i ? 'L' : 'M'}${f(c)[0].toFixed(1)},${f(c)[1].toFixed(1)}`).join(' ');
  const band =
    pts
      .map((c, i) => `${i ? 'L' : 'M'}${X(c.settings.executors).toFixed(1)},${YD(c.prediction.high / 1000).toFixed(1)}`)
      .join(' ') +
    ' ' +
    [...pts]
      .reverse()
      .map((c) => `L${X(c.settings.executors).toFixed(1)},${YD(c.prediction.low / 1000).toFixed(1)}`)
      .join(' ') +
    ' Z';
  const marked = markedExecutors(a);
  // The chosen label sits above its point and the baseline's below, so close points never overprint;
  // one point that is both gets one label.
  const marker = (e: number | undefined, color: string, below: boolean) => {
    const c = pts.find((p) => p.settings.executors === e);
    if (!c || e === undefined) return '';
    const x = X(e).toFixed(1),
      y = YD(c.prediction.durationMs / 1000);
    const ly = below ? Math.min(y + 20, H - B - 6) : y - 10;
    return `<circle cx="${x}" cy="${y.toFixed(1)}" r="5" fill="${color}"/><text x="${x}" y="${ly.toFixed(1)}" text-anchor="middle" font-size="12" fill="${color}">${markLabel(e, marked)}</text>`;
  };
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<title>${esc(`Advice ${a.id} for ${a.app}`)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="${TITLE_Y}" text-anchor="middle" font-size="14">${esc(`${a.app}: predicted duration and core-hours by executor count (${plural(pts[0]!.settings.executorCores, 'core')} each)`)}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#1f77b4"/>`,
    `<line x1="${W - R}" y1="${T}" x2="${W - R}" y2="${H - B}" stroke="#d62728"/>`,
    ...dTicks.values.map(
      (v) =>
        `<text x="${L - 6}" y="${YD(v) + 4}" text-anchor="end" font-size="11" fill="#1f77b4">${v.toFixed(dTicks.digits)}</text>`,
    ),
    ...hTicks.values.map(
      (v) => `<text x="${W - R + 6}" y="${YH(v) + 4}" font-size="11" fill="#d62728">${v.toFixed(hTicks.digits)}</text>`,
    ),
    ...[...new Set([x0, ...xs.filter((_, i) => i % Math.ceil(xs.length / 8) === 0), x1])].map(
      (e) => `<text x="${X(e)}" y="${H - B + 16}" text-anchor="middle" font-size="11">${e}</text>`,
    ),
    `<text x="${W / 2}" y="${H - 10}" text-anchor="middle" font-size="12">executors</text>`,
    `<text x="14" y="${AXIS_TITLE_Y}" font-size="12" fill="#1f77b4">seconds (80% interval shaded)</text>`,
    `<text x="${W - 14}" y="${AXIS_TITLE_Y}" text-anchor="end" font-size="12" fill="#d62728">core-hours</text>`,
    `<path d="${band}" fill="#1f77b4" fill-opacity="0.15" stroke="none"/>`,
    `<path d="${line((c) => [X(c.settings.executors), YD(c.prediction.durationMs / 1000)])}" fill="none" stroke="#1f77b4" stroke-width="2"/>`,
    `<path d="${line((c) => [X(c.settings.executors), YH(c.coreHours)])}" fill="none" stroke="#d62728" stroke-width="2" stroke-dasharray="6 3"/>`,
    marked.baseline === marked.chosen ? '' : marker(marked.baseline, '#555', true),
    marker(marked.chosen, '#2ca02c', false),
    '</svg>',
  ];
  return `${out.filter(Boolean).join('\n')}\n`;
}
