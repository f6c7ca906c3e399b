import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSubmitArgs } from '../../src/submit/args.js';
import { keptByFill } from '../../src/submit/fill.js';

const kept = (argv: string[], props: Record<string, string> = {}, standalone = false) =>
  keptByFill(parseSubmitArgs(argv), new Map(Object.entries(props)), standalone);

describe('keptByFill: the settings fill mode leaves as the launch sets them', () => {
  test('explicit options, --conf and the properties file all count; unset keys stay free', () => {
    assert.deepEqual(kept(['j.jar']), []);
    assert.deepEqual(
      kept(['--num-executors', '40', '--conf', 'spark.sql.shuffle.partitions=400', 'j.jar'], {
        'spark.executor.memory': '8g',
      }),
      ['spark.executor.instances', 'spark.executor.memory', 'spark.sql.shuffle.partitions'],
    );
  });

  test('standalone: spark.cores.max fixes the executor count and the cores per executor; instances mean nothing', () => {
    assert.deepEqual(kept(['--num-executors', '40', 'j.jar'], {}, true), []);
    assert.deepEqual(kept(['--total-executor-cores', '64', 'j.jar'], {}, true), [
      'spark.executor.instances',
      'spark.executor.cores',
    ]);
    assert.deepEqual(kept(['--executor-cores', '4', 'j.jar'], {}, true), ['spark.executor.cores']);
  });
});
