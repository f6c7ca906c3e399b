import type { StoreSummary } from './data.js';
import type { JobRow } from './rows.js';
import { formatPercent, thousands } from '../format.js';
import { filteredToNothing, type ReportFilter } from './filter.js';
import { esc } from './escape.js';
import { jobSectionsHtml } from './job-sections-html.js';
import type { JobSection } from './job-sections.js';

// The page: one HTML file with inline CSS and inline SVG, no script and no remote reference, so it can be
// mailed, archived or opened from a ticket. Every string that came from the store goes through `esc`.

export interface RenderedChart {
  id: string;
  title: string;
  reading: string;
  note?: string;
  /** The chart, or undefined when there was nothing to plot (then `note` says why). */
  svg?: string;
}

export interface Page {
  generatedAt: Date;
  summary: StoreSummary;
  jobs: JobRow[];
  charts: RenderedChart[];
  sections?: JobSection[];
  filter?: ReportFilter;
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1000px;padding:0 1rem;color:#222}
h1{margin-bottom:.2rem}h2{margin-top:2.5rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
.meta,.note{color:#666;font-size:.9rem}.reading{max-width:48rem}
table{border-collapse:collapse;margin:1rem 0}td,th{padding:.25rem .8rem;border-bottom:1px solid #eee;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.chart{overflow-x:auto}.chart svg{max-width:100%;height:auto}
.empty{background:#f6f6f6;padding:1rem;border-radius:4px;color:#555}
.caption{color:#444;font-size:.9rem;margin-top:.3rem}
.level-critical{color:#b00020;font-weight:600}.level-severe{color:#d9480f;font-weight:600}
.level-moderate{color:#a66a00}.level-low{color:#555}
ul.findings{margin:0;padding-left:1rem}
`;

const int = thousands;
const date = (ms: number | undefined) =>
  ms === undefined ? '—' : `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/**
 * Core-hours for the tables: one decimal from 1 up, two below, as \`spot runs\` prints them, so a job's share is
 * never beside a "0.0" (0.04 core-hours of 0.38 is 11%); an amount under 0.01 but above none is "<0.01".
 */
function coreHours(v: number): string {
  if (v >= 1) return v.toFixed(1);
  return v > 0 && v < 0.005 ? '<0.01' : v.toFixed(2);
}

function summaryTable(s: StoreSummary): string {
  const rows: [string, string][] = [
    ['runs in the store', int(s.runsInStore)],
    ['jobs (app keys)', int(s.apps)],
    ['runs read for this report', int(s.runsRead)],
    ['attempts read (aggregated documents)', int(s.attemptsRead)],
    ['first run ended', date(s.firstEndMs)],
    ['last run ended', date(s.lastEndMs)],
    ['allocated core-hours of the runs read', coreHours(s.coreHours)],
    ['advice records read', int(s.adviceRead)],
    ['crawl errors read', int(s.errorsRead)],
  ];
  return `<table class="summary">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td class="n">${esc(v)}</td></tr>`).join('')}</table>`;
}

/** Jobs listed by name in the table under the summary. */
const JOBS_LISTED = 15;

function jobsTable(jobs: JobRow[]): string {
  if (!jobs.length) return '';
  const head = '<tr><th>job</th><th>runs</th><th>failed</th><th>core-hours</th><th>share</th></tr>';
  const total = jobs.reduce((a, j) => a + j.coreHours, 0);
  const rows = jobs
    .slice(0, JOBS_LISTED)
    .map(
      (j) =>
        `<tr><td>${esc(j.app)}</td><td class="n">${int(j.runs)}</td><td class="n">${int(j.failed)}</td><td class="n">${esc(coreHours(j.coreHours))}</td><td class="n">${esc(formatPercent(total > 0 ? j.coreHours / total : 0))}</td></tr>`,
    )
    .join('');
  const more =
    jobs.length > JOBS_LISTED ? `<p class="note">${int(jobs.length - JOBS_LISTED)} more jobs not listed.</p>` : '';
  return `<h2>Jobs by allocated core-hours</h2><table class="jobs">${head}${rows}</table>${more}`;
}

function chartSection(c: RenderedChart): string {
  const body = c.svg !== undefined ? `<div class="chart">${c.svg}</div>` : '';
  const note = c.note ? `<p class="${c.svg !== undefined ? 'note' : 'empty'}">${esc(c.note)}</p>` : '';
  // The one-line caption sits under the chart: how to read it, once the reader has it in view.
  return `<section id="${esc(c.id)}"><h2>${esc(c.title)}</h2>${note}${body}<p class="reading caption">${esc(c.reading)}</p></section>`;
}

export function renderHtml(page: Page): string {
  const s = page.summary;
  const bounded =
    `Charts use the most recent ${int(s.limit)} runs, aggregated documents, advice records and crawl errors` +
    (s.runsInStore > s.runsRead ? ` (the store holds ${int(s.runsInStore)} runs).` : '.');
  const f = page.filter;
  const filters = f
    ? ` Filtered to ${[
        f.app !== undefined ? `app ${f.app}` : '',
        f.user !== undefined ? `user ${f.user}` : '',
        f.cluster !== undefined ? `cluster ${f.cluster}` : '',
        f.since !== undefined ? `runs ended since ${f.since.toISOString().slice(0, 10)}` : '',
      ]
        .filter(Boolean)
        .join(', ')}.`
    : '';
  // A store of YARN applications only still draws the cluster's charts: "nothing read" means nothing to draw.
  const nothingRead =
    s.runsRead === 0 &&
    s.attemptsRead === 0 &&
    s.errorsRead === 0 &&
    s.adviceRead === 0 &&
    page.charts.every((c) => c.svg === undefined);
  const content =
    nothingRead && filteredToNothing(f, s)
      ? `<p class="empty">No stored run matches the filters (the store holds ${int(s.runsInStore)} runs): check the names with <code>spot runs</code>.</p>`
      : nothingRead
        ? '<p class="empty">The store holds no runs yet. Crawl your History Server first (<code>spot crawl --once --history-server URL</code>) or import run records (<code>spot import FILE</code>), then run <code>spot report</code> again.</p>'
        : page.charts.map(chartSection).join('\n') + jobSectionsHtml(page.sections ?? []);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spot report</title>
<style>${CSS}</style>
</head>
<body>
<h1>Spot report</h1>
<p class="meta">Generated ${esc(date(page.generatedAt.getTime()))}. ${esc(bounded + filters)}</p>
${summaryTable(s)}
${jobsTable(page.jobs)}
${content}
</body>
</html>
`;
}
