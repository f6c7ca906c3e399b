import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { findEventLogs } from '../../src/eventlog/find.js';
import { readEventLog } from '../../src/eventlog/read.js';
import { FIXTURES, SHS_FIXTURES } from '../support/paths.js';

// The path forms Spark writes: single files, rolled eventlog_v2_ folders, in-progress logs; and bad content.

const APP = 'application_1553914137147_0018';
const lines = (await readFile(join(SHS_FIXTURES, 'spark-events', APP), 'utf8')).split('\n').filter(Boolean);

// Every case's folder lives under one root, removed when the file's tests end, pass or fail.
const cases = mkdtempSync(join(tmpdir(), 'spot-eventlog-'));
after(() => rmSync(cases, { recursive: true, force: true }));

async function dir(): Promise<string> {
  return mkdtemp(join(cases, 'case-'));
}

async function plain() {
  const [source] = await findEventLogs(join(SHS_FIXTURES, 'spark-events', APP));
  return readEventLog(source!);
}

test('a rolled log (eventlog_v2_ folder of events_N parts) reads as the single file', async () => {
  const root = await dir();
  const folder = join(root, `eventlog_v2_${APP}`);
  await mkdir(folder);
  const third = Math.ceil(lines.length / 3);
  // Parts named so that text order differs from index order (10 sorts before 9).
  const parts = [8, 9, 10];
  for (const [i, n] of parts.entries()) {
    await writeFile(
      join(folder, `events_${n}_${APP}`),
      lines
        .slice(i * third, (i + 1) * third)
        .map((l) => `${l}\n`)
        .join(''),
    );
  }
  await writeFile(join(folder, `appstatus_${APP}`), '');
  const sources = await findEventLogs(root);
  assert.equal(sources.length, 1);
  assert.deepEqual(
    sources[0]!.files.map((f) => f.split('/').pop()),
    parts.map((n) => `events_${n}_${APP}`),
  );
  const rolled = await readEventLog(sources[0]!);
  const single = await plain();
  assert.deepEqual(rolled.attempt.executors, single.attempt.executors);
  assert.deepEqual(rolled.attempt.stages, single.attempt.stages);
  assert.equal(rolled.attempt.attempt.completed, true);
});

/** A rolled folder of APP's lines split over parts named `names`, finished; the folder's path. */
async function rolled(names: string[], root?: string): Promise<string> {
  const folder = join(root ?? (await dir()), `eventlog_v2_${APP}`);
  await mkdir(folder);
  const share = Math.ceil(lines.length / names.length);
  for (const [i, name] of names.entries()) {
    const part = lines.slice(i * share, (i + 1) * share);
    await writeFile(join(folder, name), part.map((l) => `${l}\n`).join(''));
  }
  await writeFile(join(folder, `appstatus_${APP}`), '');
  return folder;
}

test('a rolled log missing a part between others, or every part, is an error saying so, not a run without its events', async () => {
  const folder = await rolled([`events_1_${APP}`, `events_2_${APP}`, `events_3_${APP}`]);
  await rm(join(folder, `events_2_${APP}`));
  const [source] = await findEventLogs(folder);
  await assert.rejects(readEventLog(source!), /eventlog_v2_\S+: rolled log without its part events_2_$/);
  // No part at all (Spark's reader refuses it too): said so, rather than "not a Spark event log: empty".
  await rm(join(folder, `events_1_${APP}`));
  await rm(join(folder, `events_3_${APP}`));
  const [empty] = await findEventLogs(folder);
  await assert.rejects(readEventLog(empty!), /eventlog_v2_\S+: rolled log without any events_ part$/);
});

test('a rolled log with a part that cannot be read is its own error; the other logs of the folder are read', async () => {
  const root = await dir();
  const folder = await rolled([`events_1_${APP}`, `events_2_${APP}`], root);
  await rm(join(folder, `events_2_${APP}`));
  await symlink(join(root, 'gone'), join(folder, `events_2_${APP}`));
  await writeFile(join(root, 'local-1'), `${lines.join('\n')}\n`);
  const sources = await findEventLogs(root);
  assert.deepEqual(
    sources.map((s) => [basename(s.path), s.problem]),
    [
      [`eventlog_v2_${APP}`, `cannot read events_2_${APP}: no such file or folder`],
      ['local-1', undefined],
    ],
  );
  await assert.rejects(readEventLog(sources[0]!), /eventlog_v2_\S+: cannot read events_2_\S+: no such file or folder$/);
  assert.equal((await readEventLog(sources[1]!)).attempt.app.id, APP);
});

