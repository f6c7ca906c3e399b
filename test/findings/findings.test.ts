import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { buildDocuments } from '../../src/documents/build.js';
import { findEventLogs } from '../../src/eventlog/find.js';
import { readEventLog } from '../../src/eventlog/read.js';
import { FINDINGS, LEVELS, findingsOf, grade, type Thresholds } from '../../src/findings/index.js';
import { findingPhrase } from '../../src/findings/words.js';
import type { FindingDef } from '../../src/findings/types.js';
import type { AggDoc, JsonObject } from '../../src/types.js';
import { SHS_FIXTURES } from '../support/paths.js';
import { sparkShellAttempt } from '../documents/fixtures.js';

const thresholds = configSchema.parse({}).findings;

function doc(parts: { summary?: JsonObject; stages?: JsonObject; executors?: JsonObject; tasks?: JsonObject }): AggDoc {
  return {
    id: 'app-1',
    docId: 'app-1-0',
    name: 'job',
    history_host: 'h',
    isFinalAttempt: true,
    spot: { time_processed: '', history_host: 'h' },
    app_specific_data: { classification: {}, tag: '' },
    attempt: {
      startTime: '',
      endTime: '',
      duration: 60_000,
      ...(parts.tasks ? { x_tasks: parts.tasks } : {}),
      aggs: {
        allexecutors: { driver: {}, executors: parts.executors ?? {} },
        stages: parts.stages ?? {},
        summary: parts.summary ?? {},
      },
    },
  } as AggDoc;
}

function tasks(over: JsonObject = {}): JsonObject {
  return {
    tasks: 100,
    failed_tasks: 0,
    run_ms: 1000,
    gc_ms: 0,
    spill_bytes: 0,
    executors: 1,
    executor_max_ms: 1,
    executor_median_ms: 1,
    stages: [],
    ...over,
  };
}

const level = (d: AggDoc, id: string) => findingsOf(d, thresholds).findings.find((f) => f.id === id);

test('grade: the highest threshold reached, in either direction; nothing below low', () => {
  assert.equal(grade(0.05, [0.1, 0.2, 0.3, 0.5], true), undefined);
  assert.equal(grade(0.1, [0.1, 0.2, 0.3, 0.5], true), 'low');
  assert.equal(grade(0.35, [0.1, 0.2, 0.3, 0.5], true), 'severe');
  assert.equal(grade(9, [0.1, 0.2, 0.3, 0.5], true), 'critical');
  assert.equal(grade(0.7, [0.6, 0.4, 0.25, 0.1], false), undefined);
  assert.equal(grade(0.3, [0.6, 0.4, 0.25, 0.1], false), 'moderate');
  assert.equal(grade(0.05, [0.6, 0.4, 0.25, 0.1], false), 'critical');
});

test('GC share: from tasks when the run has them, else from stage sums; says which', () => {
  const fromStages = level(
    doc({ stages: { jvmGcTime: { sum: 25_000 }, executorRunTime: { sum: 100_000 } } }),
    'gcShare',
  );
  assert.deepEqual([fromStages?.level, fromStages?.data, fromStages?.value], ['moderate', 'stage', 0.25]);
  const fromTasks = level(
    doc({
      stages: { jvmGcTime: { sum: 25_000 }, executorRunTime: { sum: 100_000 } },
      tasks: tasks({ gc_ms: 6000, run_ms: 10_000 }),
    }),
    'gcShare',
  );
  assert.deepEqual([fromTasks?.level, fromTasks?.data], ['critical', 'task']);
  assert.deepEqual(fromTasks?.setting, { key: 'spark.executor.memory', change: 'increase' });
});

test('GC share: a run with seconds of task time is not graded on the collections of a young JVM', () => {
  assert.equal(level(doc({ tasks: tasks({ gc_ms: 100, run_ms: 72 }) }), 'gcShare'), undefined);
  assert.equal(level(doc({ stages: { jvmGcTime: { sum: 100 }, executorRunTime: { sum: 72 } } }), 'gcShare'), undefined);
});

