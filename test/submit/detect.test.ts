import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applicationIdIn, ApplicationIdScanner, launchedApplicationId } from '../../src/submit/app-id.js';
import { parseSubmitArgs } from '../../src/submit/args.js';
import {
  inputPath,
  inputSize,
  defaultInputSources,
  probeCommandSource,
  splitWords,
} from '../../src/submit/input-size.js';
import { enceladusAppName, jobIdentity, sparkAppName } from '../../src/submit/job-key.js';
import { configSchema } from '../../src/config/schema.js';
import { jobKey as documentJobKey } from '../../src/documents/record.js';
import { classify } from '../../src/documents/classify.js';

/** The input probe source of a config whose probe is `command`, with a time limit it meets unless it hangs. */
const probeOf = (command: string, timeoutMs = 600_000) =>
  probeCommandSource(configSchema.parse({ submit: { inputProbe: command, inputProbeTimeoutMs: timeoutMs } }));

/** `fn` given a temporary folder (gone after it) and a writer of scripts into it, which returns each one's path. */
async function withScripts(
  fn: (dir: string, script: (name: string, body: string, mode?: number) => string) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spot-probe-'));
  const script = (name: string, body: string, mode = 0o755) => {
    const path = join(dir, name);
    writeFileSync(path, body);
    chmodSync(path, mode);
    return path;
  };
  try {
    await fn(dir, script);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('application id in spark-submit output', () => {
  test('YARN, standalone and local forms', () => {
    assert.equal(
      applicationIdIn('24/01/31 INFO YarnClientImpl: Submitted application application_1706700000000_0042'),
      'application_1706700000000_0042',
    );
    assert.equal(
      applicationIdIn('INFO Client: Application report for application_1706700000000_0001 (state: RUNNING)'),
      'application_1706700000000_0001',
    );
    assert.equal(
      applicationIdIn(
        'INFO StandaloneSchedulerBackend: Connected to Spark cluster with app ID app-20240131120000-0007',
      ),
      'app-20240131120000-0007',
    );
    assert.equal(
      applicationIdIn('INFO Executor: Starting executor ID driver on host localhost, app id local-1706700000000'),
      'local-1706700000000',
    );
    assert.equal(applicationIdIn('spark.app.id=local-1663770713457'), 'local-1663770713457');
    assert.equal(
      applicationIdIn('INFO Client: Requesting a new application from cluster with 8 NodeManagers'),
      undefined,
    );
  });

  test('the scanner joins lines split across chunks and keeps the first id', () => {
    const s = new ApplicationIdScanner();
    s.push('noise\nINFO Submitted applic');
    s.push('ation application_1_0001\nlater application_2_0002\n');
    assert.equal(s.end(), undefined === s.id ? undefined : 'application_1_0001');
    const t = new ApplicationIdScanner();
    t.push('Connected to Spark cluster with app ID app-20240131120000-0009');
    assert.equal(t.end(), 'app-20240131120000-0009');
  });
});

describe("the launch's own application id", () => {
  test("spark-submit's own line wins over an id the job printed first, on either stream", () => {
    const out = new ApplicationIdScanner();
    const err = new ApplicationIdScanner();
    out.push('cleaning the logs of application_1600000000000_0001\n');
    err.push('INFO YarnClientImpl: Submitted application application_1700000000000_0042\n');
    assert.equal(launchedApplicationId(out, err), 'application_1700000000000_0042');
    const k8s = new ApplicationIdScanner();
    k8s.push(
      `old run spark-${'a'.repeat(32)}\nDeployed Spark application x with application ID spark-${'b'.repeat(32)}`,
    );
    assert.equal(launchedApplicationId(k8s, new ApplicationIdScanner()), `spark-${'b'.repeat(32)}`);
  });

  test("without one of spark-submit's own lines (local mode), the first id named, stdout first", () => {
    const out = new ApplicationIdScanner();
    const err = new ApplicationIdScanner();
    out.push('spark.app.id=local-1663770713457\nlater local-1663770719999\n');
    err.push('INFO Executor: app id local-1663770700000\n');
    assert.equal(launchedApplicationId(out, err), 'local-1663770713457');
  });
});

describe('job identity at launch', () => {
  test('--name, then spark.app.name, then the main class, then the resource file name', () => {
    const props = new Map([['spark.app.name', 'from-props']]);
    assert.equal(sparkAppName(parseSubmitArgs(['--class', 'a.B', '--name', 'Nightly', 'j.jar']), props), 'Nightly');
    assert.equal(
      sparkAppName(parseSubmitArgs(['--class', 'a.B', '--conf', 'spark.app.name=Conf', 'j.jar']), props),
      'Conf',
    );
    assert.equal(sparkAppName(parseSubmitArgs(['--class', 'a.B', 'j.jar']), props), 'from-props');
    assert.equal(sparkAppName(parseSubmitArgs(['--class', 'a.B', 'j.jar']), new Map()), 'a.B');
    assert.equal(sparkAppName(parseSubmitArgs(['hdfs:///x/etl.py']), new Map()), 'etl.py');
  });

  test('on YARN, SPARK_YARN_APP_NAME names the run when neither --name nor spark.app.name does', () => {
    const env = { SPARK_YARN_APP_NAME: 'nightly_etl' };
    const yarn = ['--master', 'yarn', '--class', 'a.B', 'j.jar'];
    assert.equal(sparkAppName(parseSubmitArgs(yarn), new Map(), env), 'nightly_etl');
    assert.equal(
      sparkAppName(parseSubmitArgs(['--class', 'a.B', 'j.jar']), new Map(), { ...env, MASTER: 'yarn' }),
      'nightly_etl',
    );
    assert.equal(sparkAppName(parseSubmitArgs(['--name', 'N', ...yarn]), new Map(), env), 'N');
    assert.equal(sparkAppName(parseSubmitArgs(yarn), new Map([['spark.app.name', 'P']]), env), 'P');
    // Spark reads it on YARN only: elsewhere the main class names the run
    const standalone = ['--master', 'spark://m:7077', '--class', 'a.B', 'j.jar'];
    assert.equal(sparkAppName(parseSubmitArgs(standalone), new Map(), env), 'a.B');
    assert.equal(
      jobIdentity(parseSubmitArgs(yarn), new Map(), undefined, env).key,
      documentJobKey('nightly_etl', classify('nightly_etl').classification),
    );
  });

  test('Enceladus: the app name Enceladus will give the run, from its application arguments', () => {
    const args = parseSubmitArgs([
      '--class',
      'za.co.absa.enceladus.standardization.StandardizationJob',
      'spark-jobs-2.23.0.jar',
      '--menas-credentials-file',
      '/m.properties',
      '--dataset-name',
      'sales',
      '--dataset-version',
      '3',
      '--report-date',
      '2024-01-31',
      '--report-version',
      '2',
    ]);
    assert.equal(enceladusAppName(args), 'Enceladus Standardization 2.23.0 sales 3 2024-01-31 2');
    const conf = parseSubmitArgs([
      '--class',
      'za.co.absa.enceladus.conformance.DynamicConformanceJob',
      'j.jar',
      '--dataset-name=s',
      '--dataset-version=1',
    ]);
    assert.match(enceladusAppName(conf)!, /^Enceladus Conformance unknown s 1 /);
    // Two daily runs of the same dataset are the same job.
    const day2 = parseSubmitArgs([
      '--class',
      'za.co.absa.enceladus.standardization.StandardizationJob',
      'spark-jobs-2.23.0.jar',
      '--dataset-name',
      'sales',
      '--dataset-version',
      '3',
      '--report-date',
      '2024-02-01',
      '--report-version',
      '1',
    ]);
    assert.equal(jobIdentity(args, new Map()).key, jobIdentity(day2, new Map()).key);
  });

  test('launch-time keys agree with the keys the documents give finished apps', () => {
    for (const name of ['daily_etl 2024-01-31', 'Enceladus Standardization 2.23.0 sales 3 2024-01-31 2', 'plain']) {
      assert.equal(
        jobIdentity(parseSubmitArgs(['--name', name, 'j.jar']), new Map()).key,
        documentJobKey(name, classify(name).classification),
      );
    }
    const d1 = jobIdentity(parseSubmitArgs(['--name', 'daily_etl 2024-01-31', 'j.jar']), new Map()).key;
    assert.equal(d1, jobIdentity(parseSubmitArgs(['--name', 'daily_etl 2024-02-01', 'j.jar']), new Map()).key);
  });

  test('a configured pattern picks the key out of the app name', () => {
    const args = parseSubmitArgs(['--name', 'etl-sales-2024-01-31', 'j.jar']);
    assert.equal(jobIdentity(args, new Map(), '^etl-(?<key>[a-z]+)-').key, 'sales');
  });
});

describe('input size sources', () => {
  const config = configSchema.parse({});

  test('--spot-input-bytes wins, then the probe; without either, no size (history is no measurement)', async () => {
    const sources = defaultInputSources(config);
    const args = parseSubmitArgs(['--spot-input-bytes', '10g', 'j.jar']);
    assert.deepEqual(await inputSize({ args, config }, sources), {
      bytes: 10 * 1024 ** 3,
      source: '--spot-input-bytes',
      warnings: [],
    });
    const none = parseSubmitArgs(['j.jar']);
    assert.deepEqual(await inputSize({ args: none, config }, sources), { warnings: [] });
  });

  test('the probe command runs without a shell, with {path} from the application arguments', () =>
    withScripts(async (_dir, script) => {
      const du = script('du', '#!/bin/sh\necho "12345  $1"\n');
      // A probe that answers gets all the time it needs (a loaded machine may take seconds to start a shell);
      // the one that never answers gets a short limit, which it misses however fast the machine is.
      const probe = probeOf(`${du} '{path}'`);
      const args = parseSubmitArgs(['j.jar', '--input', 'hdfs:///data/a b; rm -rf /']);
      assert.deepEqual(await inputSize({ args, config }, [probe]), {
        bytes: 12345,
        source: 'submit.inputProbe',
        warnings: [],
      });
      const slow = script('slow', '#!/bin/sh\nexec sleep 600\n');
      const r = await inputSize({ args, config }, [probeOf(`${slow} {path}`, 200)]);
      assert.equal(r.bytes, undefined);
      assert.match(r.warnings[0]!, /200 ms|timed out/);
    }));

  test('a probe that prints a size with a unit (du -h, hdfs dfs -du -h) is read in that unit, not as bytes', () =>
    withScripts(async (_dir, script) => {
      const args = parseSubmitArgs(['j.jar', '/data/x']);
      const cases: [string, number][] = [
        ['5.0 G  15.0 G  /data/x', 5 * 1024 ** 3], // hdfs dfs -du -s -h
        ['1.5T\t/data/x', 1.5 * 1024 ** 4], // du -sh
        ['512 MiB', 512 * 1024 ** 2],
        ['5e10', 5e10],
        ['5368709120  16106127360  /data/x', 5368709120], // hdfs dfs -du -s: bytes, then bytes with replicas
        ['100 blocks', 100], // a word after the number is no unit
        ['5368709120 g/x', 5368709120], // nor is a path's first letter
      ];
      for (const [printed, bytes] of cases) {
        const du = script('du', `#!/bin/sh\nprintf '${printed}\\n'\n`);
        assert.deepEqual(await inputSize({ args, config }, [probeOf(`${du} {path}`)]), {
          bytes,
          source: 'submit.inputProbe',
          warnings: [],
        });
      }
    }));

  test('a probe command that cannot start says why: no such file, not on PATH, not executable', () =>
    withScripts(async (dir, script) => {
      const notExecutable = script('du', '#!/bin/sh\necho 1\n', 0o644);
      const noInterpreter = script('probe.sh', '#!/no/such/interpreter\necho 1\n');
      const args = parseSubmitArgs(['j.jar', 'hdfs:///data/x']);
      const cases: [string, string][] = [
        [noInterpreter, `'${noInterpreter}' could not be run: its #! interpreter was not found (ENOENT)`],
        [join(dir, 'missing', 'du'), `'${join(dir, 'missing', 'du')}' could not be run: no such file (ENOENT)`],
        ['no-such-probe', `'no-such-probe' could not be run: not found on PATH (ENOENT)`],
        [notExecutable, `'${notExecutable}' could not be run: not executable (EACCES)`],
      ];
      for (const [command, why] of cases) {
        assert.deepEqual(await inputSize({ args, config, env: { PATH: dir } }, [probeOf(`${command} {path}`)]), {
          warnings: [`input size: input probe ${why}`, 'input size: unknown (no other source answered)'],
        });
      }
    }));

  test('a probe that fails says what it wrote to stderr', () =>
    withScripts(async (_dir, script) => {
      const du = script('du', '#!/bin/sh\necho "du: $1: No such file or directory" >&2\nexit 1\n');
      const r = await inputSize({ args: parseSubmitArgs(['j.jar', '/data/x']), config }, [probeOf(`${du} {path}`)]);
      assert.equal(
        r.warnings[0],
        `input size: input probe '${du}' exited with 1: du: /data/x: No such file or directory`,
      );
    }));

  test("a failed probe's stderr line masks the credentials of the path it names", () =>
    withScripts(async (_dir, script) => {
      const ls = script('ls', '#!/bin/sh\necho "ls: cannot access \'$1\': No such file or directory" >&2\nexit 2\n');
      const args = parseSubmitArgs(['j.jar', '--in', 's3a://AKIAEXAMPLE:hunter2@bucket/x']);
      const r = await inputSize({ args, config }, [probeOf(`${ls} {path}`)]);
      assert.doesNotMatch(r.warnings.join('\n'), /hunter2/);
      assert.match(
        r.warnings[0] ?? '',
        /exited with 2: ls: cannot access 's3a:\/\/AKIAEXAMPLE:\*+\(redacted\)@bucket\/x'/,
      );
    }));

  test('finds the input path and splits commands like a shell would', () => {
    assert.equal(inputPath(['--date', '2024', '--input-path=/data/x']), '/data/x');
    assert.equal(inputPath(['x', 's3a://b/k', '/local']), 's3a://b/k');
    assert.deepEqual(splitWords(`hdfs dfs -du -s "{path}" 'a b' c\\ d`), [
      'hdfs',
      'dfs',
      '-du',
      '-s',
      '{path}',
      'a b',
      'c d',
    ]);
  });
});
