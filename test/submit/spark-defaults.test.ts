import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../src/config/schema.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { RunStore } from '../../src/store/types.js';
import { planLaunch } from '../../src/submit/plan.js';
import { applicationIdIn } from '../../src/submit/app-id.js';
import { fixedAdvisor, type AdviceRequest } from './fixed-advisor.js';

// spark-defaults.conf as spark-submit reads it, and the master deciding what Spot may set.

let dir: string;
let store: RunStore;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spot-defaults-'));
  store = await SqliteStore.open(join(dir, 'spot.db'));
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function confDir(name: string, text: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'spark-defaults.conf'), text);
  return d;
}

async function plan(argv: string[], env: NodeJS.ProcessEnv, mode: 'fill' | 'override' = 'fill') {
  const seen: AdviceRequest[] = [];
  const config = configSchema.parse({ advisor: { mode } });
  const p = await planLaunch(['--spot-dry-run', '--spot-input-bytes', '1g', ...argv], {
    config,
    store,
    env,
    advise: fixedAdvisor(seen),
  });
  return {
    argv: p.argv,
    baseline: seen[0]?.baseline,
    pinned: seen[0]?.pinned,
    injected: p.advice?.injected,
    warnings: p.warnings,
  };
}

describe('spark-defaults.conf', () => {
  const defaults = 'spark.master yarn\nspark.executor.instances   50\nspark.executor.cores=2\n';

  test('fill mode counts a key set in SPARK_CONF_DIR/spark-defaults.conf as set, and the baseline is what would run', async () => {
    const env = { SPARK_CONF_DIR: confDir('conf-a', defaults) };
    const r = await plan(['--name', 'etl', 'job.jar'], env);
    assert.deepEqual(r.baseline, { executors: 50, executorCores: 2 });
    assert.deepEqual(
      r.injected,
      { 'spark.executor.memory': '3g' },
      'neither 6 executors nor 2 cores over the defaults of 50 and 2',
    );
  });

  test('a --properties-file that cannot be read is named, with why (spot-submit then launches unchanged)', async () => {
    const missing = join(dir, 'nope.conf');
    await assert.rejects(
      plan(['--properties-file', missing, 'job.jar'], {}),
      (e: Error) => e.message === `cannot read the properties file ${missing}: no such file or folder`,
    );
    await assert.rejects(
      plan(['--properties-file', dir, 'job.jar'], {}),
      (e: Error) => e.message === `cannot read the properties file ${dir}: it is a folder`,
    );
  });

  /** `--properties-file <(...)`: a FIFO whose writer waits for the one reader it means, spark-submit. */
  function fifoWithWriter(path: string, text: string) {
    execFileSync('mkfifo', [path]);
    const writer = spawn('sh', ['-c', 'printf "$1" > "$2"', 'sh', text, path], { stdio: 'ignore' });
    return {
      /** Reads the FIFO as spark-submit would, then waits for the writer to end. */
      readAsSparkSubmit: async () => {
        const got = readFileSync(path, 'utf8');
        await new Promise((resolve) => writer.once('close', resolve));
        return got;
      },
    };
  }

  test('a --properties-file that is a FIFO is not read: its content is left whole for spark-submit', async () => {
    const path = join(dir, 'fifo.properties');
    const fifo = fifoWithWriter(path, 'spark.executor.cores 3\n');
    await assert.rejects(
      plan(['--master', 'yarn', '--properties-file', path, 'job.jar'], {}),
      (e: Error) =>
        e.message ===
        `the properties file ${path} is not a regular file (a FIFO): Spot leaves it unread, to spark-submit`,
    );
    assert.equal(await fifo.readAsSparkSubmit(), 'spark.executor.cores 3\n');
  });

  test('a spark-defaults.conf that is no regular file is skipped, as spark-submit skips it', async () => {
    const conf = join(dir, 'conf-fifo');
    mkdirSync(conf);
    const fifo = fifoWithWriter(join(conf, 'spark-defaults.conf'), 'spark.executor.instances 50\n');
    assert.deepEqual((await plan(['--master', 'yarn', 'job.jar'], { SPARK_CONF_DIR: conf })).baseline, {});
    assert.equal(await fifo.readAsSparkSubmit(), 'spark.executor.instances 50\n');
  });

  test('$SPARK_HOME/conf when SPARK_CONF_DIR is unset; SPARK_CONF_DIR wins when both are', async () => {
    const home = join(dir, 'spark-home');
    confDir('spark-home/conf', 'spark.master yarn\nspark.executor.instances 30\n');
    assert.deepEqual((await plan(['job.jar'], { SPARK_HOME: home })).baseline, { executors: 30 });
    assert.deepEqual(
      (await plan(['job.jar'], { SPARK_HOME: home, SPARK_CONF_DIR: confDir('conf-b', defaults) })).baseline,
      { executors: 50, executorCores: 2 },
    );
    assert.deepEqual((await plan(['job.jar'], {})).baseline, {}, 'neither: no defaults');
  });

  test('a --properties-file replaces spark-defaults.conf; --load-spark-defaults (Spark 4) reads both, the file winning', async () => {
    const env = { SPARK_CONF_DIR: confDir('conf-c', defaults) };
    const file = join(dir, 'job.properties');
    writeFileSync(file, 'spark.executor.cores 4\n');
    assert.deepEqual((await plan(['--master', 'yarn', '--properties-file', file, 'job.jar'], env)).baseline, {
      executorCores: 4,
    });
    assert.deepEqual(
      (await plan(['--master', 'yarn', '--load-spark-defaults', '--properties-file', file, 'job.jar'], env)).baseline,
      { executors: 50, executorCores: 4 },
    );
  });
});

