import { formatShsDate } from '../history/dates.js';
import { between } from './random.js';
import type { ExecutorWork } from './stages.js';

// The `allexecutors` list of a synthetic app: the driver entry first, then one entry per executor, with the
// fields and shapes of a Spark 3.5 History Server.

const RESERVED_BYTES = 300 * 1024 * 1024; // Spark's reserved system memory
const MEMORY_FRACTION = 0.6; // spark.memory.fraction
/** Dynamic allocation releases an executor after this long without tasks. */
export const IDLE_TIMEOUT_MS = 60_000;

/** Unified (storage + execution) memory Spark reports as maxMemory for a JVM of this heap. */
function unifiedMemory(heapBytes: number): number {
  return Math.max(0, Math.round((heapBytes - RESERVED_BYTES) * MEMORY_FRACTION));
}

export interface ExecutorEntryInput {
  id: string;
  host: string;
  cores: number;
  heapBytes: number;
  addMs: number;
  removeMs?: number;
  work: ExecutorWork;
  appId: string;
}

export function executorEntry(e: ExecutorEntryInput, rand: () => number): Record<string, unknown> {
  const maxMemory = unifiedMemory(e.heapBytes);
  const busy = e.work.tasks > 0;
  const heapPeak = Math.round(e.heapBytes * (busy ? between(rand, 0.4, 0.9) : between(rand, 0.08, 0.15)));
  const entry: Record<string, unknown> = {
    id: e.id,
    hostPort: `${e.host}:${40000 + Math.floor(rand() * 20000)}`,
    isActive: e.removeMs === undefined,
    rddBlocks: 0,
    memoryUsed: 0,
    diskUsed: 0,
    totalCores: e.cores,
    maxTasks: e.cores,
    activeTasks: 0,
    failedTasks: 0,
    completedTasks: e.work.tasks,
    totalTasks: e.work.tasks,
    totalDuration: e.work.durationMs,
    totalGCTime: e.work.gcMs,
    totalInputBytes: e.work.inputBytes,
    totalShuffleRead: e.work.shuffleRead,
    totalShuffleWrite: e.work.shuffleWrite,
    isBlacklisted: false,
    maxMemory,
    addTime: formatShsDate(new Date(e.addMs)),
  };
  if (e.removeMs !== undefined) {
    entry.removeTime = formatShsDate(new Date(e.removeMs));
    entry.removeReason = `Executor killed by driver (idle for ${IDLE_TIMEOUT_MS / 1000} s).`;
  }
  Object.assign(entry, {
    executorLogs:
      e.id === 'driver'
        ? {}
        : {
            stdout: `http://${e.host}:8042/node/containerlogs/container_${e.appId}_01_${e.id.padStart(6, '0')}/spark/stdout?start=-4096`,
            stderr: `http://${e.host}:8042/node/containerlogs/container_${e.appId}_01_${e.id.padStart(6, '0')}/spark/stderr?start=-4096`,
          },
    memoryMetrics: {
      usedOnHeapStorageMemory: 0,
      usedOffHeapStorageMemory: 0,
      totalOnHeapStorageMemory: maxMemory,
      totalOffHeapStorageMemory: 0,
    },
    blacklistedInStages: [],
    peakMemoryMetrics: peakMemoryMetrics(heapPeak, busy, rand),
    attributes: {},
    resources: {},
    resourceProfileId: 0,
    isExcluded: false,
    excludedInStages: [],
  });
  return entry;
}

function peakMemoryMetrics(heapPeak: number, busy: boolean, rand: () => number): Record<string, number> {
  const execution = busy ? Math.round(heapPeak * between(rand, 0.2, 0.5)) : 0;
  const minorGc = busy ? Math.round(between(rand, 5, 60)) : 2;
  return {
    JVMHeapMemory: heapPeak,
    JVMOffHeapMemory: Math.round(between(rand, 50e6, 120e6)),
    OnHeapExecutionMemory: execution,
    OffHeapExecutionMemory: 0,
    OnHeapStorageMemory: 0,
    OffHeapStorageMemory: 0,
    OnHeapUnifiedMemory: execution,
    OffHeapUnifiedMemory: 0,
    DirectPoolMemory: Math.round(between(rand, 1e4, 2e5)),
    MappedPoolMemory: 0,
    ProcessTreeJVMVMemory: 0,
    ProcessTreeJVMRSSMemory: 0,
    ProcessTreePythonVMemory: 0,
    ProcessTreePythonRSSMemory: 0,
    ProcessTreeOtherVMemory: 0,
    ProcessTreeOtherRSSMemory: 0,
    MinorGCCount: minorGc,
    MinorGCTime: minorGc * 8,
    MajorGCCount: busy ? Math.round(between(rand, 0, 4)) : 0,
    MajorGCTime: busy ? Math.round(between(rand, 0, 300)) : 0,
    TotalGCTime: 0,
  };
}
