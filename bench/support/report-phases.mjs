// Run by bench/report.ts in a fresh process: the steps of `spot report` as src/cli/report.ts takes them, timed
// one by one, with the compiled modules of the checkout named by argv[2] (this one or a --baseline). Prints one
// line `phases <json>`: per phase, wall and CPU ms (CPU of all threads). A checkout whose report module offers
// startRenderPool draws with argv[4] chart threads (0: in this thread) started before the store is read, as its
// CLI does; one without it draws in this thread. Node's own start-up is the time from the process's origin to
// this file's first line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, home, threads] = process.argv.slice(2);
const phases = {};
let wall = performance.now();
let cpu = process.cpuUsage();
phases.node = { wallMs: wall, cpuMs: (cpu.user + cpu.system) / 1000 };
const mark = (name) => {
  const w = performance.now();
  const c = process.cpuUsage();
  phases[name] = { wallMs: w - wall, cpuMs: (c.user + c.system - cpu.user - cpu.system) / 1000 };
  wall = w;
  cpu = c;
};
const load = (rel) => import(pathToFileURL(join(root, 'dist', 'src', rel)).href);

const { createContext } = await load('cli/context.js');
const ctx = await createContext({ env: { ...process.env, SPOT_HOME: home }, out: { write() {} }, err: { write() {} } });
mark('config');
const report = await load('report/index.js');
const renderer = report.startRenderPool?.(Number(threads ?? 0));
mark('modules');
const store = await ctx.store();
// A checkout with startRunCharts draws the charts of runs alone while it reads the rest, as its buildReport does:
// the read phase then holds that drawing too, in this thread or beside it.
const started = new Map();
const runsRead = renderer && report.startRunCharts?.(renderer, started);
const data = await report.loadReportData(store, { thresholds: ctx.config.findings, ...(runsRead ? { runsRead } : {}) });
mark('read');
const charts = renderer ? await report.renderCharts(data, renderer, started) : await report.renderCharts(data);
await renderer?.close();
mark('charts');
writeFileSync(join(home, 'phases.html'), report.renderHtml({ generatedAt: new Date(), summary: data.summary, jobs: data.jobs, charts, sections: data.sections, filter: data.filter }));
await ctx.close();
mark('page');
process.stdout.write(`phases ${JSON.stringify(phases)}\n`);
