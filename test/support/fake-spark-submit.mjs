#!/usr/bin/env node
// A stand-in spark-submit for tests. Behaviour comes from the environment:
//   FAKE_SPARK_ARGV_FILE  write argv (JSON array) here
//   FAKE_SPARK_RAW_FILE   copy /proc/self/cmdline here, and /proc/self/environ to the same name + .env: the bytes
//                         themselves, which argv and process.env show decoded as UTF-8
//   FAKE_SPARK_PID_FILE   write its pid here once running; on SIGTERM, append " SIGTERM"
//   FAKE_SPARK_MODE       yarn (default) | standalone | local | none: which application-id lines to print
//   FAKE_SPARK_APP_ID     the id to announce (default depends on the mode)
//   FAKE_SPARK_SLEEP_MS   stay "running" this long after submitting
//   FAKE_SPARK_EXIT       exit code (default 0)
//   FAKE_SPARK_LINES      print this many extra lines to stdout (ignoring a closed reader, as the JVM does)
//   FAKE_SPARK_INTERLEAVE print this many pairs of lines, `out N` to stdout then `err N` to stderr
//   FAKE_SPARK_DIE        a signal to kill itself with instead of exiting (e.g. SIGKILL)
//   FAKE_SPARK_SIGINT     note: on SIGINT print a line and run on, as a JVM whose shutdown hooks are still running
//   FAKE_SPARK_HISTORY    a simulated History Server's REST URL: the finished app is added to it, with the
//                         --conf values of the command line among its Spark properties
// On SIGTERM it prints a line and exits 143, as spark-submit's JVM does; on SIGQUIT it prints a "thread dump" and
// runs on, as the JVM does. SIGUSR1, for which the JVM sets no handler, ends it as 128 + 10; SIGUSR2 it notes and
// runs on.
import { appendFileSync, readFileSync, writeFileSync, writeSync } from 'node:fs';

const argv = process.argv.slice(2);
if (process.env.FAKE_SPARK_ARGV_FILE) writeFileSync(process.env.FAKE_SPARK_ARGV_FILE, JSON.stringify(argv));
if (process.env.FAKE_SPARK_RAW_FILE) {
  writeFileSync(process.env.FAKE_SPARK_RAW_FILE, readFileSync('/proc/self/cmdline'));
  writeFileSync(`${process.env.FAKE_SPARK_RAW_FILE}.env`, readFileSync('/proc/self/environ'));
}
process.on('SIGTERM', () => {
  if (process.env.FAKE_SPARK_PID_FILE) appendFileSync(process.env.FAKE_SPARK_PID_FILE, ' SIGTERM');
  process.stdout.write('fake-spark-submit: got SIGTERM, stopping\n');
  process.exit(143);
});
process.on('SIGQUIT', () => process.stdout.write('fake-spark-submit: thread dump\n'));
process.on('SIGUSR1', () => process.exit(138));
process.on('SIGUSR2', () => process.stdout.write('fake-spark-submit: got SIGUSR2\n'));
if (process.env.FAKE_SPARK_SIGINT === 'note')
  process.on('SIGINT', () => process.stdout.write('fake-spark-submit: got SIGINT\n'));

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
if (process.env.FAKE_SPARK_PID_FILE) writeFileSync(process.env.FAKE_SPARK_PID_FILE, String(process.pid));
process.stdout.write('fake-spark-submit: running\n');
process.stdout.on('error', () => undefined);
for (let i = 0; i < Number(process.env.FAKE_SPARK_LINES ?? 0); i++) process.stdout.write(`output line ${i} ${'x'.repeat(80)}\n`);
if (process.env.FAKE_SPARK_HISTORY) {
  const conf = {};
  argv.forEach((w, i) => {
    const kv = w === '--conf' || w === '-c' ? argv[i + 1] : w.startsWith('--conf=') ? w.slice(7) : undefined;
    const eq = kv?.indexOf('=') ?? -1;
    if (kv && eq > 0) conf[kv.slice(0, eq)] = kv.slice(eq + 1);
  });
  const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
  const spec = {
    id: appId, name: opt('--name', 'fake'), startMs: now - 60_000, durationMs: 55_000,
    executors: Number(opt('--num-executors', conf['spark.executor.instances'] ?? 2)),
    executorCores: Number(opt('--executor-cores', conf['spark.executor.cores'] ?? 1)),
    inputBytes: 20 * 1024 ** 3, sparkProperties: conf,
  };
  const res = await fetch(new URL('/spot-sim/apps', process.env.FAKE_SPARK_HISTORY), { method: 'POST', body: JSON.stringify({ spec }) });
  if (!res.ok) err(`fake-spark-submit: History Server said ${res.status}`);
}
// Written straight to the descriptors, one write each, as the JVM writes: Node's streams on fds 1 and 2 may queue a
// write the other then overtakes, when both are one pipe.
const writeNow = (fd, text) => {
  for (;;) {
    try {
      return writeSync(fd, text);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
};
for (let i = 0; i < Number(process.env.FAKE_SPARK_INTERLEAVE ?? 0); i++) {
  writeNow(1, `out ${i}\n`);
  writeNow(2, `err ${i}\n`);
}
const sleepMs = Number(process.env.FAKE_SPARK_SLEEP_MS ?? 0);
setTimeout(() => {
  process.stdout.write('fake-spark-submit: done\n');
  if (process.env.FAKE_SPARK_DIE) process.kill(process.pid, process.env.FAKE_SPARK_DIE);
  else process.exit(Number(process.env.FAKE_SPARK_EXIT ?? 0));
}, sleepMs);