describe('environment variables spark-submit reads as settings', () => {
  const env = { SPARK_EXECUTOR_MEMORY: '8g', SPARK_EXECUTOR_CORES: '4' };
  const yarn = ['--master', 'yarn', '--num-executors', '20', 'job.jar'];

  test('SPARK_EXECUTOR_MEMORY and SPARK_EXECUTOR_CORES are the baseline; fill keeps them, override replaces them', async () => {
    for (const mode of ['fill', 'override'] as const) {
      const r = await plan(yarn, env, mode);
      assert.deepEqual(r.baseline, { executors: 20, executorCores: 4, executorMemoryBytes: 8 * 1024 ** 3 }, mode);
    }
    // A --conf would beat the variable: fill mode holds the key as set, as it holds a spark-defaults.conf key.
    const fill = await plan(yarn, env, 'fill');
    assert.ok(!fill.argv.some((w) => /^spark\.executor\.(memory|cores)=/.test(w)), fill.argv.join(' '));
    const override = await plan(yarn, env, 'override');
    assert.deepEqual(override.injected, {
      'spark.executor.instances': '6',
      'spark.executor.cores': '2',
      'spark.executor.memory': '3g',
    });
  });

  test('an option, --conf or properties file that sets the key wins over the variable', async () => {
    const file = join(dir, 'cores.properties');
    writeFileSync(file, 'spark.executor.cores 8\n');
    const r = await plan(['--executor-memory', '16g', '--properties-file', file, ...yarn], env, 'override');
    assert.deepEqual(r.baseline, { executors: 20, executorCores: 8, executorMemoryBytes: 16 * 1024 ** 3 });
    assert.deepEqual(r.pinned, []);
    assert.deepEqual(r.injected, {
      'spark.executor.instances': '6',
      'spark.executor.cores': '2',
      'spark.executor.memory': '3g',
    });
  });

  test('MASTER decides the master where neither --master nor spark.master does', async () => {
    const local = await plan(['job.jar'], { MASTER: 'local[4]' });
    assert.equal(local.baseline, undefined, 'the advisor was not asked');
    assert.match(local.warnings.join('\n'), /master local\[4\]: a local run has no executors to size/);
    const standalone = await plan(['job.jar'], { MASTER: 'spark://h:7077' });
    assert.ok(standalone.argv.includes('spark.cores.max=12'), standalone.argv.join(' '));
    const yarnWins = await plan(['--master', 'yarn', 'job.jar'], { MASTER: 'local[4]' });
    assert.ok(yarnWins.baseline, '--master yarn beats MASTER');
  });
});

describe('masters', () => {
  test('standalone: the executor count is spark.cores.max ÷ cores per executor, and advice sets --total-executor-cores', async () => {
    const argv = [
      '--master',
      'spark://h:7077',
      '--total-executor-cores',
      '40',
      '--executor-cores',
      '4',
      '--num-executors',
      '99',
      'job.jar',
    ];
    const r = await plan(argv, {}, 'override');
    assert.deepEqual(r.baseline, { executors: 10, executorCores: 4 }, '--num-executors means nothing on standalone');
    assert.deepEqual(r.argv.slice(0, 8), [
      '--master',
      'spark://h:7077',
      '--total-executor-cores',
      '12',
      '--executor-cores',
      '2',
      '--num-executors',
      '99',
    ]);
    assert.equal(r.injected?.['spark.cores.max'], '12');
    assert.equal(r.injected?.['spark.executor.instances'], undefined);
  });

  test('standalone in fill mode: spark.cores.max added when unset, left alone when spark-defaults.conf sets it', async () => {
    const unset = await plan(['--master', 'spark://h:7077', 'job.jar'], {});
    assert.ok(unset.argv.includes('spark.cores.max=12'), unset.argv.join(' '));
    const env = { SPARK_CONF_DIR: confDir('conf-d', 'spark.cores.max 64\nspark.executor.cores 4\n') };
    const set = await plan(['--master', 'spark://h:7077', 'job.jar'], env);
    assert.deepEqual(set.baseline, { executors: 16, executorCores: 4 });
    assert.equal(set.injected?.['spark.cores.max'], undefined);
  });

  test('a local master gets no advice, from the command line or from spark-defaults.conf', async () => {
    for (const [argv, env] of [
      [['--master', 'local[*]', 'job.jar'], {}],
      [['--conf', 'spark.master=local[4]', 'job.jar'], {}],
      [['job.jar'], { SPARK_CONF_DIR: confDir('conf-e', 'spark.master local\n') }],
    ] as const) {
      const r = await plan([...argv], env);
      assert.equal(r.baseline, undefined, 'the advisor was not asked');
      assert.deepEqual(r.argv, [...argv]);
      assert.match(r.warnings.join('\n'), /a local run has no executors to size; no advice/);
    }
  });

  test('Kubernetes application ids are read from spark-submit output', () => {
    const id = 'spark-0123456789abcdef0123456789abcdef';
    assert.equal(
      applicationIdIn(
        `Deployed Spark application etl with application ID ${id} and submission ID ns:etl-driver into Kubernetes`,
      ),
      id,
    );
    assert.equal(applicationIdIn('spark-submit version 3.5.1'), undefined);
  });
});