test('a compacted rolled log is read from its last compacted part on, as Spark reads it', async () => {
  const folder = await rolled([`events_2_${APP}.compact`, `events_3_${APP}`]);
  // A part the compaction replaced and left behind (Spark deletes it afterwards): its events are in the compacted one.
  await writeFile(join(folder, `events_1_${APP}`), `${lines.slice(0, 40).join('\n')}\n`);
  const [source] = await findEventLogs(folder);
  assert.deepEqual(
    source!.files.map((f) => f.split('/').pop()),
    [`events_2_${APP}.compact`, `events_3_${APP}`],
  );
  const read = await readEventLog(source!);
  const single = await plain();
  assert.deepEqual(read.attempt.stages, single.attempt.stages);
  const zstd = await rolled([`events_4_${APP}.zstd.compact`, `events_5_${APP}.zstd`]);
  assert.deepEqual((await findEventLogs(zstd))[0]!.codecs, ['zstd', 'zstd']);
});

/**
 * A Databricks log (cluster log delivery) of APP's lines: rolled parts gzipped and named by the minute they were
 * rolled, the rest in `eventlog`, the part being written; the folder's path.
 */
async function databricks(root: string, name: string, log = lines): Promise<string> {
  const folder = join(root, name);
  await mkdir(folder, { recursive: true });
  const share = Math.ceil(log.length / 3);
  const part = (i: number) => `${log.slice(i * share, (i + 1) * share).join('\n')}\n`;
  // As text, `eventlog` sorts before its parts, and the later part's hour before the earlier one's day would not.
  await writeFile(join(folder, 'eventlog'), part(2));
  await writeFile(join(folder, 'eventlog-2019-03-30--09-00.gz'), gzipSync(part(1)));
  await writeFile(join(folder, 'eventlog-2019-03-29--23-00.gz'), gzipSync(part(0)));
  return folder;
}

test('a Databricks log (gzipped eventlog-<date>--<time> parts, then eventlog) reads as the single file', async () => {
  const root = await dir();
  const folder = await databricks(root, '7383940383823993049');
  const sources = await findEventLogs(folder);
  assert.equal(sources.length, 1);
  assert.deepEqual(
    sources[0]!.files.map((f) => basename(f)),
    ['eventlog-2019-03-29--23-00.gz', 'eventlog-2019-03-30--09-00.gz', 'eventlog'],
  );
  const read = await readEventLog(sources[0]!);
  const single = await plain();
  assert.equal(read.stats.badLines, 0);
  assert.equal(read.attempt.app.id, APP);
  assert.deepEqual(read.attempt.executors, single.attempt.executors);
  assert.deepEqual(read.attempt.stages, single.attempt.stages);
  assert.equal(read.attempt.attempt.completed, true);
  // The folder Databricks delivers a cluster's SparkContexts into holds one such log per folder.
  await databricks(root, '5612837410283746123');
  await writeFile(join(root, 'local-1'), `${lines.join('\n')}\n`);
  assert.deepEqual(
    (await findEventLogs(root)).map((s) => [basename(s.path), s.files.length]),
    [
      ['5612837410283746123', 3],
      ['7383940383823993049', 3],
      ['local-1', 1],
    ],
  );
});

/** The Spark fixture log `app`'s lines. */
async function fixtureLines(app: string): Promise<string[]> {
  return (await readFile(join(SHS_FIXTURES, 'spark-events', app), 'utf8')).split('\n').filter(Boolean);
}

/**
 * What Databricks' cluster log delivery writes under its destination for a cluster (docs.databricks.com, "Compute
 * log delivery"): `driver/` and `executor/` output, init script logs, and each SparkContext's event log in
 * `eventlog/<cluster-id>_<driver-ip>/<spark-context-id>/`; a driver restart is a new `<cluster-id>_<driver-ip>`.
 */
