import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
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

const plain = await attemptOf(join(SHS_FIXTURES, 'spark-events', APP));

for (const codec of ['lz4', 'lzf', 'snappy', 'zstd'] as const) {
  test(`a ${codec} log as Spark frames it reads as the plain log`, async () => {
    const { source, result } = await attemptOf(join(CODECS, `${APP}.${codec}`));
    assert.equal(source.codec, codec);
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
    const dir = await mkdtemp(join(tmpdir(), 'spot-codec-'));
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
  const dir = await mkdtemp(join(tmpdir(), 'spot-codec-'));
  for (const codec of ['lz4', 'lzf', 'snappy', 'zstd']) {
    const path = join(dir, `app-1.${codec}`);
    await copyFile(join(SHS_FIXTURES, 'spark-events', APP), path);
    const [source] = await findEventLogs(path);
    await assert.rejects(readEventLog(source!), (err: Error) => err.name === 'EventLogError', codec);
  }
});
