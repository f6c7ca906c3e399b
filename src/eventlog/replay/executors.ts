import { executorId, fullPeaks, mergePeaks, num, obj, shsDate, str, type Obj } from './fields.js';
import type { StageMetrics } from './task-metrics.js';

// Executors as the History Server's AppStatusListener keeps them: created by whichever comes first of
// ExecutorAdded and BlockManagerAdded (the driver only ever has the latter in old local-mode logs), task
// totals from task ends, peaks from executor metrics. Output is the REST `allexecutors` entry.

interface LiveExecutor {
  id: string;
  hostPort?: string;
  host?: string;
  isActive: boolean;
  totalCores: number;
  maxTasks: number;
  activeTasks: number;
  failedTasks: number;
  completedTasks: number;
  totalTasks: number;
  totalDuration: number;
  totalGCTime: number;
  totalInputBytes: number;
  totalShuffleRead: number;
  totalShuffleWrite: number;
  isExcluded: boolean;
  excludedInStages: Set<number>;
  maxMemory: number;
  totalOnHeap?: number;
  totalOffHeap?: number;
  addTime: number;
  removeTime?: number;
  removeReason?: string;
  executorLogs: Obj;
  attributes: Obj;
  resources: Obj;
  resourceProfileId: number;
  peaks: Record<string, number>;
  /** Metrics were reported (a task end or a metrics event): only then does the History Server show peaks. */
  measured: boolean;
}

export class ExecutorTracker {
  private readonly byId = new Map<string, LiveExecutor>();

  constructor(private readonly cpusPerTask: () => number) {}

  private get(id: string, time: number): LiveExecutor {
    let ex = this.byId.get(id);
    if (!ex) {
      ex = {
        id,
        isActive: true,
        totalCores: 0,
        maxTasks: 0,
        activeTasks: 0,
        failedTasks: 0,
        completedTasks: 0,
        totalTasks: 0,
        totalDuration: 0,
        totalGCTime: 0,
        totalInputBytes: 0,
        totalShuffleRead: 0,
        totalShuffleWrite: 0,
        isExcluded: false,
        excludedInStages: new Set(),
        maxMemory: 0,
        addTime: time,
        executorLogs: {},
        attributes: {},
        resources: {},
        resourceProfileId: 0,
        peaks: {},
        measured: false,
      };
      this.byId.set(id, ex);
    }
    return ex;
  }

  added(e: Obj): void {
    const info = obj(e['Executor Info']);
    const ex = this.get(executorId(e['Executor ID']) ?? '?', num(e.Timestamp));
    ex.host = str(info.Host);
    ex.isActive = true;
    ex.totalCores = num(info['Total Cores']);
    ex.maxTasks = Math.floor(ex.totalCores / Math.max(1, this.cpusPerTask()));
    ex.executorLogs = obj(info['Log Urls']);
    ex.attributes = obj(info.Attributes);
    ex.resources = obj(info.Resources);
    ex.resourceProfileId = num(info['Resource Profile Id']);
  }

  /**
   * YARN cluster mode: the driver's log links and attributes come with the application's start (Driver Logs, Driver
   * Attributes), for a driver already registered, as the History Server reads them.
   */
  driverLogs(logs: unknown, attributes: unknown): void {
    const driver = this.byId.get('driver');
    if (!driver || logs === undefined || logs === null) return;
    driver.executorLogs = obj(logs);
    driver.attributes = obj(attributes);
  }

  blockManagerAdded(e: Obj): void {
    const bm = obj(e['Block Manager ID']);
    const ex = this.get(executorId(bm['Executor ID']) ?? '?', num(e.Timestamp));
    const host = str(bm.Host);
    if (host !== undefined) ex.hostPort = `${host}:${num(bm.Port)}`;
    if (typeof e['Maximum Onheap Memory'] === 'number') {
      ex.totalOnHeap = num(e['Maximum Onheap Memory']);
      ex.totalOffHeap = num(e['Maximum Offheap Memory']);
    }
    ex.isActive = true;
    ex.maxMemory = num(e['Maximum Memory']);
  }

  removed(e: Obj): void {
    const ex = this.byId.get(executorId(e['Executor ID']) ?? '');
    if (!ex) return;
    ex.isActive = false;
    ex.removeTime = num(e.Timestamp);
    ex.removeReason = str(e['Removed Reason']);
  }

  excluded(id: string | undefined, value: boolean): void {
    const ex = id === undefined ? undefined : this.byId.get(id);
    if (ex) ex.isExcluded = value;
  }