async function deliveredCluster(dest: string, cluster: string, contexts: [string, string, string[]][]): Promise<void> {
  const root = join(dest, cluster);
  await mkdir(join(root, 'driver'), { recursive: true });
  for (const name of ['stdout', 'stderr', 'log4j-active.log']) await writeFile(join(root, 'driver', name), 'INFO x\n');
  await writeFile(join(root, 'driver', 'log4j-2019-03-29-23.log.gz'), gzipSync('INFO x\n'));
  await mkdir(join(root, 'executor', 'app-20190329230000-0000', '0'), { recursive: true });
  await writeFile(join(root, 'executor', 'app-20190329230000-0000', '0', 'stderr'), 'INFO x\n');
  await mkdir(join(root, 'init_scripts', `${cluster}_10.0.0.1`), { recursive: true });
  await writeFile(join(root, 'init_scripts', `${cluster}_10.0.0.1`, '20190329_230000_00_setup.sh.stdout.log'), 'ok\n');
  for (const [ip, context, log] of contexts) await databricks(join(root, 'eventlog', `${cluster}_${ip}`), context, log);
}

test("a Databricks log delivery destination gives every SparkContext's log, and nothing of the other logs", async () => {
  const dest = await dir();
  await deliveredCluster(dest, '0329-230000-abcd', [
    ['10.0.0.1', '7383940383823993049', lines],
    // The driver restarted: a new driver address, a new SparkContext.
    ['10.0.0.2', '5612837410283746123', await fixtureLines('app-20161116163331-0000')],
  ]);
  await deliveredCluster(dest, '0330-090000-efgh', [
    ['10.0.0.3', '1111111111111111111', await fixtureLines('local-1430917381534')],
  ]);
  // A link back up (a loop) is searched once; a log folder deeper than a delivery puts one is not looked for.
  await symlink(dest, join(dest, '0329-230000-abcd', 'eventlog', 'loop'));
  await databricks(join(dest, 'a', 'b', 'c', 'd'), '2222222222222222222');
  const found = await findEventLogs(dest);
  assert.deepEqual(
    found.map((s) => [s.path.slice(dest.length + 1), s.files.map((f) => basename(f))]),
    [
      [
        '0329-230000-abcd/eventlog/0329-230000-abcd_10.0.0.1/7383940383823993049',
        ['eventlog-2019-03-29--23-00.gz', 'eventlog-2019-03-30--09-00.gz', 'eventlog'],
      ],
      [
        '0329-230000-abcd/eventlog/0329-230000-abcd_10.0.0.2/5612837410283746123',
        ['eventlog-2019-03-29--23-00.gz', 'eventlog-2019-03-30--09-00.gz', 'eventlog'],
      ],
      [
        '0330-090000-efgh/eventlog/0330-090000-efgh_10.0.0.3/1111111111111111111',
        ['eventlog-2019-03-29--23-00.gz', 'eventlog-2019-03-30--09-00.gz', 'eventlog'],
      ],
    ],
  );
  const apps = [];
  for (const source of found) apps.push((await readEventLog(source)).attempt.app.id);
  assert.deepEqual(apps, [APP, 'app-20161116163331-0000', 'local-1430917381534']);
  // The cluster's own folder, as a user may name it, gives its two.
  assert.equal((await findEventLogs(join(dest, '0329-230000-abcd'))).length, 2);
});

test('a part of a log folder named on its own is read as the whole log it is part of', async () => {
  const root = await dir();
  const folder = await databricks(root, '7383940383823993049');
  const [whole] = await findEventLogs(join(folder, 'eventlog'));
  assert.equal(whole!.path, folder);
  assert.equal(whole!.files.length, 3);
  assert.equal((await readEventLog(whole!)).attempt.attempt.completed, true);
  const rolledLog = await rolled([`events_1_${APP}`, `events_2_${APP}`]);
  const [fromPart] = await findEventLogs(join(rolledLog, `events_2_${APP}`));
  assert.deepEqual([fromPart!.path, fromPart!.files.length], [rolledLog, 2]);
  // A log that is only named like a part, in a folder of logs, is that file.
  const logs = await dir();
  await writeFile(join(logs, 'eventlog'), `${lines.join('\n')}\n`);
  await writeFile(join(logs, 'local-1'), `${lines.join('\n')}\n`);
  assert.deepEqual(
    (await findEventLogs(join(logs, 'eventlog'))).map((s) => s.path),
    [join(logs, 'eventlog')],
  );
});

