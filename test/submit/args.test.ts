import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  confValues,
  launchesNoApp,
  parseSubmitArgs,
  serializeSubmitArgs,
  SpotArgError,
  withoutSpotOptions,
} from '../../src/submit/args.js';

const HAND_PICKED: string[][] = [
  [
    '--master',
    'yarn',
    '--deploy-mode',
    'cluster',
    '--class',
    'com.acme.Etl',
    '--name',
    'daily etl',
    'etl.jar',
    '2024-01-31',
  ],
  [
    '--master=local[4]',
    '--conf',
    'spark.a=b',
    '-c',
    'spark.x=y=z',
    '--conf=spark.q=1',
    'app.py',
    '--conf',
    'not.ours=1',
    '-v',
  ],
  ['--verbose', '--supervise', '--num-executors', '20', '--executor-cores', '4', '--executor-memory', '8g', 'job.jar'],
  [
    '--jars',
    'a.jar,b.jar',
    '--packages',
    'org:x:1',
    '--exclude-packages',
    'org:y',
    '--repositories',
    'https://r',
    '--py-files',
    'z.zip',
    'main.py',
  ],
  [
    '--files',
    'f1',
    '--archives',
    'a.tgz#env',
    '--properties-file',
    '/etc/p.conf',
    '--driver-memory',
    '2g',
    '--driver-java-options',
    '-Dx=1 -Dy=2',
    'j.jar',
  ],
  [
    '--driver-library-path',
    '/lib',
    '--driver-class-path',
    '/cp',
    '--driver-cores',
    '2',
    '--total-executor-cores',
    '64',
    '--queue',
    'q',
    'j.jar',
  ],
  ['--principal', 'me@R', '--keytab', '/k', '--proxy-user', 'bob', 'j.jar', '--principal', 'app-arg'],
  ['--kill', 'driver-1', '--master', 'spark://h:7077'],
  ['--status', 'driver-2'],
  ['--help'],
  ['--version'],
  ['--name', '--looks-like-an-option', 'j.jar'],
  ['--name', '', 'j.jar', ''],
  ['--unknown-flag', 'j.jar', '--num-executors', '3'],
  ['--master'],
  [],
  ['j.jar'],
  ['-', 'x'],
  [
    '--conf',
    'spark.driver.extraJavaOptions=-Da=b -Dc="d e"',
    's3a://bucket/app.jar',
    '--dataset-name',
    'ds',
    '--dataset-version',
    '1',
  ],
];

/** A seeded generator of command lines: options in any order and form, app args that look like options. */
function randomCommandLines(count: number, seed = 7): string[][] {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const valueOpts = [
    '--master',
    '--deploy-mode',
    '--class',
    '--name',
    '--conf',
    '-c',
    '--num-executors',
    '--executor-cores',
    '--executor-memory',
    '--jars',
    '--files',
    '--queue',
    '--driver-memory',
    '--properties-file',
  ];
  const flags = ['--verbose', '-v', '--supervise'];
  const values = [
    'yarn',
    'spark.a=1',
    'spark.executor.instances=5',
    'x y',
    '4g',
    '--tricky',
    '=',
    'a=b=c',
    '',
    'ünïcode',
  ];
  const out: string[][] = [];
  for (let n = 0; n < count; n++) {
    const argv: string[] = [];
    const k = Math.floor(rand() * 8);
    for (let i = 0; i < k; i++) {
      const r = rand();
      if (r < 0.2) argv.push(pick(flags));
      else if (r < 0.5) argv.push(`${pick(valueOpts.filter((o) => o.startsWith('--')))}=${pick(values)}`);
      else argv.push(pick(valueOpts), pick(values));
    }
    if (rand() < 0.9) {
      argv.push(pick(['job.jar', 'hdfs:///apps/etl.jar', 'main.py']));
      const m = Math.floor(rand() * 6);
      for (let i = 0; i < m; i++) argv.push(pick([...valueOpts, ...flags, ...values, '--spot-dryrun', '--spot-x']));
    }
    out.push(argv);
  }
  return out;
}