test('task skew needs tasks: the worst stage with enough tasks', () => {
  const stages = [
    {
      stage: '1:0',
      tasks: 50,
      median_ms: 1000,
      max_ms: 3000,
      median_bytes: 0,
      max_bytes: 0,
      output_bytes: 0,
      output_tasks: 0,
    },
    {
      stage: '2:0',
      tasks: 50,
      median_ms: 1000,
      max_ms: 9000,
      median_bytes: 0,
      max_bytes: 0,
      output_bytes: 0,
      output_tasks: 0,
    },
    {
      stage: '3:0',
      tasks: 2,
      median_ms: 10,
      max_ms: 100000,
      median_bytes: 0,
      max_bytes: 0,
      output_bytes: 0,
      output_tasks: 0,
    },
  ];
  const f = level(doc({ tasks: tasks({ stages }) }), 'taskSkew');
  assert.deepEqual([f?.level, f?.value, f?.detail?.stage], ['severe', 9, '2:0']);
  assert.equal(level(doc({}), 'taskSkew'), undefined);
});

test('adaptive-execution findings ask for what the run did not have: its properties, else its version', () => {
  const skewed = [{ stage: '2:0', tasks: 50, median_ms: 1000, max_ms: 9000, median_bytes: 0, max_bytes: 0 }].map(
    (s) => ({ ...s, output_bytes: 0, output_tasks: 0 }),
  );
  const MiB = 1024 ** 2;
  const smallFiles = [{ ...skewed[0]!, max_ms: 1000, output_bytes: 2000 * 0.5 * MiB, output_tasks: 2000 }];
  const run = (stages: JsonObject[], version?: string, props: JsonObject = {}) => {
    const d = doc({ tasks: tasks({ stages }) });
    if (version) d.attempt.appSparkVersion = version;
    d.attempt.environment = { sparkProperties: props };
    return d;
  };
  const change = (d: AggDoc, id: string) => {
    const s = level(d, id)?.setting;
    return s && `${s.change} ${s.key}${s.value ? `=${s.value}` : ''}`;
  };
  // Spark 3.5: adaptive execution and its skew-join splitting are on by default; the knob is what is left.
  assert.equal(change(run(skewed, '3.5.1'), 'taskSkew'), 'decrease spark.sql.adaptive.skewJoin.skewedPartitionFactor');
  assert.equal(
    change(run(smallFiles, '3.5.1'), 'smallOutputFiles'),
    'increase spark.sql.adaptive.advisoryPartitionSizeInBytes',
  );
  // Spark 3.1: off by default, so that is what to switch on; switched off in a 3.5 run's properties, the same.
  assert.equal(change(run(skewed, '3.1.2'), 'taskSkew'), 'set spark.sql.adaptive.enabled=true');
  const off = { spark_sql_adaptive_enabled: false };
  assert.equal(change(run(smallFiles, '3.5.1', off), 'smallOutputFiles'), 'set spark.sql.adaptive.enabled=true');
  // On, with the feature itself switched off: the feature.
  const noSkewJoin = { spark_sql_adaptive_enabled: true, spark_sql_adaptive_skewJoin_enabled: false };
  assert.equal(change(run(skewed, '3.1.2', noSkewJoin), 'taskSkew'), 'set spark.sql.adaptive.skewJoin.enabled=true');
  // Idle executors under dynamic allocation: its ceiling, not switching on what was on.
  const idle = doc({ summary: { idle_executors_fraction: 0.5, idle_executors: 5 } });
  assert.equal(change(idle, 'idleExecutors'), 'set spark.dynamicAllocation.enabled=true');
  idle.attempt.environment = { sparkProperties: { spark_dynamicAllocation_enabled: true } };
  assert.equal(change(idle, 'idleExecutors'), 'decrease spark.dynamicAllocation.maxExecutors');
  // Neither a version nor a property: the feature's flag, as before.
  assert.equal(change(run(skewed), 'taskSkew'), 'set spark.sql.adaptive.skewJoin.enabled=true');
});