test("a damaged part of a log folder is an error naming the part, in the codec's words", async () => {
  const folder = await databricks(await dir(), '7383940383823993049');
  const part = join(folder, 'eventlog-2019-03-30--09-00.gz');
  await writeFile(part, (await readFile(part)).subarray(0, 40));
  const [cut] = await findEventLogs(folder);
  await assert.rejects(
    readEventLog(cut!),
    new RegExp(`^EventLogError: ${folder}: eventlog-2019-03-30--09-00.gz: gzip: unexpected end of file$`),
  );
  // Not gzipped at all (a part copied out and back unzipped, keeping its name).
  await writeFile(part, `${lines.join('\n')}\n`);
  const [plainPart] = await findEventLogs(folder);
  await assert.rejects(readEventLog(plainPart!), /: eventlog-2019-03-30--09-00\.gz: gzip: incorrect header check$/);
  // A rolled log's part: the codec's own words follow the part's name.
  const zstd = await readFile(join(FIXTURES, 'eventlog-codecs', 'local-1430917381534.zstd'));
  const rolledFolder = join(await dir(), 'eventlog_v2_local-1430917381534');
  await mkdir(rolledFolder);
  await writeFile(join(rolledFolder, 'events_1_local-1430917381534.zstd'), zstd.subarray(0, zstd.length - 7));
  await writeFile(join(rolledFolder, 'appstatus_local-1430917381534'), '');
  await assert.rejects(
    readEventLog((await findEventLogs(rolledFolder))[0]!),
    /eventlog_v2_local-1430917381534: events_1_local-1430917381534\.zstd: zstd: /,
  );
});

test('a search stopped by its ceiling on folders says so and keeps what it found', async () => {
  const dest = await dir();
  await deliveredCluster(dest, '0329-230000-abcd', [['10.0.0.1', '7383940383823993049', lines]]);
  await writeFile(join(dest, APP), `${lines.join('\n')}\n`);
  const warnings: string[] = [];
  const found = await findEventLogs(dest, { maxFolders: 3, onWarning: (m) => warnings.push(m) });
  assert.deepEqual(
    found.map((s) => basename(s.path)),
    [APP],
  );
  assert.deepEqual(warnings, [
    `searched only the first 3 folders under ${dest} (to 4 levels): point --event-logs nearer the logs`,
  ]);
  warnings.length = 0;
  assert.equal((await findEventLogs(dest, { onWarning: (m) => warnings.push(m) })).length, 2);
  assert.deepEqual(warnings, []);
});

test('a folder of logs holding one named eventlog or EVENT_LOG_1 reads each file as its own log', async () => {
  const root = await dir();
  await writeFile(join(root, 'eventlog'), `${lines.join('\n')}\n`);
  await writeFile(join(root, 'EVENT_LOG_1'), `${(await fixtureLines('local-1422981759269')).join('\n')}\n`);
  await writeFile(
    join(root, 'app-20161116163331-0000'),
    `${(await fixtureLines('app-20161116163331-0000')).join('\n')}\n`,
  );
  const found = await findEventLogs(root);
  assert.deepEqual(
    found.map((s) => [basename(s.path), s.files.length]),
    [
      ['app-20161116163331-0000', 1],
      ['EVENT_LOG_1', 1],
      ['eventlog', 1],
    ],
  );
  const apps = [];
  for (const source of found) apps.push((await readEventLog(source)).attempt.app.id);
  assert.deepEqual(apps, ['app-20161116163331-0000', 'local-1422981759269', APP]);
  // Below the folder named, such a folder is no log and its loose files are none either.
  const above = await dir();
  await symlink(root, join(above, 'logs'));
  assert.deepEqual(await findEventLogs(above), []);
  // A Spark 1.x folder is one log only with the version Spark 1.x wrote beside it (as Spark 1.3 read them): a
  // lone EVENT_LOG_1 is a file of its own, not a Spark 1.x app that never ended.
  const lone = await dir();
  await writeFile(join(lone, 'EVENT_LOG_1'), `${(await fixtureLines('local-1422981759269')).join('\n')}\n`);
  assert.deepEqual(
    (await findEventLogs(lone)).map((s) => [s.path, s.inProgress]),
    [[join(lone, 'EVENT_LOG_1'), false]],
  );
});