  nodeExcluded(host: string | undefined, value: boolean): void {
    // As the History Server does, a node's exclusion marks its executors, not the driver running there.
    for (const ex of this.byId.values())
      if (ex.id !== 'driver' && (ex.host === host || ex.hostPort?.startsWith(`${host}:`))) ex.isExcluded = value;
  }

  excludedForStage(id: string | undefined, stageId: number): void {
    const ex = id === undefined ? undefined : this.byId.get(id);
    if (ex) ex.excludedInStages.add(stageId);
  }

  /** The tasks executor `id` could run at once (its cores over spark.task.cpus); undefined when never added. */
  taskSlots(id: string): number | undefined {
    const slots = this.byId.get(id)?.maxTasks;
    return slots ? slots : undefined;
  }

  stageDone(stageId: number): void {
    for (const ex of this.byId.values()) ex.excludedInStages.delete(stageId);
  }

  taskStarted(id: string): void {
    const ex = this.byId.get(id);
    if (!ex) return;
    ex.activeTasks += 1;
    ex.totalTasks += 1;
  }

  taskEnded(
    id: string,
    outcome: 'success' | 'failed' | 'killed',
    durationMs: number,
    m: StageMetrics | undefined,
    countMetrics: boolean,
  ): void {
    const ex = this.byId.get(id);
    if (!ex) return;
    ex.activeTasks -= 1;
    ex.measured = true;
    if (outcome === 'success') ex.completedTasks += 1;
    else if (outcome === 'failed') ex.failedTasks += 1;
    ex.totalDuration += durationMs;
    if (m && countMetrics) {
      ex.totalGCTime += m.jvmGcTime;
      ex.totalInputBytes += m.inputBytes;
      ex.totalShuffleRead += m.shuffleReadBytes;
      ex.totalShuffleWrite += m.shuffleWriteBytes;
    }
  }

  peaks(id: string | undefined, metrics: unknown): void {
    const ex = id === undefined ? undefined : this.byId.get(id);
    if (!ex) return;
    ex.measured = true;
    mergePeaks(ex.peaks, metrics);
  }

  /**
   * At the application's end the History Server reports the driver's time as the application's duration and
   * its GC time from its own metrics, not from tasks (the conformance test holds this to Spark's output).
   */
  applicationEnded(durationMs: number): void {
    const driver = this.byId.get('driver');
    if (!driver) return;
    driver.totalDuration = durationMs;
    driver.totalGCTime = driver.peaks.TotalGCTime ?? 0;
  }

  /** The REST `allexecutors` list; the driver first, as the History Server lists it. */
  toRest(): Obj[] {
    const all = [...this.byId.values()].sort((a, b) => Number(b.id === 'driver') - Number(a.id === 'driver'));
    return all.map((ex) => {
      const out: Obj = {
        id: ex.id,
        hostPort: ex.hostPort ?? ex.host ?? '',
        isActive: ex.isActive,
        rddBlocks: 0,
        memoryUsed: 0,
        diskUsed: 0,
        totalCores: ex.totalCores,
        maxTasks: ex.maxTasks,
        activeTasks: ex.activeTasks,
        failedTasks: ex.failedTasks,
        completedTasks: ex.completedTasks,
        totalTasks: ex.totalTasks,
        totalDuration: ex.totalDuration,
        totalGCTime: ex.totalGCTime,
        totalInputBytes: ex.totalInputBytes,
        totalShuffleRead: ex.totalShuffleRead,
        totalShuffleWrite: ex.totalShuffleWrite,
        isBlacklisted: ex.isExcluded,
        maxMemory: ex.maxMemory,
        addTime: shsDate(ex.addTime),
      };
      if (ex.removeTime !== undefined) out.removeTime = shsDate(ex.removeTime);
      if (ex.removeReason !== undefined) out.removeReason = ex.removeReason;
      out.executorLogs = ex.executorLogs;
      if (ex.totalOnHeap !== undefined) {
        out.memoryMetrics = {
          usedOnHeapStorageMemory: 0,
          usedOffHeapStorageMemory: 0,
          totalOnHeapStorageMemory: ex.totalOnHeap,
          totalOffHeapStorageMemory: ex.totalOffHeap ?? 0,
        };
      }
      out.blacklistedInStages = [...ex.excludedInStages];
      if (ex.measured) out.peakMemoryMetrics = fullPeaks(ex.peaks);
      out.attributes = ex.attributes;
      out.resources = ex.resources;
      out.resourceProfileId = ex.resourceProfileId;
      out.isExcluded = ex.isExcluded;
      out.excludedInStages = [...ex.excludedInStages];
      return out;
    });
  }
}