test('partitions and output files: many small, few large, small files', () => {
  const MiB = 1024 ** 2;
  const stages = [
    {
      stage: '4:0',
      tasks: 2000,
      median_ms: 10,
      max_ms: 20,
      median_bytes: 0.5 * MiB,
      max_bytes: MiB,
      output_bytes: 2000 * 0.5 * MiB,
      output_tasks: 2000,
    },
  ];
  const d = doc({ tasks: tasks({ stages }) });
  assert.equal(level(d, 'smallPartitions')?.level, 'severe');
  assert.equal(level(d, 'smallOutputFiles')?.level, 'severe');
  assert.equal(level(d, 'largePartitions'), undefined);
  const big = doc({ tasks: tasks({ stages: [{ ...stages[0], tasks: 10, median_bytes: 3000 * MiB }] }) });
  assert.equal(level(big, 'largePartitions')?.level, 'severe');
});

test('over-allocation, idle executors, spill, failures and imbalance from stage-level data', () => {
  const d = doc({
    summary: { estimated_core_efficiency: 0.2, idle_executors_fraction: 0.5, idle_executors: 5, failed_stages: 2 },
    stages: {
      inputBytes: { sum: 100 },
      shuffleReadBytes: { sum: 0 },
      memoryBytesSpilled: { sum: 60 },
      diskBytesSpilled: { sum: 0 },
      numFailedTasks: { sum: 5 },
      numCompleteTasks: { sum: 95 },
    },
    executors: { totalDuration: { max: 400, mean: 100, count_not_null: 4 } },
  });
  const got = Object.fromEntries(findingsOf(d, thresholds).findings.map((f) => [f.id, [f.level, f.data]]));
  assert.deepEqual(got, {
    overAllocation: ['severe', 'stage'],
    idleExecutors: ['severe', 'stage'],
    spill: ['moderate', 'stage'],
    failedTasks: ['moderate', 'stage'],
    failedStages: ['moderate', 'stage'],
    executorImbalance: ['severe', 'stage'],
  });
  // Worst first.
  const order = findingsOf(d, thresholds).findings.map((f) => LEVELS.indexOf(f.level));
  assert.deepEqual(
    order,
    [...order].sort((a, b) => b - a),
  );
});

test('spill counts the bytes taken out of memory once, not again as the file they became on disk', () => {
  const d = doc({
    stages: {
      inputBytes: { sum: 100 },
      shuffleReadBytes: { sum: 0 },
      memoryBytesSpilled: { sum: 60 },
      diskBytesSpilled: { sum: 50 },
    },
  });
  const f = findingsOf(d, thresholds).findings.find((x) => x.id === 'spill');
  assert.deepEqual([f?.level, f?.value], ['moderate', 0.6]);
});

test('thresholds come from the config', () => {
  const d = doc({ summary: { failed_stages: 1 } });
  assert.equal(level(d, 'failedStages')?.level, 'low');
  const strict = configSchema.parse({ findings: { failedStages: [0.5, 0.6, 0.7, 1] } }).findings;
  assert.equal(findingsOf(d, strict).findings[0]?.level, 'critical');
  assert.throws(() => configSchema.parse({ findings: { gcShare: [0.1, 0.2] } }));
});

test('a finding that throws or measures NaN fails alone', () => {
  const broken: FindingDef = {
    id: 'spill',
    higherIsWorse: true,
    measure: () => {
      throw new Error('boom');
    },
  };
  const nan: FindingDef = { id: 'taskSkew', higherIsWorse: true, measure: () => ({ value: NaN, data: 'task' }) };
  const gc = FINDINGS.find((f) => f.id === 'gcShare')!;
  const d = doc({ stages: { jvmGcTime: { sum: 50_000 }, executorRunTime: { sum: 100_000 } } });
  const { findings, errors } = findingsOf(d, thresholds, [broken, nan, gc]);
  assert.deepEqual(
    findings.map((f) => f.id),
    ['gcShare'],
  );
  assert.deepEqual(Object.keys(errors).sort(), ['spill', 'taskSkew']);
});