/**
 * Spark 1.2's log of `app` as that Spark wrote it (EventLoggingListener before 1.3): a folder of EVENT_LOG_1, an empty
 * SPARK_VERSION_1.2.0, APPLICATION_COMPLETE once the app ended, COMPRESSION_CODEC_<codec> when compressed.
 */
async function legacy(root: string, app: string, log: string | Buffer, files: string[]): Promise<string> {
  const folder = join(root, app);
  await mkdir(folder);
  await writeFile(join(folder, 'EVENT_LOG_1'), log);
  for (const name of ['SPARK_VERSION_1.2.0', ...files]) await writeFile(join(folder, name), '');
  return folder;
}

test('a Spark 1.0-1.2 log folder (EVENT_LOG_1, SPARK_VERSION_, APPLICATION_COMPLETE) reads as its log', async () => {
  const OLD = 'local-1422981759269';
  const file = join(SHS_FIXTURES, 'spark-events', OLD);
  // Spark before 1.4 named the driver `<driver>` (SPARK-6716); the fixture was renamed upstream when it became a file.
  const text = (await readFile(file, 'utf8')).replaceAll('"Executor ID":"driver"', '"Executor ID":"<driver>"');
  const root = await dir();
  await legacy(root, OLD, text, ['APPLICATION_COMPLETE']);
  const [source, ...others] = await findEventLogs(root);
  assert.equal(others.length, 0);
  const read = await readEventLog(source!);
  const single = await readEventLog((await findEventLogs(file))[0]!);
  assert.equal(read.attempt.app.id, OLD);
  assert.deepEqual(read.attempt.executors, single.attempt.executors);
  assert.deepEqual(
    read.attempt.executors.map((e) => e.id),
    ['driver'],
  );
  assert.deepEqual(read.attempt.stages, single.attempt.stages);
  assert.equal(read.attempt.attempt.completed, true);
  assert.equal(read.attempt.attempt.appSparkVersion, '1.2.0');

  // Without APPLICATION_COMPLETE the app had not ended: skipped unless asked for, as any log being written.
  const open = await dir();
  await legacy(open, OLD, text, []);
  assert.deepEqual(await findEventLogs(open), []);
  assert.equal((await findEventLogs(open, { includeInProgress: true }))[0]!.inProgress, true);

  // Compressed as spark.io.compression.codec named it, a short name or a class; the framing is Spark's today.
  const lzf = await readFile(join(FIXTURES, 'eventlog-codecs', 'local-1430917381534.lzf'));
  const packed = await legacy(await dir(), 'local-1430917381534', lzf, [
    'APPLICATION_COMPLETE',
    'COMPRESSION_CODEC_org.apache.spark.io.LZFCompressionCodec',
  ]);
  const plainLzf = await readEventLog(
    (await findEventLogs(join(SHS_FIXTURES, 'spark-events', 'local-1430917381534')))[0]!,
  );
  assert.deepEqual((await readEventLog((await findEventLogs(packed))[0]!)).attempt.stages, plainLzf.attempt.stages);
  const unknown = await legacy(await dir(), 'local-1', lzf, ['APPLICATION_COMPLETE', 'COMPRESSION_CODEC_gzip']);
  await assert.rejects(
    readEventLog((await findEventLogs(unknown))[0]!),
    /local-1: compressed with gzip, a codec Spark 1.x did not have$/,
  );
});

