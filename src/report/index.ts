import type { RunStore } from '../store/types.js';
import type { YarnStore } from '../store/yarn.js';
import { CHARTS, YARN_CHARTS } from './charts/index.js';
import { loadReportData, type ReportData } from './data.js';
import { renderHtml, type RenderedChart } from './html.js';
import { renderSvg } from './render.js';
import type { ReportFilter } from './filter.js';
import type { Thresholds } from '../findings/index.js';

export { DEFAULT_REPORT_LIMIT, loadReportData, type ReportData } from './data.js';
export { renderHtml } from './html.js';

// The report phase: store -> rows -> one spec per chart -> SVG -> one page.

export interface Report {
  html: string;
  data: ReportData;
  charts: RenderedChart[];
}

/** Charts of the data; a chart that fails to build or render becomes a note rather than failing the page. */
export async function renderCharts(data: ReportData): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const def of data.yarn ? [...CHARTS, ...YARN_CHARTS] : CHARTS) {
    const base = { id: def.id, title: def.title, reading: def.reading };
    try {
      const built = def.build(data);
      if ('empty' in built) out.push({ ...base, note: built.empty });
      else out.push({ ...base, ...(built.note ? { note: built.note } : {}), svg: await renderSvg(built.spec) });
    } catch (err) {
      out.push({ ...base, note: `This chart could not be drawn: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return out;
}

export async function buildReport(
  store: RunStore,
  opts: { limit?: number; now?: Date; filter?: ReportFilter; thresholds?: Thresholds; yarn?: YarnStore } = {},
): Promise<Report> {
  const data = await loadReportData(store, {
    limit: opts.limit,
    filter: opts.filter,
    thresholds: opts.thresholds,
    ...(opts.yarn ? { yarn: opts.yarn } : {}),
  });
  const charts = await renderCharts(data);
  const page = { generatedAt: opts.now ?? new Date(), summary: data.summary, jobs: data.jobs, charts, sections: data.sections, filter: data.filter };
  return { html: renderHtml(page), data, charts };
}
