import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Real data written by Apache Spark, Enceladus and the original Spot, carried in the repository (see its README). */
export const FIXTURES = resolve(ROOT, 'test', 'fixtures');
export const SHS_FIXTURES = resolve(FIXTURES, 'spark-history');
export const MENAS_FIXTURES = resolve(FIXTURES, 'menas');
export const KIBANA_FIXTURES = resolve(FIXTURES, 'kibana-original');
export const YARN_FIXTURES = resolve(FIXTURES, 'yarn');
/** The compiled CLI entry points (npm test builds first). */
export const SPOT_BIN = resolve(ROOT, 'bin', 'spot.js');
export const SPOT_SUBMIT_BIN = resolve(ROOT, 'bin', 'spot-submit.js');