test('links in a folder count as what they point to: a log file, a rolled folder; a dangling one as nothing', async () => {
  const elsewhere = await dir();
  await writeFile(join(elsewhere, APP), `${lines.join('\n')}\n`);
  const rolled = join(elsewhere, 'eventlog_v2_app-3');
  await mkdir(rolled);
  await writeFile(join(rolled, 'events_1_app-3'), `${lines.join('\n')}\n`);
  await writeFile(join(rolled, 'appstatus_app-3'), '');
  const root = await dir();
  await symlink(join(elsewhere, APP), join(root, APP));
  await symlink(rolled, join(root, 'eventlog_v2_app-3'));
  await symlink(join(elsewhere, 'gone'), join(root, 'app-gone'));
  const sources = await findEventLogs(root);
  assert.deepEqual(
    sources.map((s) => [s.path, s.files.length]),
    [
      [join(root, APP), 1],
      [join(root, 'eventlog_v2_app-3'), 1],
    ],
  );
  assert.equal(sources[0]!.size, (await readFile(join(elsewhere, APP))).length);
});

test('in-progress logs (.inprogress file, appstatus_*.inprogress) are skipped unless asked for', async () => {
  const root = await dir();
  await writeFile(join(root, `${APP}.inprogress`), lines.slice(0, 20).join('\n'));
  const folder = join(root, 'eventlog_v2_app-2');
  await mkdir(folder);
  await writeFile(join(folder, 'events_1_app-2'), lines.slice(0, 20).join('\n'));
  await writeFile(join(folder, 'appstatus_app-2.inprogress'), '');
  await writeFile(join(root, '.hidden'), 'x');
  await writeFile(join(root, `${APP}.crc`), 'x');
  assert.deepEqual(await findEventLogs(root), []);
  const all = await findEventLogs(root, { includeInProgress: true });
  assert.equal(all.length, 2);
  assert.ok(all.every((s) => s.inProgress));
  const partial = await readEventLog(all.find((s) => s.path.endsWith('.inprogress'))!);
  assert.equal(partial.attempt.attempt.completed, false);
  assert.equal(partial.attempt.attempt.endTimeEpoch, -1);
});

test('torn, garbled and unknown lines are skipped and counted; the rest of the log still counts', async () => {
  const root = await dir();
  const bad = [
    ...lines.slice(0, 10),
    '{"Event": "SparkListenerTaskEnd", "Task Info": "not an object"',
    'not json at all',
    '[1, 2, 3]',
    '{"Event": "com.example.SomethingNew", "x": 1}',
    '{"Event": "SparkListenerExecutorAdded", "Executor ID": "9", "Executor Info": 42}',
    ...lines.slice(10),
    '{"Event": "SparkListenerTaskEnd", "Stage ID": 0, "Task Info": {"Task ID": 9',
  ];
  const path = join(root, APP);
  await writeFile(path, bad.join('\r\n'));
  const [source] = await findEventLogs(path);
  const result = await readEventLog(source!);
  assert.equal(result.stats.badLines, 4);
  assert.equal(result.replay.ignored >= 1, true);
  const single = await plain();
  assert.deepEqual(result.attempt.stages, single.attempt.stages);
});

test("a task's spill counts once: the bytes taken out of memory, not again as the file they became", async () => {
  const root = await dir();
  let spilled = 0;
  const withSpill = lines.map((l) => {
    const e = JSON.parse(l) as { Event: string; 'Task Metrics'?: Record<string, unknown> };
    if (e.Event !== 'SparkListenerTaskEnd' || !e['Task Metrics']) return l;
    spilled++;
    return JSON.stringify({
      ...e,
      'Task Metrics': { ...e['Task Metrics'], 'Memory Bytes Spilled': 600, 'Disk Bytes Spilled': 500 },
    });
  });
  assert.ok(spilled > 0);
  const path = join(root, APP);
  await writeFile(path, withSpill.join('\n'));
  const [source] = await findEventLogs(path);
  const { attempt } = await readEventLog(source!);
  const tasks = attempt.attempt.x_tasks as { spill_bytes: number } | undefined;
  assert.equal(tasks?.spill_bytes, 600 * spilled);
});