test('a real event log: the excluded-executor fixture shows its failed tasks from task data', async () => {
  const [source] = await findEventLogs(join(SHS_FIXTURES, 'spark-events', 'app-20161116163331-0000'));
  const { attempt } = await readEventLog(source!);
  const { aggs } = await buildDocuments([attempt], { historyHost: 'file:///logs', now: new Date(0) });
  const f = findingsOf(aggs[0]!, thresholds).findings.find((x) => x.id === 'failedTasks');
  // 8 of its 24 tasks failed.
  assert.deepEqual([f?.level, f?.data, f?.value], ['critical', 'task', 8 / 24]);
});

test('over-allocation from an event log is the EFFICIENCY spot runs shows: task durations over allocated core time', async () => {
  const [source] = await findEventLogs(join(SHS_FIXTURES, 'spark-events', 'app-20161116163331-0000'));
  const { attempt } = await readEventLog(source!);
  const { aggs } = await buildDocuments([attempt], { historyHost: 'file:///logs', now: new Date(0) });
  const summary = aggs[0]!.attempt.aggs.summary as JsonObject;
  const f = findingsOf(aggs[0]!, thresholds).findings.find((x) => x.id === 'overAllocation');
  // Its 24 tasks held their cores 12.9% of the 0.023 core-hours its 4 executors were allocated (launch to finish,
  // summed from the log by hand); their executor run time alone is 4.5%, which the finding once reported.
  assert.equal(f?.data, 'task');
  assert.equal(f?.value, summary.estimated_core_efficiency);
  assert.ok(Math.abs(f!.value - 0.129) < 0.001, String(f?.value));
  // 0.6, 0.4, 0.25, 0.1 by default: 12.9% is severe, not the critical that 4.5% was.
  assert.equal(f?.level, 'severe');
});

// Partitions findings name the setting that decided the measured stage's task count: spark.sql.shuffle.partitions
// decides a SQL shuffle's only.

async function eventLogDoc(app: string): Promise<AggDoc> {
  const [source] = await findEventLogs(join(SHS_FIXTURES, 'spark-events', app));
  const { attempt } = await readEventLog(source!);
  const { aggs } = await buildDocuments([attempt], { historyHost: 'file:///logs', now: new Date(0) });
  return aggs[0]!;
}

/** Every partitions finding graded, whatever its size: the setting it names is what these tests read. */
const anySize = { ...thresholds, largePartitions: [0, 0, 0, 0], smallPartitions: [1e9, 1e9, 1e9, 1e9] };
const partitions = (d: AggDoc, id: string, t: Thresholds = thresholds) =>
  findingsOf(d, t).findings.find((f) => f.id === id);

test("an RDD's textFile read in small splits names the Hadoop split size, not the shuffle partitions", async () => {
  // local-1430917381534: 100 tasks of sc.textFile each read 69 KiB (Spark 1.x logs say "Data Read Method: Hadoop").
  const f = partitions(await eventLogDoc('local-1430917381534'), 'smallPartitions');
  assert.deepEqual([f?.level, f?.detail?.stage, f?.detail?.tasks], ['critical', '0:0', 100]);
  assert.deepEqual(f?.setting, {
    key: 'spark.hadoop.mapreduce.input.fileinputformat.split.minsize',
    change: 'increase',
    decides: 'hadoopInput',
  });
  assert.equal(
    findingPhrase(f!),
    '69 KiB read per task over 100 tasks (from task data; stage 0:0 is an RDD read of Hadoop input splits: ' +
      'increase spark.hadoop.mapreduce.input.fileinputformat.split.minsize)',
  );
});

