import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { findEventLogs } from '../../src/eventlog/find.js';
import { readEventLog } from '../../src/eventlog/read.js';
import { AppReplay } from '../../src/eventlog/replay/app.js';
import { SHS_FIXTURES } from '../support/paths.js';

// Each stage's figures say what it read (input or shuffle bytes), whether a SQL query's execution ran it, and what
// sized its input splits: what decided its task count, for the partitions findings.

type Row = Record<string, unknown>;

async function stages(log: string): Promise<Row[]> {
  const [source] = await findEventLogs(join(SHS_FIXTURES, 'spark-events', log));
  const { attempt } = await readEventLog(source!);
  return (attempt.attempt.x_tasks as { stages: Row[] }).stages;
}

const pick = (rows: Row[], keys: string[]) => rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));
const KEYS = ['stage', 'input_bytes', 'shuffle_read_bytes', 'sql', 'input_splits'];

test('real logs: SQL stages by execution id, Hadoop reads by their read method, cached reads by neither', async () => {
  // Spark 3.3, two SQL counts: each a scan of a local collection, then shuffles.
  assert.deepEqual(pick(await stages('local-1642039451826'), KEYS).slice(0, 2), [
    { stage: '0:0', input_bytes: 0, shuffle_read_bytes: 0, sql: true, input_splits: 'none' },
    { stage: '2:0', input_bytes: 0, shuffle_read_bytes: 3760, sql: true, input_splits: 'none' },
  ]);
  // Spark 1.x: sc.textFile (each task's "Data Read Method" is Hadoop), then the shuffle of its map.
  assert.deepEqual(pick(await stages('local-1430917381534'), KEYS), [
    { stage: '0:0', input_bytes: 6_944_448, shuffle_read_bytes: 0, sql: false, input_splits: 'hadoop' },
    { stage: '1:0', input_bytes: 0, shuffle_read_bytes: 171_000, sql: false, input_splits: 'none' },
  ]);
  // Spark 3.0: a parallelized RDD persisted to disk, read back twice: input bytes, but no split sized them.
  assert.deepEqual(pick(await stages('application_1553914137147_0018'), KEYS).slice(1), [
    { stage: '1:0', input_bytes: 5_000_100_000, shuffle_read_bytes: 0, sql: false, input_splits: 'none' },
    { stage: '2:0', input_bytes: 5_000_100_000, shuffle_read_bytes: 0, sql: false, input_splits: 'none' },
  ]);
});

test('Spark 2+ logs: a SparkContext file read by its RDD scope, a SQL file scan by its FileScanRDD', async () => {
  // app-20180109111548-0000's events, its first stage's root RDD renamed as textFile and a SQL scan would leave it.
  const lines = (await readFile(join(SHS_FIXTURES, 'spark-events', 'app-20180109111548-0000'), 'utf8')).split('\n');
  const replay = (rename: (rdd: Row) => void) => {
    const r = new AppReplay();
    for (const line of lines.filter((l) => l.trim())) {
      const e = JSON.parse(line) as Row;
      const info = (e['Stage Info'] ?? {}) as Row;
      if (info['Stage ID'] === 0)
        for (const rdd of (info['RDD Info'] ?? []) as Row[]) if (rdd['RDD ID'] === 0) rename(rdd);
      r.handle(e);
    }
    return r.stages.kinds();
  };
  assert.deepEqual(replay(() => {}).get('0:0'), { sql: false });
  const textFile = replay((rdd) => {
    rdd.Name = '/data/in.txt';
    rdd.Scope = '{"id":"0","name":"textFile"}';
  });
  assert.deepEqual(textFile.get('0:0'), { sql: false, splits: 'hadoop' });
  assert.deepEqual(replay((rdd) => (rdd.Name = 'FileScanRDD')).get('0:0'), { sql: false, splits: 'sqlFiles' });
  assert.deepEqual(textFile.get('1:0'), { sql: false });
});