describe('spark-submit argument model', () => {
  test('round-trips every command line exactly: nothing lost or reordered', () => {
    const lines = [...HAND_PICKED, ...randomCommandLines(500)];
    for (const argv of lines) assert.deepEqual(serializeSubmitArgs(parseSubmitArgs(argv)), argv, JSON.stringify(argv));
  });

  test('finds the primary resource after options that take values, even values that look like options', () => {
    const a = parseSubmitArgs(['--name', '--looks-like-an-option', '--conf', 'k=v', 'j.jar', '--name', 'x']);
    assert.equal(a.primaryResource, 'j.jar');
    assert.deepEqual(a.appArgs, ['--name', 'x']);
    assert.equal(a.options[0]!.value, '--looks-like-an-option');
  });

  test('removes --spot-* options before the primary resource, in both forms; refuses them after it', () => {
    const argv = [
      '--spot-dry-run',
      '--master',
      'yarn',
      '--spot-pin',
      'spark.executor.memory',
      '--spot-input-bytes=1024',
      '--spot-off',
      '--spot-pin=--num-executors',
      'j.jar',
      '--spot-like-but-not-spots',
      'x',
    ];
    const a = parseSubmitArgs(argv);
    assert.deepEqual(a.spot, {
      dryRun: true,
      off: true,
      inputBytes: '1024',
      pins: ['spark.executor.memory', '--num-executors'],
    });
    assert.deepEqual(serializeSubmitArgs(a), ['--master', 'yarn', 'j.jar', '--spot-like-but-not-spots', 'x']);
    // After the application they would be its arguments, and the job would launch with them.
    for (const late of ['--spot-dry-run', '--spot-off', '--spot-pin', '--spot-input-bytes=5g'])
      assert.throws(
        () => parseSubmitArgs(['--master', 'yarn', 'j.jar', '2024-01-31', late]),
        new RegExp(`^SpotArgError: ${late.split('=')[0]} comes after the application j\\.jar, where it would be`),
      );
  });

  test('rejects an unknown or incomplete --spot-* option, but withoutSpotOptions still strips what it can', () => {
    assert.throws(() => parseSubmitArgs(['--spot-dryrun', 'j.jar']), SpotArgError);
    assert.throws(() => parseSubmitArgs(['--spot-pin']), SpotArgError);
  });

  test('a value option followed by another --spot-* option, or left empty, is missing its value', () => {
    for (const argv of [
      ['--spot-pin', '--spot-dry-run', 'j.jar'],
      ['--spot-input-bytes', '--spot-off', 'j.jar'],
      ['--spot-input-bytes='],
      ['--spot-pin=', 'j.jar'],
      ['--master', 'yarn', '--spot-input-bytes'],
    ]) {
      assert.throws(
        () => parseSubmitArgs(argv),
        (e: Error) => e instanceof SpotArgError && /needs a value/.test(e.message),
        JSON.stringify(argv),
      );
    }
    // A pin names a setting: a word that does not is the primary resource taken for a forgotten value.
    for (const pin of ['app.jar', 'daily', '/opt/jobs/etl.jar']) {
      assert.throws(() => parseSubmitArgs(['--spot-pin', pin]), /--spot-pin takes a Spark conf key/, pin);
    }
    assert.deepEqual(parseSubmitArgs(['--spot-pin=spark.custom.key', 'j.jar']).spot.pins, ['spark.custom.key']);
    // A key one slip from one Spot changes would leave that one free: named, not taken.
    assert.throws(
      () => parseSubmitArgs(['--spot-pin', 'spark.executor.instance', 'j.jar']),
      /--spot-pin 'spark\.executor\.instance' names no setting Spot changes \(did you mean 'spark\.executor\.instances'\?\)/,
    );
    for (const pin of ['--total-executor-cores', 'total-executor-cores', 'spark.cores.max', '--executor-memory']) {
      assert.deepEqual(parseSubmitArgs(['--spot-pin', pin, 'j.jar']).spot.pins, [pin], pin);
    }
    // Likewise a size that is no size with no application after it; before an application it is only a warning.
    assert.throws(() => parseSubmitArgs(['--name', 'j', '--spot-input-bytes', 'app.jar']), /takes a size such as 50g/);
    assert.equal(parseSubmitArgs(['--spot-input-bytes', 'lots', 'app.jar']).spot.inputBytes, 'lots');
    // A spark-submit option is a fine pin: it names the key it sets.
    assert.deepEqual(parseSubmitArgs(['--spot-pin', '--num-executors', 'j.jar']).spot.pins, ['--num-executors']);
    assert.deepEqual(withoutSpotOptions(['--spot-dryrun', '--master', 'yarn', 'j.jar', 'a']), [
      '--master',
      'yarn',
      'j.jar',
      'a',
    ]);
  });

  test('reads --conf values with later ones winning, split at the first =', () => {
    const a = parseSubmitArgs([
      '--conf',
      'spark.a=1',
      '-c',
      'spark.b=x=y',
      '--conf=spark.a=2',
      '--conf',
      'noequals',
      'j.jar',
      '--conf',
      'spark.a=3',
    ]);
    assert.deepEqual(
      [...confValues(a)],
      [
        ['spark.a', '2'],
        ['spark.b', 'x=y'],
      ],
    );
  });

  test('knows which command lines launch no application', () => {
    assert.equal(launchesNoApp(parseSubmitArgs(['--kill', 'd-1', '--master', 'spark://h:7077'])), true);
    assert.equal(launchesNoApp(parseSubmitArgs(['--version'])), true);
    assert.equal(launchesNoApp(parseSubmitArgs(['--master', 'yarn'])), true);
    assert.equal(launchesNoApp(parseSubmitArgs(['--master', 'yarn', 'j.jar', '--help'])), false);
  });
});