test("a stage reading a cached RDD's blocks names no split setting: its partitions came with the RDD", async () => {
  // application_1553914137147_0018 (LargeBlocks): stage 1 reads 2 partitions of 2.3 GiB each of a parallelized RDD
  // persisted to disk; Spark counts them as input bytes.
  const f = partitions(await eventLogDoc('application_1553914137147_0018'), 'largePartitions');
  assert.deepEqual(
    [f?.level, f?.detail?.stage, f?.detail?.source, f?.setting],
    ['severe', '1:0', 'otherInput', undefined],
  );
  assert.match(
    findingPhrase(f!),
    /stage 1:0 is a read of a cached RDD's blocks .*: its tasks are the partitions that data was made with/,
  );
  assert.doesNotMatch(findingPhrase(f!), /spark\./);
});

test('an RDD shuffle names spark.default.parallelism', async () => {
  // local-1430917381534 without its textFile stage: stage 1, its collect, reads the shuffle its map stage wrote.
  const d = await eventLogDoc('local-1430917381534');
  const x = d.attempt.x_tasks as { stages: { stage: string }[] };
  x.stages = x.stages.filter((s) => s.stage === '1:0');
  const f = partitions(d, 'largePartitions', anySize);
  assert.deepEqual(
    [f?.detail?.stage, f?.setting],
    ['1:0', { key: 'spark.default.parallelism', change: 'increase', decides: 'rddShuffle' }],
  );
});

test("a SQL shuffle names adaptive execution's advisory size where it coalesced, else shuffle partitions", async () => {
  // local-1642039451826: Spark 3.3, whose adaptive execution is on by default; stage 2 reads the shuffle of a count.
  const d = await eventLogDoc('local-1642039451826');
  const f = partitions(d, 'largePartitions', anySize);
  assert.deepEqual(
    [f?.detail?.stage, f?.setting],
    [
      '2:0',
      {
        key: 'spark.sql.adaptive.advisoryPartitionSizeInBytes',
        change: 'decrease',
        current: 64 * 1024 ** 2,
        decides: 'coalescedShuffle',
      },
    ],
  );
  assert.match(findingPhrase(f!), /decrease spark\.sql\.adaptive\.advisoryPartitionSizeInBytes \(64 MiB in this run\)/);
  const props = d.attempt.environment as JsonObject;
  props.sparkProperties = { ...(props.sparkProperties as JsonObject), spark_sql_adaptive_enabled: false };
  assert.deepEqual(partitions(d, 'largePartitions', anySize)?.setting, {
    key: 'spark.sql.shuffle.partitions',
    change: 'increase',
    current: 200,
    decides: 'sqlShuffle',
  });
});

test('History Server stage figures, which do not say what read the input, name each split setting it may be', () => {
  // local-1422981780767 as its History Server serves it: the figure is stage 1's 3.3 MiB of input per task.
  const { aggs } = buildDocuments([sparkShellAttempt()], { historyHost: 'h', now: new Date(0) });
  const f = partitions(aggs[0]!, 'largePartitions', anySize);
  assert.equal(f?.data, 'stage');
  assert.deepEqual(
    [f?.setting?.key, f?.setting?.decides, f?.setting?.or?.map((c) => [c.key, c.change, c.decides])],
    [
      'spark.sql.files.maxPartitionBytes',
      'sqlFileScan',
      [['spark.hadoop.mapreduce.input.fileinputformat.split.maxsize', 'decrease', 'hadoopInput']],
    ],
  );
  assert.equal(
    findingPhrase(f!),
    // Sized as every size reads (format.ts's formatBytes), not rounded to whole MiB as "3 MiB".
    "3.3 MiB read per task (from stage data; the run's figures do not say how its input was read: " +
      'decrease spark.sql.files.maxPartitionBytes (128 MiB in this run) for a SQL file scan, ' +
      'or decrease spark.hadoop.mapreduce.input.fileinputformat.split.maxsize ' +
      '(for sc.textFile, the older API: a larger minPartitions argument) for an RDD read of Hadoop input splits, ' +
      "or none for a read of a cached RDD's blocks or of another source's partitions, not of files)",
  );
});

