import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, describe, test } from 'node:test';
import { zstdDecoder } from '../../src/eventlog/codecs/zstd.js';
import { findEventLogs } from '../../src/eventlog/find.js';
import { readEventLog } from '../../src/eventlog/read.js';
import { FIXTURES, SHS_FIXTURES } from '../support/paths.js';

// Real compressed bytes from the Java libraries Spark uses (test/fixtures/eventlog-codecs/README.md) read
// back into exactly the attempt the plain log gives.

const APP = 'local-1430917381534';
const CODECS = join(FIXTURES, 'eventlog-codecs');

async function attemptOf(path: string) {
  const [source] = await findEventLogs(path);
  assert.ok(source, path);
  return { source, result: await readEventLog(source) };
}

// Every case's folder lives under one root, removed when the file's tests end, pass or fail.
const cases = mkdtempSync(join(tmpdir(), 'spot-codec-'));
after(() => rmSync(cases, { recursive: true, force: true }));

const plain = await attemptOf(join(SHS_FIXTURES, 'spark-events', APP));

for (const codec of ['lz4', 'lzf', 'snappy', 'zstd'] as const) {
  test(`a ${codec} log as Spark frames it reads as the plain log`, async () => {
    const { source, result } = await attemptOf(join(CODECS, `${APP}.${codec}`));
    assert.deepEqual(source.codecs, [codec]);
    assert.equal(result.stats.badLines, 0);
    assert.equal(result.stats.lines, plain.result.stats.lines);
    const { x_tasks: _a, lastUpdated: _b, lastUpdatedEpoch: _c, ...attempt } = result.attempt.attempt;
    const { x_tasks: _d, lastUpdated: _e, lastUpdatedEpoch: _f, ...expected } = plain.result.attempt.attempt;
    assert.deepEqual(attempt, expected);
    assert.deepEqual(result.attempt.executors, plain.result.attempt.executors);
    assert.deepEqual(result.attempt.stages, plain.result.attempt.stages);
    assert.deepEqual(result.attempt.attempt.x_tasks, plain.result.attempt.attempt.x_tasks);
  });

  test(`a truncated ${codec} log is an error naming the file, not a crash`, async () => {
    const dir = await mkdtemp(join(cases, 'case-'));
    const bytes = await readFile(join(CODECS, `${APP}.${codec}`));
    const path = join(dir, `${APP}.${codec}`);
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const [source] = await findEventLogs(path);
    await assert.rejects(
      readEventLog(source!),
      (err: Error) => err.name === 'EventLogError' && err.message.includes(path),
    );
  });
}

test('garbage under a codec name is an error, not a crash', async () => {
  const dir = await mkdtemp(join(cases, 'case-'));
  for (const codec of ['lz4', 'lzf', 'snappy', 'zstd']) {
    const path = join(dir, `app-1.${codec}`);
    await copyFile(join(SHS_FIXTURES, 'spark-events', APP), path);
    const [source] = await findEventLogs(path);
    await assert.rejects(readEventLog(source!), (err: Error) => err.name === 'EventLogError', codec);
  }
});

// A running app's zstd log (test/fixtures/eventlog-codecs/SparkInProgress.java): Spark flushed it after each event
// but has not closed its frame. Its first 150 events read as the plain log's first 150 do.
describe('an in-progress zstd log', async () => {
  const dir = await mkdtemp(join(cases, 'case-'));
  const first150 = join(dir, `${APP}.inprogress`);
  const plainLines = (await readFile(join(SHS_FIXTURES, 'spark-events', APP), 'utf8')).split('\n');
  await writeFile(first150, `${plainLines.slice(0, 150).join('\n')}\n`);
  const [plainSource] = await findEventLogs(first150, { includeInProgress: true });
  const expected = await readEventLog(plainSource!);

  async function inProgress(path: string) {
    const [source] = await findEventLogs(path, { includeInProgress: true });
    assert.ok(source?.inProgress, path);
    return readEventLog(source);
  }

  for (const [what, name] of [
    ['a single file', `${APP}.zstd.inprogress`],
    ['a rolled folder (its first part closed, its last open)', `eventlog_v2_${APP}`],
  ]) {
    test(`${what} yields the events written so far`, async () => {
      const result = await inProgress(join(CODECS, name!));
      assert.equal(result.stats.lines, 150);
      assert.equal(result.stats.badLines, 0);
      assert.equal(result.attempt.attempt.completed, false);
      assert.deepEqual(result.attempt.stages, expected.attempt.stages);
      assert.deepEqual(result.attempt.executors, expected.attempt.executors);
    });
  }

  test('cut inside a block, it is an error, as an lz4 or snappy log cut inside a block is', async () => {
    const bytes = await readFile(join(CODECS, `${APP}.zstd.inprogress`));
    const path = join(dir, `${APP}.zstd.inprogress`);
    await writeFile(path, bytes.subarray(0, bytes.length - 5));
    await assert.rejects(inProgress(path), /zstd: truncated: \d+ bytes of an incomplete block at the end/);
  });

  test('the same bytes under a finished log name are an error: a finished log closes its frame', async () => {
    const path = join(dir, `${APP}.zstd`);
    await copyFile(join(CODECS, `${APP}.zstd.inprogress`), path);
    const [source] = await findEventLogs(path);
    assert.equal(source?.inProgress, false);
    await assert.rejects(readEventLog(source!), /zstd: truncated or damaged/);
  });
});

// The same log recompressed with `zstd --long=27` (test/fixtures/eventlog-codecs/README.md): a 128 MiB window. fzstd
// misreads matches more than about 96 MiB back without a word, so past a safe window such a frame is refused.
describe('a zstd log with a 128 MiB window', () => {
  const WIDE = join(CODECS, `${APP}-window128m.zstd`);

  test('reads as the plain log while its output stays within the safe window', async () => {
    const { source, result } = await attemptOf(WIDE);
    assert.deepEqual(source.codecs, ['zstd']);
    assert.equal(result.stats.badLines, 0);
    assert.deepEqual(result.attempt.stages, plain.result.attempt.stages);
    assert.deepEqual(result.attempt.executors, plain.result.attempt.executors);
  });

  test('past the safe window it is an error saying what to do, not a log read wrong', async () => {
    const decoded: Buffer[] = [];
    const decoder = zstdDecoder({ safeWindow: 64 * 1024 });
    decoder.on('data', (b: Buffer) => decoded.push(b));
    await assert.rejects(
      pipeline(createReadStream(WIDE), decoder),
      /^CorruptLogError: zstd: a frame with a 128 MiB window, past its first 64 KiB: .*\(zstd -d\)/,
    );
    assert.ok(Buffer.concat(decoded).length <= 64 * 1024 + 128 * 1024, 'stops within a block of the limit');
  });
});
