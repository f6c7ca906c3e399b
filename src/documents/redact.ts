// Secrets never reach the store. Spark redacts a property in its UI when the key or the value matches
// spark.redaction.regex, default "(?i)secret|password|token|access[.]?key"; we apply the same rule with
// Spark's own marker, and add Kerberos keytabs and principals (who may log in, and with which key file).

export const REDACTED = '*********(redacted)';
export const SPARK_REDACTION = /secret|password|token|access[._]?key/i;
const KERBEROS = /keytab|principal/i;

export function isSecretKey(key: string): boolean {
  return SPARK_REDACTION.test(key) || KERBEROS.test(key);
}

export function redactValue(key: string, value: string): string {
  return isSecretKey(key) || SPARK_REDACTION.test(value) ? REDACTED : value;
}

export function redactPairs(pairs: [string, string][]): [string, string][] {
  return pairs.map(([k, v]) => [k, redactValue(k, v)]);
}