test('push-based shuffle (Spark 3.2+): merged bytes are part of the remote and local bytes read, counted once', async () => {
  // Spark's ShuffleBlockFetcherIterator adds a merged chunk's bytes to Remote/Local Bytes Read as well as to its
  // Merged figure, and shuffleReadBytes is remote plus local (ShuffleReadMetrics.totalBytesRead), as the History
  // Server's is.
  let reads = 0;
  const withPush = lines.map((l) => {
    const e = JSON.parse(l) as { Event: string; 'Task Metrics'?: Record<string, unknown> };
    if (e.Event !== 'SparkListenerTaskEnd' || !e['Task Metrics']?.['Shuffle Read Metrics']) return l;
    reads++;
    const read = e['Task Metrics']['Shuffle Read Metrics'] as Record<string, unknown>;
    const push = {
      'Corrupt Merged Block Chunks': 0,
      'Merged Fetch Fallback Count': 0,
      'Merged Remote Blocks Fetched': 3,
      'Merged Local Blocks Fetched': 2,
      'Merged Remote Chunks Fetched': 1,
      'Merged Local Chunks Fetched': 1,
      'Merged Remote Bytes Read': 400,
      'Merged Local Bytes Read': 200,
      'Merged Remote Requests Duration': 5,
    };
    const shuffle = { ...read, 'Remote Bytes Read': 700, 'Local Bytes Read': 300, 'Push Based Shuffle': push };
    return JSON.stringify({ ...e, 'Task Metrics': { ...e['Task Metrics'], 'Shuffle Read Metrics': shuffle } });
  });
  assert.ok(reads > 0);
  const path = join(await dir(), APP);
  await writeFile(path, withPush.join('\n'));
  const { attempt } = await readEventLog((await findEventLogs(path))[0]!);
  const sum = (key: string) => attempt.stages.reduce((n, s) => n + Number((s as Record<string, unknown>)[key] ?? 0), 0);
  assert.equal(sum('shuffleReadBytes'), 1000 * reads);
  assert.equal(sum('shuffleMergedRemoteBytesRead'), 400 * reads);
  assert.equal(sum('shuffleMergedLocalBytesRead'), 200 * reads);
  const tasks = attempt.attempt.x_tasks as { stages: { shuffle_read_bytes: number }[] };
  assert.equal(
    tasks.stages.reduce((n, s) => n + s.shuffle_read_bytes, 0),
    1000 * reads,
  );
});

test('a file that is no event log is an error naming it', async () => {
  const root = await dir();
  const path = join(root, 'notes.txt');
  await writeFile(path, 'hello\nworld\n');
  const [source] = await findEventLogs(path);
  await assert.rejects(readEventLog(source!), /notes\.txt: not a Spark event log/);
  const empty = join(root, 'empty');
  await writeFile(empty, '');
  const [e] = await findEventLogs(empty);
  await assert.rejects(readEventLog(e!), /empty: not a Spark event log: empty/);
});

test('a line longer than the limit is skipped unread and said, not gathered whole (a file of zeros, binary)', async () => {
  const root = await dir();
  const zeros = join(root, 'application_1_0001');
  // 4 KiB chunks of no newline, far past a 1 KiB limit.
  await writeFile(zeros, Buffer.alloc(64 * 1024));
  const [source] = await findEventLogs(zeros);
  await assert.rejects(
    readEventLog(source!, { maxLineBytes: 1024 }),
    /not a Spark event log: no SparkListenerApplicationStart among 1 lines \(1 unreadable, 1 of them longer than 1\.0 KiB\)/,
  );
  // Between events, such a line costs only itself.
  const mixed = join(root, APP);
  const half = Math.ceil(lines.length / 2);
  const longest = Math.max(1024, ...lines.map((l) => Buffer.byteLength(l)));
  const garbage = 'x'.repeat(2 * longest);
  await writeFile(mixed, `${[...lines.slice(0, half), garbage, ...lines.slice(half)].join('\n')}\n`);
  const [m] = await findEventLogs(mixed);
  const read = await readEventLog(m!, { maxLineBytes: longest + 1 });
  assert.equal(read.stats.overlongLines, 1);
  assert.deepEqual(read.attempt.stages, (await plain()).attempt.stages);
});

test('Spark 2.x and 3.x shapes read: every fixture log gives an app id, a start and its stages', async () => {
  const sources = await findEventLogs(join(SHS_FIXTURES, 'spark-events'));
  assert.equal(sources.length, 14);
  for (const s of sources) {
    const { attempt } = await readEventLog(s);
    assert.ok(attempt.app.id.length > 0, s.path);
    assert.ok(attempt.attempt.startTimeEpoch > 0, s.path);
    assert.equal(attempt.attempt.completed, true, s.path);
  }
});

