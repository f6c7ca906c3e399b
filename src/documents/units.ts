// Spark's size and time strings live in the leaf src/shared/units.ts; this re-export keeps the imports in
// submit/ and cli/ working until they import the leaf directly.
export { formatSparkMemory, parseBytes, parseTimeMs, type ByteUnit, type TimeUnit } from '../shared/units.js';
