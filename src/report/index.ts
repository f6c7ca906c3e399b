import type { RunStore } from '../store/types.js';
import type { YarnStore } from '../store/yarn.js';
import { CHARTS, YARN_CHARTS } from './charts/index.js';
import { loadReportData, type ReportData } from './data.js';
import { renderHtml, type RenderedChart } from './html.js';
import { inThreadRenderer, type ChartRenderer } from './render-pool.js';
import type { ReportFilter } from './filter.js';
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

/**
 * Charts of the data, in page order; all are handed to the renderer at once (a pool draws them side by side).
 * A chart that fails to build or render becomes a note rather than failing the page.
 */
export async function renderCharts(
  data: ReportData,
  renderer: ChartRenderer = inThreadRenderer(),
): Promise<RenderedChart[]> {
  const failed = (err: unknown) => `This chart could not be drawn: ${err instanceof Error ? err.message : String(err)}`;
  const drawn = (data.yarn ? [...CHARTS, ...YARN_CHARTS] : CHARTS).map(async (def): Promise<RenderedChart> => {
    const base = { id: def.id, title: def.title, reading: def.reading };
    try {
      const built = def.build(data);
      if ('empty' in built) return { ...base, note: built.empty };
      return { ...base, ...(built.note ? { note: built.note } : {}), svg: await renderer.render(built.spec) };
    } catch (err) {
      return { ...base, note: failed(err) };
    }
  });
  return Promise.all(drawn);
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
  const data = await loadReportData(store, {
    limit: opts.limit,
    filter: opts.filter,
    thresholds: opts.thresholds,
    ...(opts.yarn ? { yarn: opts.yarn } : {}),
  });
  const charts = await renderCharts(data, opts.renderer);
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