// Spark 4.0+ ends a log with the driver's exit code
// ({"Event":"SparkListenerApplicationEnd","Timestamp":…,"ExitCode":0}, as Spark's own 4.2 test log does), and a
// History Server of that age shows it on the attempt; older logs carry none.
test("the driver's exit code of a Spark 4 log is on the attempt, as the History Server shows it", async () => {
  const root = await dir();
  const end = lines.at(-1)!;
  assert.match(end, /^\{"Event":"SparkListenerApplicationEnd","Timestamp":\d+\}$/);
  const read = async (name: string, last: string) => {
    await writeFile(join(root, name), `${[...lines.slice(0, -1), last].join('\n')}\n`);
    const [source] = await findEventLogs(join(root, name));
    return (await readEventLog(source!)).attempt.attempt;
  };
  assert.equal((await read('failed', end.replace(/\}$/, ',"ExitCode":1}'))).exitCode, 1);
  assert.equal((await read('ok', end.replace(/\}$/, ',"ExitCode":0}'))).exitCode, 0);
  assert.equal('exitCode' in (await plain()).attempt.attempt, false);
});

// Spark 3.0+ puts the executor's peaks so far on every task end ("Task Executor Metrics"); the History Server (3.1+)
// takes a stage's peaks from those and from SparkListenerStageExecutorMetrics, which only
// spark.eventLog.logStageExecutorMetrics=true (default false) writes. Without those events, the peaks are the tasks'.
test("a stage's peak executor metrics come from its tasks' ends, as the History Server's do", async () => {
  const root = await dir();
  const path = join(root, APP);
  const dropped = lines.filter((l) => !l.includes('"Event":"SparkListenerStageExecutorMetrics"'));
  assert.equal(lines.length - dropped.length, 9);
  await writeFile(path, `${dropped.join('\n')}\n`);
  const [source] = await findEventLogs(path);
  type Stage = { stageId: number; peakExecutorMetrics: Record<string, number> };
  const heap = (stages: unknown[]) =>
    Object.fromEntries((stages as Stage[]).map((s) => [s.stageId, s.peakExecutorMetrics.JVMHeapMemory]));
  const fromTasks = heap((await readEventLog(source!)).attempt.stages);
  // Each stage's largest JVMHeapMemory among its task ends (stage 0: 499823904 and 508119376 on two executors).
  assert.deepEqual(fromTasks, { 0: 508119376, 1: 850753456, 2: 984736560 });
  assert.deepEqual(fromTasks, heap((await plain()).attempt.stages));
});

// In YARN cluster mode the application start carries the driver's log links (application_1536831636016_59384_1,
// once among Spark's test logs, has them), which the History Server puts on its driver entry.
test("the driver's log links from the application start are on its executors entry, as the History Server's", async () => {
  const root = await dir();
  const path = join(root, APP);
  const logs = {
    stdout: 'https://nm.example.com:8042/node/containerlogs/container_1_0018_01_000001/systest/stdout?start=-4096',
    stderr: 'https://nm.example.com:8042/node/containerlogs/container_1_0018_01_000001/systest/stderr?start=-4096',
  };
  const attributes = { CONTAINER_ID: 'container_1_0018_01_000001' };
  const withLogs = lines.map((l) =>
    l.startsWith('{"Event":"SparkListenerApplicationStart"')
      ? l.replace(/\}$/, `,"Driver Logs":${JSON.stringify(logs)},"Driver Attributes":${JSON.stringify(attributes)}}`)
      : l,
  );
  assert.notDeepEqual(withLogs, lines);
  await writeFile(path, `${withLogs.join('\n')}\n`);
  const [source] = await findEventLogs(path);
  const driver = ((await readEventLog(source!)).attempt.executors as Record<string, unknown>[]).find(
    (e) => e.id === 'driver',
  );
  assert.deepEqual(driver?.executorLogs, logs);
  assert.deepEqual(driver?.attributes, attributes);
});
