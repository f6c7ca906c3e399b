import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { cleanEnvironment } from '../../src/documents/clean.js';
import { REDACTED, Redactor, redactorFor } from '../../src/common/redact.js';
import type { JsonObject } from '../../src/types.js';

// Every secret the hardening review found stored in plain text, as Spark and Hadoop name them.

const SECRETS = [
  'AZKEY==',
  'GCPKEY',
  'DBPASS',
  'JDBCPASS',
  'JAVAPW',
  'KEYVAL1',
  'QPASS',
  'S3SECRET',
  'AMPASS',
  'DDKEY',
  'APIKEY2',
  'CREDS',
];

function environment() {
  return {
    sparkProperties: [
      ['spark.hadoop.fs.azure.account.key.acct.blob.core.windows.net', 'AZKEY=='],
      ['spark.hadoop.fs.gs.auth.service.account.private.key', 'GCPKEY'],
      ['spark.executorEnv.DB_PASS', 'DBPASS'],
      ['spark.yarn.appMasterEnv.API_KEY', 'AMPASS'],
      ['spark.sql.warehouse.uri', 'jdbc:mysql://etl:JDBCPASS@db.example.com:3306/meta'],
      ['spark.driver.defaultJavaOptions', '-Dkey.pw=JAVAPW -Dssl.key="KEYVAL1" -Dfile.encoding=UTF-8'],
      ['spark.datasource.url', 'jdbc:postgresql://db/x?user=etl&pwd=QPASS&ssl=true'],
      ['spark.datadog.api_key', 'DDKEY'],
      ['spark.hadoop.metrics.apikey', 'APIKEY2'],
      ['spark.hadoop.fs.gs.auth.service.account.json.credentials', 'CREDS'],
      ['spark.app.name', 'nightly'],
      ['spark.executor.memory', '4g'],
    ],
    hadoopProperties: [
      ['fs.azure.account.key.acct.blob.core.windows.net', 'AZKEY=='],
      ['fs.s3.awsSecretAccessKey', 'S3SECRET'],
      ['fs.defaultFS', 'hdfs://nn:8020'],
    ],
  };
}

describe('redaction of secrets before anything is stored', () => {
  test('Hadoop sensitive keys, cloud private keys, executorEnv, URL credentials and -D options: Spark properties and hadoopProperties alike', () => {
    const env = cleanEnvironment(environment(), () => {});
    const text = JSON.stringify(env);
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    const p = env.sparkProperties as JsonObject;
    assert.equal(p.spark_hadoop_fs_azure_account_key_acct_blob_core_windows_net, REDACTED);
    assert.equal(p.spark_executorEnv_DB_PASS, REDACTED);
    assert.equal(p.spark_sql_warehouse_uri, `jdbc:mysql://etl:${REDACTED}@db.example.com:3306/meta`);
    assert.equal(p.spark_driver_defaultJavaOptions, `-Dkey.pw=${REDACTED} -Dssl.key=${REDACTED} -Dfile.encoding=UTF-8`);
    assert.equal(p.spark_datasource_url, `jdbc:postgresql://db/x?user=etl&pwd=${REDACTED}&ssl=true`);
    assert.equal(p.spark_app_name, 'nightly');
    assert.equal(p.spark_executor_memory, 4 * 1024 ** 3);
    assert.deepEqual(env.hadoopProperties, [
      ['fs.azure.account.key.acct.blob.core.windows.net', REDACTED],
      ['fs.s3.awsSecretAccessKey', REDACTED],
      ['fs.defaultFS', 'hdfs://nn:8020'],
    ]);
  });

  test('the patterns are the config key redaction.patterns: the defaults, and a site may add its own', () => {
    const defaults = configSchema.parse({}).redaction.patterns;
    assert.ok(defaults.some((p) => p.includes('fs\\.azure\\.account\\.key')));
    const site = configSchema.parse({ redaction: { patterns: [...defaults, '^spark\\.acme\\.license$'] } }).redaction
      .patterns;
    const env = cleanEnvironment(
      {
        sparkProperties: [
          ['spark.acme.license', 'L-123'],
          ['spark.app.name', 'x'],
        ],
      },
      () => {},
      redactorFor(site),
    );
    assert.deepEqual(env.sparkProperties, { spark_acme_license: REDACTED, spark_app_name: 'x' });
    // Without the site's pattern the value would have been kept.
    assert.equal(new Redactor(defaults).value('spark.acme.license', 'L-123'), 'L-123');
    assert.throws(() => configSchema.parse({ redaction: { patterns: ['('] } }), /not a valid regular expression/);
  });
});
