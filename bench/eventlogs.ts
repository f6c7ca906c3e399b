// Event-log reader throughput and memory on a generated log (default 1 GB): MB/s and peak RSS of
// readEventLog, each next to baselines measured in the same run on the same file: scanning its lines
// (the disk and newline search alone) and scanning plus JSON.parse of every line (the floor for any
// reader of JSON lines). Each measurement runs in its own plain-JavaScript child process (the reader from
// dist/) so peak RSS (getrusage maxrss) is its own. The log is built from a real Spark 3 log of the fixtures:
// its start events, then jobs of 200-task stages whose task events are that log's, renumbered.
// Run: node --import tsx bench/eventlogs.ts [--mb N]   (e.g. --mb 50 for a quick run)
//      node --import tsx bench/eventlogs.ts --mb N --generate FILE   writes the log only
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT, SHS_FIXTURES } from '../test/support/paths.js';

const TASKS_PER_STAGE = 200;

async function generate(path: string, bytes: number): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: Spark's events are free-form JSON, read here by field name
  type SparkEvent = Record<string, any>;
  const events = readFileSync(join(SHS_FIXTURES, 'spark-events', 'application_1553914137147_0018'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SparkEvent);
  const head = events.filter((e) =>
    /LogStart|BlockManagerAdded|EnvironmentUpdate|ApplicationStart|ExecutorAdded/.test(e.Event),
  );
  const stageInfo = events.find((e) => e.Event === 'SparkListenerStageSubmitted')!['Stage Info'];
  const taskStart = events.find((e) => e.Event === 'SparkListenerTaskStart')!;
  const taskEnd = events.find((e) => e.Event === 'SparkListenerTaskEnd')!;
  const out = createWriteStream(path);
  const write = (e: unknown) =>
    new Promise<void>((r) => (out.write(`${JSON.stringify(e)}\n`) ? r() : out.once('drain', () => r())));
  for (const e of head) await write(e);
  let written = 0;
  let taskId = 0;
  let t = head.find((e) => e.Event === 'SparkListenerApplicationStart')!.Timestamp as number;
  for (let stage = 0; written < bytes; stage++) {
    const info = { ...stageInfo, 'Stage ID': stage, 'Number of Tasks': TASKS_PER_STAGE, 'Submission Time': t };
    await write({
      Event: 'SparkListenerJobStart',
      'Job ID': stage,
      'Submission Time': t,
      'Stage Infos': [info],
      'Stage IDs': [stage],
    });
    await write({ Event: 'SparkListenerStageSubmitted', 'Stage Info': info });
    for (let i = 0; i < TASKS_PER_STAGE; i++, taskId++) {
      const executor = String(1 + (i % 3));
      const task = {
        ...taskEnd['Task Info'],
        'Task ID': taskId,
        Index: i,
        'Executor ID': executor,
        'Launch Time': t + i,
        'Finish Time': t + i + 1000 + (i % 7) * 100,
      };
      const start = { ...taskStart, 'Stage ID': stage, 'Task Info': { ...task, 'Finish Time': 0 } };
      const end = { ...taskEnd, 'Stage ID': stage, 'Task Info': task };
      const lines = `${JSON.stringify(start)}\n${JSON.stringify(end)}\n`;
      written += lines.length;
      await new Promise<void>((r) => (out.write(lines) ? r() : out.once('drain', () => r())));
    }
    t += TASKS_PER_STAGE + 2000;
    await write({ Event: 'SparkListenerStageCompleted', 'Stage Info': { ...info, 'Completion Time': t } });
    await write({
      Event: 'SparkListenerJobEnd',
      'Job ID': stage,
      'Completion Time': t,
      'Job Result': { Result: 'JobSucceeded' },
    });
  }
  await write({ Event: 'SparkListenerApplicationEnd', Timestamp: t + 1000 });
  await new Promise<void>((r) => out.end(() => r()));
}

/**
 * One way of reading the log, as a plain-JavaScript child on the compiled reader (dist/, built by npm run
 * bench), so that neither TypeScript loading nor this process's memory counts. Prints {ms, maxRssMb, count}.
 */
const CHILD = `
import { createReadStream } from 'node:fs';
const [mode, path, dist] = process.argv.slice(1);
const started = performance.now();
let count = 0;
if (mode === 'reader') {
  const { findEventLogs } = await import(dist + '/eventlog/find.js');
  const { readEventLog } = await import(dist + '/eventlog/read.js');
  const t0 = performance.now();
  const [source] = await findEventLogs(path);
  const { replay } = await readEventLog(source);
  count = replay.tasks.length;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0, maxRssMb, count }));
} else {
  let carry = '';
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let start = 0;
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, start)) {
      if (mode === 'parse') { JSON.parse(carry + chunk.toString('utf8', start, at)); carry = ''; }
      count++;
      start = at + 1;
    }
    if (mode === 'parse') carry += chunk.toString('utf8', start);
  }
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms: performance.now() - started, maxRssMb, count }));
}
`;

function measure(mode: string, path: string): { ms: number; maxRssMb: number; count: number } {
  const dist = pathToFileURL(join(ROOT, 'dist', 'src')).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, mode, path, dist], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${mode}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { ms: number; maxRssMb: number; count: number };
}

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '1024' }, generate: { type: 'string' } },
  allowPositionals: true,
});
if (values.generate) {
  await generate(values.generate, Number(values.mb) * 1024 * 1024);
} else {
  if (!existsSync(join(ROOT, 'dist', 'src', 'eventlog', 'read.js'))) throw new Error('build first: npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'spot-bench-eventlog-'));
  try {
    const path = join(dir, 'application_1553914137147_9999');
    const started = performance.now();
    await generate(path, Number(values.mb) * 1024 * 1024);
    const mb = statSync(path).size / 1024 / 1024;
    console.log(`generated a ${mb.toFixed(0)} MB log in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const [mode, label] of [
      ['scan', 'baseline: newline scan'],
      ['parse', 'baseline: scan + JSON.parse'],
      ['reader', 'readEventLog'],
    ] as const) {
      const m = measure(mode, path);
      console.log(
        `${label.padEnd(28)} ${(mb / (m.ms / 1000)).toFixed(1).padStart(7)} MB/s  peak RSS ${m.maxRssMb.toFixed(0).padStart(5)} MB${mode === 'reader' ? `  (${m.count} tasks)` : ''}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
