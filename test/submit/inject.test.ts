import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSubmitArgs, serializeSubmitArgs } from '../../src/submit/args.js';
import { ADVICE_ID_KEY, injectAdvice } from '../../src/submit/inject.js';
import { parseJavaProperties } from '../../src/submit/properties-file.js';
import { baselineSettings } from '../../src/submit/settings.js';
import { pinKey } from '../../src/advisor/keys.js';
import type { Settings } from '../../src/types.js';

const GIB = 1024 ** 3;
const CHOSEN: Partial<Settings> = {
  executors: 12,
  executorCores: 2,
  executorMemoryBytes: 6 * GIB,
  shufflePartitions: 96,
};
const ARGV = [
  '--master',
  'yarn',
  '--num-executors',
  '20',
  '--executor-cores=4',
  '--conf',
  'spark.executor.memory=8g',
  'etl.jar',
  '--num-executors',
  '99',
];
const noProps = new Map<string, string>();

function apply(
  mode: 'shadow' | 'fill' | 'override',
  opts: { argv?: string[]; pinned?: string[]; props?: Map<string, string>; chosen?: Partial<Settings> } = {},
) {
  const args = parseSubmitArgs(opts.argv ?? ARGV);
  const r = injectAdvice({
    args,
    chosen: opts.chosen ?? CHOSEN,
    mode,
    pinned: opts.pinned ?? [],
    props: opts.props ?? noProps,
    adviceId: 'adv-1',
  });
  return { argv: serializeSubmitArgs(r.args), injected: r.injected };
}

