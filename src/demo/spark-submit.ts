#!/usr/bin/env node
// The demo's stand-in spark-submit: reads its command line like spark-submit would, "runs" the demo job on
// the settings it was given (job-model.ts), prints YARN client lines, and hands the finished app to the
// simulated History Server. Environment: DEMO_SPARK_HISTORY (the simulated SHS REST URL), DEMO_SPARK_HDFS
// (JSON file: input path -> bytes), DEMO_SPARK_EXIT (exit code, default 0).
import { readFileSync } from 'node:fs';
import { confValues, optionValue, parseSubmitArgs } from '../submit/args.js';
import { baselineSettings } from '../submit/settings.js';
import { runJob, type JobSettings } from './job-model.js';
import { appArg, definedOnly, demoAppId, SPARK_DEFAULTS } from './scenario.js';

process.on('SIGTERM', () => {
  process.stderr.write('INFO ShutdownHookManager: Shutdown hook called (SIGTERM)\n');
  process.exit(143);
});

const args = parseSubmitArgs(process.argv.slice(2));
const given = baselineSettings(args, new Map());
const settings: JobSettings = { ...SPARK_DEFAULTS, ...definedOnly(given) };
const date = appArg(args.appArgs, '--date') ?? new Date().toISOString().slice(0, 10);
const input = appArg(args.appArgs, '--input') ?? '';
const sizes = process.env.DEMO_SPARK_HDFS
  ? (JSON.parse(readFileSync(process.env.DEMO_SPARK_HDFS, 'utf8')) as Record<string, number>)
  : {};
const inputBytes = sizes[input] ?? 10 * 1024 ** 3;
const run = runJob(inputBytes, settings, date);
const startMs = Date.parse(`${date}T02:00:00Z`);
const appId = demoAppId(date);
const name = optionValue(args, '--name') ?? optionValue(args, '--class') ?? 'demo';

// Spark's log4j layout: "yy/MM/dd HH:mm:ss LEVEL Class: message".
const log = (l: string) =>
  process.stderr.write(`${new Date().toISOString().slice(2, 19).replace(/-/g, '/').replace('T', ' ')} INFO ${l}\n`);
const exitCode = Number(process.env.DEMO_SPARK_EXIT ?? 0);
log(`Client: Requesting a new application from cluster with 16 NodeManagers`);
log(
  `Client: Verifying our application has not requested more than the maximum memory capability of the cluster (65536 MB per container)`,
);
log(`YarnClientImpl: Submitted application ${appId}`);
log(`Client: Application report for ${appId} (state: RUNNING)`);

const history = process.env.DEMO_SPARK_HISTORY;
if (history) {
  const spec = {
    id: appId,
    name,
    startMs,
    durationMs: run.durationMs,
    executors: settings.executors,
    executorCores: settings.executorCores,
    executorMemoryBytes: settings.executorMemoryBytes,
    inputBytes,
    shuffleBytes: run.shuffleBytes,
    stageLayout: run.layout,
    sparkProperties: Object.fromEntries(confValues(args)),
  };
  const res = await fetch(new URL('/spot-sim/apps', history), {
    method: 'POST',
    body: JSON.stringify({ spec }),
    headers: { 'content-type': 'application/json' },
  });
  if (!res.ok) log(`Client: could not reach the History Server (${res.status})`);
}
log(`Client: Application report for ${appId} (state: FINISHED)`);
log(`Client: final status: ${exitCode === 0 ? 'SUCCEEDED' : 'FAILED'}, tracking URL: http://rm:8088/proxy/${appId}/`);
process.exitCode = exitCode;
