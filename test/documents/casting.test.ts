import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { castSparkProperties } from '../../src/documents/spark-properties.js';
import { cleanEnvironment } from '../../src/documents/clean.js';
import { REDACTED } from '../../src/common/redact.js';
import type { JsonObject } from '../../src/types.js';
import { eventLogSparkProperties, expectation } from './fixtures.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

function cast(props: Record<string, string>) {
  const warnings: string[] = [];
  return { out: castSparkProperties(props, (m) => warnings.push(m)), warnings };
}

describe('casting Spark properties (spec §3, with the §9.5 fixes)', () => {
  const table: [string, string, unknown, string][] = [
    // key, value, expected, why
    ['spark_executor_memory', '4096', 4096 * MiB, 'unit-less executor memory is MiB, as in Spark (original: bytes)'],
    ['spark_driver_memory', '2048', 2048 * MiB, 'unit-less driver memory is MiB'],
    ['spark_executor_memory', '10.5g', 10.5 * GiB, 'two digits before the point (original: None)'],
    ['spark_executor_memory', '1.5g', 1.5 * GiB, 'one digit before the point'],
    ['spark_executor_memory', '7g', 7 * GiB, 'unit g'],
    ['spark_executor_memory', '512M', 512 * MiB, 'case-insensitive'],
    ['spark_driver_maxResultSize', '1024', 1024, 'maxResultSize: bytes by default'],
    ['spark_executor_memoryOverhead', '1024', 1024 * MiB, 'overhead: MiB by default'],
    ['spark_kryoserializer_buffer', '64', 64 * 1024, 'KiB by default'],
    ['spark_kryoserializer_buffer', '64k', 64 * 1024, 'explicit k'],
    ['spark_network_timeout', '120', 120_000, 'unit-less timeout: seconds'],
    ['spark_network_timeout', '120s', 120_000, 's'],
    ['spark_network_timeout', '2min', 120_000, 'min'],
    ['spark_network_timeout', '1500us', 1.5, 'us is a unit (original: unsupported)'],
    ['spark_executor_heartbeatInterval', '1000', 1000, 'unit-less heartbeat is ms, as in Spark (original: 1000 s)'],
    ['spark_executor_heartbeatInterval', '10s', 10_000, 'heartbeat with unit'],
    ['spark_sql_shuffle_partitions', '400', 400, 'shuffle partitions are a number (original: string)'],
    ['spark_dynamicAllocation_initialExecutors', '5', 5, 'initial executors are a number (original: string)'],
    ['spark_executor_instances', '3', 3, 'int'],
    ['spark_memory_fraction', '0.6', 0.6, 'float'],
    ['spark_dynamicAllocation_enabled', 'TRUE', true, 'bool, any case'],
    ['spark_dynamicAllocation_enabled', 'no', false, 'bool no'],
    ['spark_sql_adaptive_enabled', 'y', true, 'bool y'],
    ['spark_master', 'yarn', 'yarn', 'others stay strings'],
    ['spark_app_name', '42', '42', 'untyped keys are not cast even when numeric'],
  ];
  for (const [key, value, expected, why] of table) {
    test(`${key}=${value} → ${String(expected)} (${why})`, () => {
      const { out, warnings } = cast({ [key]: value });
      assert.equal(out[key], expected);
      assert.deepEqual(warnings, []);
    });
  }

  test('a value that does not cast is stored as null and reported', () => {
    const { out, warnings } = cast({
      spark_executor_instances: 'many',
      spark_executor_memory: '4 gigs',
      spark_speculation: 'maybe',
    });
    assert.deepEqual(out, { spark_executor_instances: null, spark_executor_memory: null, spark_speculation: null });
    assert.equal(warnings.length, 3);
    assert.match(warnings[0]!, /spark_executor_instances.*"many"/);
  });
});

