// Spark's size and time strings ("4g", "512m", "1.5g", "120s", "500ms", "10us"). The original Spot's parser
// took one digit before the point ("10.5g" failed) and had no "us"; both are fixed here.

const KIB = 1024;
const BYTE_UNITS: Record<string, number> = {
  b: 1,
  k: KIB,
  kb: KIB,
  m: KIB ** 2,
  mb: KIB ** 2,
  g: KIB ** 3,
  gb: KIB ** 3,
  t: KIB ** 4,
  tb: KIB ** 4,
  p: KIB ** 5,
  pb: KIB ** 5,
};
const TIME_UNITS_MS: Record<string, number> = {
  us: 1e-3,
  ms: 1,
  s: 1e3,
  m: 6e4,
  min: 6e4,
  h: 3.6e6,
  d: 8.64e7,
};
// A number may carry an exponent ("5e10"), as people write input sizes on a command line.
const NUMBER_WITH_UNIT = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]*)$/;

export type ByteUnit = 'b' | 'k' | 'm' | 'g';
export type TimeUnit = 'us' | 'ms' | 's' | 'm' | 'min' | 'h' | 'd';

/**
 * Parses a Spark size string into bytes. `defaultUnit` applies to a bare number: Spark reads
 * spark.executor.memory "4096" as MiB, spark.kryoserializer.buffer as KiB, spark.driver.maxResultSize as bytes.
 */
export function parseBytes(value: unknown, defaultUnit: ByteUnit = 'b'): number | undefined {
  const bytes = withUnit(value, defaultUnit, BYTE_UNITS);
  return bytes === undefined ? undefined : Math.round(bytes);
}

/**
 * An input size a person gives Spot (`--spot-input-bytes`, `spot predict --input-bytes`, an import line's
 * `inputBytes`): Spark's size forms, and the same units written the IEC way ("50GiB" is 50g, as Spark's units are
 * binary). Undefined past 2^53 bytes (8 PiB), where a number no longer counts bytes exactly and no input of a job
 * is that large.
 */
export function parseInputSize(value: string): number | undefined {
  const bytes = parseBytes(value.trim().replace(/([kmgtp])ib$/i, '$1b'), 'b');
  return bytes === undefined || bytes > Number.MAX_SAFE_INTEGER ? undefined : bytes;
}

/** Why `parseInputSize` refused a value, in words: a size past 8 PiB (`9p`) is a size, only too large for Spot. */
export function inputSizeProblem(value: string): string {
  const bytes = parseBytes(value.trim().replace(/([kmgtp])ib$/i, '$1b'), 'b');
  return bytes !== undefined && bytes > Number.MAX_SAFE_INTEGER
    ? 'is past 8 PiB, the largest input Spot takes'
    : 'is not a size';
}

/** Parses a Spark duration string into milliseconds; a bare number is read in `defaultUnit`. */
export function parseTimeMs(value: unknown, defaultUnit: TimeUnit = 's'): number | undefined {
  return withUnit(value, defaultUnit, TIME_UNITS_MS);
}

/** A number with an optional unit suffix, times that unit's multiplier in `units` (`defaultUnit` when none). */
function withUnit(value: unknown, defaultUnit: string, units: Record<string, number>): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value * units[defaultUnit]! : undefined;
  if (typeof value !== 'string') return undefined;
  const m = NUMBER_WITH_UNIT.exec(value.trim().toLowerCase());
  if (!m) return undefined;
  const mult = units[m[2] === '' ? defaultUnit : m[2]!];
  return mult === undefined ? undefined : Number(m[1]) * mult;
}

/** Bytes -> spark-submit's memory form, preferring whole g, then m ("4g", "4608m"). */
export function formatSparkMemory(bytes: number): string {
  const mib = Math.max(1, Math.round(bytes / KIB ** 2));
  return mib % 1024 === 0 ? `${mib / 1024}g` : `${mib}m`;
}