describe('applying advice to a command line', () => {
  test('shadow: launches the command unchanged apart from the advice tag', () => {
    const r = apply('shadow');
    assert.deepEqual(r.injected, {});
    assert.deepEqual(r.argv, [
      '--master',
      'yarn',
      '--num-executors',
      '20',
      '--executor-cores=4',
      '--conf',
      'spark.executor.memory=8g',
      '--conf',
      `${ADVICE_ID_KEY}=adv-1`,
      'etl.jar',
      '--num-executors',
      '99',
    ]);
  });

  test('fill: sets only the tuned keys the command line leaves unset, before the primary resource', () => {
    const r = apply('fill');
    assert.deepEqual(r.injected, { 'spark.sql.shuffle.partitions': '96' });
    assert.deepEqual(r.argv, [
      ...ARGV.slice(0, 7),
      '--conf',
      'spark.sql.shuffle.partitions=96',
      '--conf',
      `${ADVICE_ID_KEY}=adv-1`,
      'etl.jar',
      '--num-executors',
      '99',
    ]);
  });

  test('fill: respects keys set in the --properties-file', () => {
    const props = parseJavaProperties('# defaults\nspark.sql.shuffle.partitions = 400\nspark.executor.instances: 7\n');
    const r = apply('fill', { argv: ['--properties-file', 'p.conf', 'etl.jar'], props });
    assert.deepEqual(r.injected, { 'spark.executor.cores': '2', 'spark.executor.memory': '6g' });
  });

  test('override: rewrites explicit options and --conf in place (Spark lets options beat --conf), adds the rest', () => {
    const r = apply('override');
    assert.deepEqual(r.injected, {
      'spark.executor.instances': '12',
      'spark.executor.cores': '2',
      'spark.executor.memory': '6g',
      'spark.sql.shuffle.partitions': '96',
    });
    assert.deepEqual(r.argv, [
      '--master',
      'yarn',
      '--num-executors',
      '12',
      '--executor-cores=2',
      '--conf',
      'spark.executor.memory=6g',
      '--conf',
      'spark.sql.shuffle.partitions=96',
      '--conf',
      `${ADVICE_ID_KEY}=adv-1`,
      'etl.jar',
      '--num-executors',
      '99', // the application's own argument is not ours
    ]);
  });

  test('override: a key set only in the properties file is overridden with --conf; equal values are left alone', () => {
    const props = parseJavaProperties('spark.executor.instances=30\n');
    const r = apply('override', {
      argv: ['--executor-cores', '2', 'etl.jar'],
      props,
      chosen: { executors: 12, executorCores: 2 },
    });
    assert.deepEqual(r.injected, { 'spark.executor.instances': '12' });
    assert.deepEqual(r.argv, [
      '--executor-cores',
      '2',
      '--conf',
      'spark.executor.instances=12',
      '--conf',
      `${ADVICE_ID_KEY}=adv-1`,
      'etl.jar',
    ]);
  });

  for (const mode of ['shadow', 'fill', 'override'] as const) {
    test(`${mode}: pinned keys are never touched, named by conf key or by option`, () => {
      const pinned = [
        'spark.executor.instances',
        '--executor-cores',
        'executor-memory',
        'spark.sql.shuffle.partitions',
      ].map(pinKey);
      const r = apply(mode, { pinned });
      assert.deepEqual(r.injected, {});
      const args = parseSubmitArgs(r.argv);
      assert.deepEqual(baselineSettings(args, noProps), baselineSettings(parseSubmitArgs(ARGV), noProps));
      assert.ok(!r.argv.some((w) => w.startsWith('spark.sql.shuffle.partitions')));
    });
  }

  test('under dynamic allocation the advised count is the ceiling: where allocation starts is left to the launch', () => {
    const da = ['--conf', 'spark.dynamicAllocation.enabled=true', '--conf', 'spark.dynamicAllocation.maxExecutors=100'];
    const chosen = { executors: 57, maxExecutors: 57 };
    for (const mode of ['fill', 'override'] as const) {
      const r = apply(mode, { argv: [...da, 'j.jar'], chosen });
      // fill leaves the launch's own maxExecutors; override lowers it. Neither starts every run on 57 executors.
      assert.equal(r.injected['spark.executor.instances'], undefined, mode);
      if (mode === 'override') assert.equal(r.injected['spark.dynamicAllocation.maxExecutors'], '57');
    }
    // A launch that starts above the advised ceiling starts at it instead.
    const high = apply('override', { argv: ['--num-executors', '80', ...da, 'j.jar'], chosen });
    assert.equal(high.injected['spark.executor.instances'], '57');
    const low = apply('override', { argv: ['--num-executors', '10', ...da, 'j.jar'], chosen });
    assert.deepEqual(low.injected, { 'spark.dynamicAllocation.maxExecutors': '57' });
    assert.ok(low.argv.includes('10'));
    // Allocation turned on where the command line does not say (the cluster's spark-defaults.conf): the advisor's
    // ceiling tells.
    assert.deepEqual(apply('override', { argv: ['j.jar'], chosen }).injected, {
      'spark.dynamicAllocation.maxExecutors': '57',
    });
    // Without dynamic allocation the count is the executors the run gets.
    assert.equal(
      apply('override', { argv: ['j.jar'], chosen: { executors: 57 } }).injected['spark.executor.instances'],
      '57',
    );
  });

  test('an adviceId already on the command line (a pasted dry run) is replaced, not duplicated', () => {
    const r = apply('shadow', { argv: ['--conf', `${ADVICE_ID_KEY}=old`, 'etl.jar'] });
    assert.deepEqual(r.argv, ['--conf', `${ADVICE_ID_KEY}=adv-1`, 'etl.jar']);
  });

  test('reads the baseline as Spark resolves it: explicit option, then last --conf, then properties file', () => {
    const props = parseJavaProperties(
      'spark.executor.memory 2g\nspark.dynamicAllocation.enabled=true\nspark.sql.shuffle.partitions=50',
    );
    const args = parseSubmitArgs([
      '--conf',
      'spark.executor.instances=3',
      '--num-executors',
      '5',
      '--conf',
      'spark.sql.shuffle.partitions=64',
      '--conf',
      'spark.executor.memory=4096',
      'j.jar',
    ]);
    assert.deepEqual(baselineSettings(args, props), {
      executors: 5,
      executorMemoryBytes: 4 * GIB,
      shufflePartitions: 64,
      dynamicAllocation: true,
    });
  });

  test('a count no cluster has is no baseline (it would be planned against at astronomical cost)', () => {
    const args = parseSubmitArgs(['--num-executors', '99999999999999999999', '--executor-cores', '4', 'j.jar']);
    assert.deepEqual(baselineSettings(args, new Map()), { executorCores: 4 });
  });
});

describe('Java properties files', () => {
  test('separators, comments, continuations and escapes', () => {
    const p = parseJavaProperties('# c\n! c\n  a=1\nb : 2\nc 3\nd=x\\\n   y\ne\\ key=v\\u0041\nf=\n');
    assert.deepEqual(
      [...p],
      [
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
        ['d', 'xy'],
        ['e key', 'vA'],
        ['f', ''],
      ],
    );
  });
});
