// The default of `redaction.patterns`: which property names hold secrets. Each is a regular expression,
// matched case-insensitively anywhere in a Spark or Hadoop property's name (dotted, as Spark writes it),
// in `-D<name>` for each Java option inside a value, and in `spark.executorEnv.<NAME>`-style names.

export const DEFAULT_REDACTION_PATTERNS: readonly string[] = [
  // Spark's own spark.redaction.regex default.
  'secret|password|token|access[._]?key',
  // Kerberos: who may log in, and with which key file.
  'keytab|principal',
  // Hadoop's hadoop.security.sensitive-config-keys default (core-default.xml).
  'ssl\\.keystore\\.pass$',
  'fs\\.s3.*secret.?key',
  'fs\\.s3a\\..*\\.server-side-encryption\\.key',
  'fs\\.s3a\\.encryption\\.key',
  'fs\\.azure\\.account\\.key',
  'credentials?$',
  'oauth.*(secret|password|token)',
  'hadoop\\.security\\.sensitive-config-keys',
  // API keys under any name (spark.datadog.api_key, spark.hadoop.x.apikey, spark.app.api.key).
  'api[._-]?key',
  // Cloud service-account keys (fs.gs.auth.service.account.private.key, ...).
  'private[._-]?key',
  // Short names for passwords (key.pw, DB_PASS, ...).
  '[._-](pw|pwd|pass|passwd)$',
  // Environment handed to executors, the YARN AM and the Kubernetes driver: DB_PASS, API_KEY, ...
  '^spark\\.(executorEnv|yarn\\.appMasterEnv|kubernetes\\.driverEnv)\\..*(pw|pass|passwd|password|secret|token|key)$',
  // Java options: -Dkey.pw=..., -Dapi.token=..., -Dssl.key=...
  '^-D.*(pw|pass|passwd|password|secret|token|key)$',
];
