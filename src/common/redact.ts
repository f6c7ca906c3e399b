import { DEFAULT_REDACTION_PATTERNS } from '../config/redaction-defaults.js';
import { maskUrlCredentials } from './url-credentials.js';

// Secrets never reach the store. Spark redacts a property in its UI when the key or the value matches
// spark.redaction.regex, default "(?i)secret|password|token|access[.]?key"; we apply the same rule with
// Spark's own marker, to the names in `redaction.patterns` (Spark's, Kerberos', Hadoop's sensitive keys and
// more, see config/redaction-defaults.ts). Inside every value kept, credentials in URLs
// (jdbc:mysql://u:PASS@h, ?password=) and Java options whose name is secret (-Dkey.pw=...) are cut out too.

export const REDACTED = '*********(redacted)';
export const SPARK_REDACTION = /secret|password|token|access[._]?key/i;
/** `-Dname=value`, the value bare or quoted. */
const JAVA_OPTION = /(-D([^\s=]+)=)("[^"]*"|'[^']*'|\S*)/g;

export class Redactor {
  private readonly secretName: RegExp;

  constructor(patterns: readonly string[]) {
    this.secretName = new RegExp(patterns.map((p) => `(?:${p})`).join('|') || '(?!)', 'i');
  }

  isSecretKey(key: string): boolean {
    return this.secretName.test(key);
  }

  /** The value to store for property `key`: the marker for a secret, else the value with inner secrets cut. */
  value(key: string, value: string): string {
    return this.isSecretKey(key) || SPARK_REDACTION.test(value) ? REDACTED : this.inner(value);
  }

  /** `text` with URL credentials and secret Java options replaced by the marker. */
  inner(text: string): string {
    const masked = maskUrlCredentials(text, REDACTED);
    if (!masked.includes('-D')) return masked;
    return masked.replace(JAVA_OPTION, (whole, head: string, name: string) =>
      this.isSecretKey(`-D${name}`) ? `${head}${REDACTED}` : whole,
    );
  }

  pairs(pairs: [string, string][]): [string, string][] {
    return pairs.map(([k, v]) => [k, this.value(k, v)]);
  }
}

export const defaultRedactor = new Redactor(DEFAULT_REDACTION_PATTERNS);

const byPatterns = new WeakMap<readonly string[], Redactor>();

/** The redactor for a config's `redaction.patterns`, compiled once per list. */
export function redactorFor(patterns: readonly string[]): Redactor {
  let r = byPatterns.get(patterns);
  if (!r) {
    r = new Redactor(patterns);
    byPatterns.set(patterns, r);
  }
  return r;
}
