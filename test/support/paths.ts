import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Real data written by Apache Spark and Enceladus; lives beside the repository, never inside it. */
export const FIXTURES = resolve(ROOT, '..', 'shared', 'fixtures');
export const SHS_FIXTURES = resolve(FIXTURES, 'spark-history');
export const MENAS_FIXTURES = resolve(FIXTURES, 'menas');
/** The compiled CLI entry points (npm test builds first). */
export const SPOT_BIN = resolve(ROOT, 'bin', 'spot.js');
export const SPOT_SUBMIT_BIN = resolve(ROOT, 'bin', 'spot-submit.js');
