// Reading the loosely typed JSON of an event: Spark adds, renames and drops fields between releases
// (JsonProtocol), and an older log simply lacks the newer ones. Absent numbers read as 0, as Spark's own
// reader defaults them.

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function optNum(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** An executor id as Spark names it now: Spark before 1.4 called the driver `<driver>` (SPARK-6716). */
export function executorId(v: unknown): string | undefined {
  const id = str(v);
  return id === '<driver>' ? 'driver' : id;
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Epoch milliseconds as the History Server writes dates: "2015-02-03T16:42:38.277GMT". */
export function shsDate(ms: number | undefined): string | undefined {
  return ms === undefined || ms <= 0 ? undefined : new Date(ms).toISOString().replace('Z', 'GMT');
}

/** Spark's ExecutorMetricType names (3.5): the History Server reports every one, 0 when never measured. */
const EXECUTOR_METRIC_NAMES = [
  'JVMHeapMemory',
  'JVMOffHeapMemory',
  'OnHeapExecutionMemory',
  'OffHeapExecutionMemory',
  'OnHeapStorageMemory',
  'OffHeapStorageMemory',
  'OnHeapUnifiedMemory',
  'OffHeapUnifiedMemory',
  'DirectPoolMemory',
  'MappedPoolMemory',
  'ProcessTreeJVMVMemory',
  'ProcessTreeJVMRSSMemory',
  'ProcessTreePythonVMemory',
  'ProcessTreePythonRSSMemory',
  'ProcessTreeOtherVMemory',
  'ProcessTreeOtherRSSMemory',
  'MinorGCCount',
  'MinorGCTime',
  'MajorGCCount',
  'MajorGCTime',
  'TotalGCTime',
];

/** Peaks with every metric name present, in Spark's order; names of newer Sparks follow. */
export function fullPeaks(peaks: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of EXECUTOR_METRIC_NAMES) out[k] = peaks[k] ?? 0;
  return Object.assign(out, peaks);
}

/** Keeps the larger value of each key (peak executor metrics). */
export function mergePeaks(into: Record<string, number>, from: unknown): void {
  for (const [k, v] of Object.entries(obj(from))) {
    if (typeof v === 'number' && Number.isFinite(v)) into[k] = Math.max(into[k] ?? 0, v);
  }
}
