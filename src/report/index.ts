import type { RunStore } from '../store/types.js';
import type { YarnStore } from '../store/yarn.js';
import { CHARTS, YARN_CHARTS, type ChartDef } from './charts/index.js';
import { loadReportData, type ReportData } from './data.js';
import { renderHtml, type RenderedChart } from './html.js';
import { inThreadRenderer, type ChartRenderer } from './render-pool.js';
import type { ReportFilter } from './filter.js';
import type { RunRow } from './rows.js';
import type { Thresholds } from '../findings/index.js';

export { DEFAULT_REPORT_LIMIT, loadReportData, type ReportData } from './data.js';
export { renderHtml } from './html.js';
export { startRenderPool, type ChartRenderer } from './render-pool.js';

// The report phase: store -> rows -> one spec per chart -> SVG -> one page.

export interface Report {
  html: string;
  data: ReportData;
  charts: RenderedChart[];
}

/** One chart drawn; one that fails to build or render becomes a note rather than failing the page. */
async function drawChart(def: ChartDef, data: ReportData, renderer: ChartRenderer): Promise<RenderedChart> {
  const base = { id: def.id, title: def.title, reading: def.reading };
  try {
    const built = def.build(data);
    if ('empty' in built) return { ...base, note: built.empty };
    const words = { title: built.title ?? base.title, reading: built.reading ?? base.reading };
    return { ...base, ...words, ...(built.note ? { note: built.note } : {}), svg: await renderer.render(built.spec) };
  } catch (err) {
    return { ...base, note: `This chart could not be drawn: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Charts of the data, in page order; all are handed to the renderer at once (a pool draws them side by side).
 * `started`: charts already being drawn (buildReport starts those of runs alone while the rest is read).
 */
export async function renderCharts(
  data: ReportData,
  renderer: ChartRenderer = inThreadRenderer(),
  started = new Map<ChartDef, Promise<RenderedChart>>(),
): Promise<RenderedChart[]> {
  const defs = data.yarn ? [...CHARTS, ...YARN_CHARTS] : CHARTS;
  return Promise.all(defs.map((def) => started.get(def) ?? drawChart(def, data, renderer)));
}

/**
 * The charts that read runs alone, started on the run rows while the rest is read: a chart thread draws them
 * beside the reading. They are built from the same rows as the page's other charts, so they are the same charts.
 * Hand it to loadReportData as `runsRead`, and `started` to renderCharts.
 * @public (bench/support/report-phases.mjs times the steps as buildReport takes them)
 */
export function startRunCharts(renderer: ChartRenderer, started: Map<ChartDef, Promise<RenderedChart>>) {
  return (runs: RunRow[]) => {
    const data = { runs } as Pick<ReportData, 'runs'> as ReportData;
    for (const def of CHARTS) if (def.reads === 'runs') started.set(def, drawChart(def, data, renderer));
  };
}

export async function buildReport(
  store: RunStore,
  opts: {
    limit?: number;
    now?: Date;
    filter?: ReportFilter;
    thresholds?: Thresholds;
    yarn?: YarnStore;
    renderer?: ChartRenderer;
  } = {},
): Promise<Report> {
  const renderer = opts.renderer ?? inThreadRenderer();
  const started = new Map<ChartDef, Promise<RenderedChart>>();
  const data = await loadReportData(store, {
    limit: opts.limit,
    filter: opts.filter,
    thresholds: opts.thresholds,
    ...(opts.yarn ? { yarn: opts.yarn } : {}),
    runsRead: startRunCharts(renderer, started),
  });
  const charts = await renderCharts(data, renderer, started);
  const page = {
    generatedAt: opts.now ?? new Date(),
    summary: data.summary,
    jobs: data.jobs,
    charts,
    sections: data.sections,
    filter: data.filter,
  };
  return { html: renderHtml(page), data, charts };
}
