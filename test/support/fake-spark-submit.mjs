#!/usr/bin/env node
// A stand-in spark-submit for tests. Behaviour comes from the environment:
//   FAKE_SPARK_ARGV_FILE  write argv (JSON array) here
//   FAKE_SPARK_MODE       yarn (default) | standalone | local | none: which application-id lines to print
//   FAKE_SPARK_APP_ID     the id to announce (default depends on the mode)
//   FAKE_SPARK_SLEEP_MS   stay "running" this long after submitting
//   FAKE_SPARK_EXIT       exit code (default 0)
// On SIGTERM it prints a line and exits 143, as spark-submit's JVM does.
import { writeFileSync } from 'node:fs';

const argv = process.argv.slice(2);
if (process.env.FAKE_SPARK_ARGV_FILE) writeFileSync(process.env.FAKE_SPARK_ARGV_FILE, JSON.stringify(argv));
process.on('SIGTERM', () => {
  process.stdout.write('fake-spark-submit: got SIGTERM, stopping\n');
  process.exit(143);
});

const mode = process.env.FAKE_SPARK_MODE ?? 'yarn';
const now = Date.now();
const ids = { yarn: `application_${now}_0042`, standalone: `app-20240131120000-0007`, local: `local-${now}` };
const appId = process.env.FAKE_SPARK_APP_ID ?? ids[mode];
const err = (l) => process.stderr.write(`${l}\n`);
if (mode === 'yarn') {
  err('24/01/31 12:00:00 INFO Client: Requesting a new application from cluster with 8 NodeManagers');
  err(`24/01/31 12:00:01 INFO YarnClientImpl: Submitted application ${appId}`);
  err(`24/01/31 12:00:02 INFO Client: Application report for ${appId} (state: ACCEPTED)`);
} else if (mode === 'standalone') {
  err(`24/01/31 12:00:01 INFO StandaloneSchedulerBackend: Connected to Spark cluster with app ID ${appId}`);
} else if (mode === 'local') {
  err(`24/01/31 12:00:01 INFO SparkUI: Bound SparkUI to 0.0.0.0, and started at http://localhost:4040`);
  err(`24/01/31 12:00:01 INFO Executor: Starting executor ID driver on host localhost, app id ${appId}`);
}
process.stdout.write('fake-spark-submit: running\n');
const sleepMs = Number(process.env.FAKE_SPARK_SLEEP_MS ?? 0);
setTimeout(() => {
  process.stdout.write('fake-spark-submit: done\n');
  process.exit(Number(process.env.FAKE_SPARK_EXIT ?? 0));
}, sleepMs);