test('a run stored before stages kept what they read: what the whole run read, else each setting it may be', () => {
  const MiB = 1024 ** 2;
  const stage = { stage: '4:0', tasks: 10, median_ms: 10, max_ms: 20, median_bytes: 3000 * MiB, max_bytes: 3000 * MiB };
  const old = { ...stage, output_bytes: 0, output_tasks: 0 };
  // Neither the stage nor the run says: a shuffle of either kind, or a scan of either.
  const unknown = partitions(doc({ tasks: tasks({ stages: [old] }) }), 'largePartitions');
  assert.equal(unknown?.level, 'severe');
  assert.deepEqual(
    [unknown?.setting?.decides, ...(unknown?.setting?.or ?? []).map((c) => c.decides)],
    ['sqlShuffle', 'coalescedShuffle', 'rddShuffle', 'sqlFileScan', 'hadoopInput'],
  );
  assert.match(
    findingPhrase(unknown!),
    /the run's figures do not say what stage 4:0 read: increase spark\.sql\.shuffle/,
  );
  // The run read no shuffle at all: its stage read input.
  const scan = partitions(
    doc({
      tasks: tasks({ stages: [old] }),
      stages: { inputBytes: { sum: 30_000 * MiB }, shuffleReadBytes: { sum: 0 } },
    }),
    'largePartitions',
  );
  assert.deepEqual(
    [scan?.setting?.decides, ...(scan?.setting?.or ?? []).map((c) => c.decides)],
    ['sqlFileScan', 'hadoopInput'],
  );
});

test("a SQL shuffle's partitions over the advisory size were left whole by adaptive execution: more of them", () => {
  const MiB = 1024 ** 2;
  const shuffle = {
    stage: '7:0',
    tasks: 10,
    median_ms: 10,
    max_ms: 20,
    median_bytes: 3000 * MiB,
    max_bytes: 3000 * MiB,
    output_bytes: 0,
    output_tasks: 0,
    input_bytes: 0,
    shuffle_read_bytes: 30_000 * MiB,
    sql: true,
    input_splits: 'none',
  };
  const d = doc({ tasks: tasks({ stages: [shuffle] }) });
  d.attempt.appSparkVersion = '3.5.1';
  d.attempt.environment = { sparkProperties: { spark_sql_shuffle_partitions: 10 } };
  assert.deepEqual(partitions(d, 'largePartitions')?.setting, {
    key: 'spark.sql.shuffle.partitions',
    change: 'increase',
    current: 10,
    decides: 'uncoalescedShuffle',
  });
  assert.match(
    findingPhrase(partitions(d, 'largePartitions')!),
    /adaptive execution left whole, each over its advisory/,
  );
  // A SQL file scan of the same size: its split size.
  const scan = { ...shuffle, input_bytes: 30_000 * MiB, shuffle_read_bytes: 0, input_splits: 'sqlFiles' };
  assert.deepEqual(partitions(doc({ tasks: tasks({ stages: [scan] }) }), 'largePartitions')?.setting, {
    key: 'spark.sql.files.maxPartitionBytes',
    change: 'decrease',
    current: 128 * MiB,
    decides: 'sqlFileScan',
  });
});

test('partitions of a few hundred bytes read as bytes, not "0 KiB"', async () => {
  // local-1642039451826, stage 2: 10 tasks read 372 to 380 bytes of shuffle each.
  const f = partitions(await eventLogDoc('local-1642039451826'), 'largePartitions', anySize);
  assert.match(findingPhrase(f!), /^376 B read per task \(from task data; stage 2:0 is/);
});