describe('environment cleaning and redaction', () => {
  test('real LargeBlocks properties: dots become underscores, typed, hosts and java options removed', () => {
    const env = cleanEnvironment(
      {
        runtime: { javaVersion: '1.8', javaHome: '/usr/java', scalaVersion: '2.11' },
        sparkProperties: eventLogSparkProperties('application_1553914137147_0018'),
        systemProperties: [['user.name', 'x']],
        classpathEntries: [['/a.jar', 'System']],
      },
      () => {},
    );
    const p = env.sparkProperties as JsonObject;
    assert.equal(p.spark_executor_memory, 7 * GiB);
    assert.equal(p.spark_driver_memory, 2 * GiB);
    assert.equal(p.spark_executor_memoryOverhead, 1024 * MiB);
    assert.equal(p.spark_executor_heartbeatInterval, 1000);
    assert.equal(p.spark_dynamicAllocation_executorIdleTimeout, 60_000);
    assert.equal(p.spark_executor_instances, 3);
    assert.equal(p.spark_dynamicAllocation_enabled, false);
    assert.equal(p.spark_yarn_maxAppAttempts, 1);
    for (const gone of [
      'spark_driver_host',
      'spark_driver_port',
      'spark_jars',
      'spark_eventLog_dir',
      'spark_ui_filters',
      'spark_driver_extraJavaOptions',
      'spark_executor_extraJavaOptions',
      'spark_driver_appUIAddress',
      'spark_org_apache_hadoop_yarn_server_webproxy_amfilter_AmIpFilter_param_PROXY_HOSTS',
      'spark_org_apache_hadoop_yarn_server_webproxy_amfilter_AmIpFilter_param_PROXY_URI_BASES',
    ]) {
      assert.equal(gone in p, false, gone);
    }
    assert.deepEqual(env.runtime, { javaVersion: '1.8', scalaVersion: '2.11' });
    assert.equal('systemProperties' in env, false);
    assert.equal('classpathEntries' in env, false);
  });

  test("secrets are redacted with Spark's marker before storing; keytabs and principals too", () => {
    const env = cleanEnvironment(
      {
        sparkProperties: [
          ['spark.hadoop.fs.s3a.secret.key', 'AKIA-very-secret'],
          ['spark.hadoop.fs.s3a.access.key', 'AKIAXXXX'],
          ['spark.hadoop.fs.azure.accesskey', 'abc'],
          ['spark.ssl.keyStorePassword', 'hunter2'],
          ['spark.authenticate.secret', 's3cr3t'],
          ['spark.some.TOKEN', 't'],
          ['spark.kerberos.keytab', '/etc/me.keytab'],
          ['spark.kerberos.principal', 'me@REALM'],
          ['spark.yarn.keytab', '/etc/me.keytab'],
          ['spark.executorEnv.DB_URL', 'jdbc:x?password=oops'],
          ['spark.app.name', 'nightly'],
        ],
        hadoopProperties: [
          ['fs.s3a.secret.key', 'abc'],
          ['fs.defaultFS', 'hdfs://nn'],
        ],
      },
      () => {},
    );
    const p = env.sparkProperties as JsonObject;
    for (const k of [
      'spark_hadoop_fs_s3a_secret_key',
      'spark_hadoop_fs_s3a_access_key',
      'spark_hadoop_fs_azure_accesskey',
      'spark_ssl_keyStorePassword',
      'spark_authenticate_secret',
      'spark_some_TOKEN',
      'spark_kerberos_keytab',
      'spark_kerberos_principal',
      'spark_executorEnv_DB_URL',
    ]) {
      assert.equal(p[k], REDACTED, k);
    }
    assert.equal(REDACTED, '*********(redacted)');
    assert.equal('spark_yarn_keytab' in p, false); // removed outright, as the original did
    assert.equal(p.spark_app_name, 'nightly');
    assert.deepEqual(env.hadoopProperties, [
      ['fs.s3a.secret.key', REDACTED],
      ['fs.defaultFS', 'hdfs://nn'],
    ]);
    assert.doesNotMatch(JSON.stringify(env), /hunter2|s3cr3t|AKIA|me@REALM|oops/);
  });

  test('Spark 3 extra sections of a real environment are kept (redacted), system properties dropped', () => {
    const real = expectation<Record<string, unknown>>('app_environment_expectation.json');
    const env = cleanEnvironment(real, () => {});
    assert.ok(Array.isArray(env.hadoopProperties));
    assert.equal('systemProperties' in env, false);
    assert.equal((env.sparkProperties as JsonObject).spark_eventLog_enabled, true); // "TRUE"
    assert.equal((env.sparkProperties as JsonObject).spark_master, 'local-cluster[4,4,1024]');
  });
});
