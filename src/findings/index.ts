import type { AggDoc, JsonObject, JsonValue } from '../types.js';
import { summaryView } from '../metrics/summary-view.js';
import { adaptiveSettings } from '../documents/adaptive.js';
import { executorImbalance } from './executor-imbalance.js';
import { failedStages, failedTasks } from './failures.js';
import { gcShare } from './gc-share.js';
import { idleExecutors } from './idle-executors.js';
import { overAllocation } from './over-allocation.js';
import { largePartitions, smallPartitions } from './partitions.js';
import { smallOutputFiles } from './small-output-files.js';
import { spill } from './spill.js';
import { taskSkew } from './task-skew.js';
import {
  LEVELS,
  type Finding,
  type FindingDef,
  type FindingId,
  type FindingInput,
  type Level,
  type TaskFigures,
} from './types.js';

export type { Finding, FindingId, Level } from './types.js';
export { LEVELS } from './types.js';

/** Every finding, in the order they are shown. */
export const FINDINGS: readonly FindingDef[] = [
  failedStages,
  failedTasks,
  overAllocation,
  idleExecutors,
  gcShare,
  spill,
  taskSkew,
  executorImbalance,
  smallPartitions,
  largePartitions,
  smallOutputFiles,
];

export type Thresholds = Record<FindingId, readonly number[]>;

/** The highest level whose threshold the value reaches; undefined below 'low'. */
export function grade(value: number, thresholds: readonly number[], higherIsWorse: boolean): Level | undefined {
  let level: Level | undefined;
  LEVELS.forEach((l, i) => {
    const t = thresholds[i];
    if (t !== undefined && (higherIsWorse ? value >= t : value <= t)) level = l;
  });
  return level;
}

const obj = (v: JsonValue | undefined): JsonObject => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});

function findingInput(doc: AggDoc): FindingInput {
  const aggs = obj(doc.attempt.aggs as unknown as JsonValue);
  const tasks = obj(doc.attempt.x_tasks);
  const props = obj(obj(doc.attempt.environment).sparkProperties);
  return {
    durationMs: typeof doc.attempt.duration === 'number' ? doc.attempt.duration : 0,
    summary: summaryView(obj(aggs.summary)),
    stageAggs: obj(aggs.stages),
    executorAggs: obj(obj(aggs.allexecutors).executors),
    sparkProperties: props,
    adaptive: adaptiveSettings(props, doc.attempt.appSparkVersion),
    tasks:
      typeof tasks.tasks === 'number' && Array.isArray(tasks.stages) ? (tasks as unknown as TaskFigures) : undefined,
  };
}

/**
 * The findings of one run, worst first. A finding that throws, or measures a non-finite value, is left out
 * and named in `errors`: one broken finding never hides the others.
 */
export function findingsOf(
  doc: AggDoc,
  thresholds: Thresholds,
  defs: readonly FindingDef[] = FINDINGS,
): { findings: Finding[]; errors: Record<string, string> } {
  const input = findingInput(doc);
  const findings: Finding[] = [];
  const errors: Record<string, string> = {};
  for (const def of defs) {
    try {
      const m = def.measure(input);
      if (!m) continue;
      if (!Number.isFinite(m.value)) throw new Error(`value is ${m.value}`);
      const level = grade(m.value, thresholds[def.id], def.higherIsWorse);
      const setting = typeof def.setting === 'function' ? def.setting(input) : def.setting;
      if (level)
        findings.push({ ...m, id: def.id, level, thresholds: thresholds[def.id], ...(setting ? { setting } : {}) });
    } catch (err) {
      errors[def.id] = err instanceof Error ? err.message : String(err);
    }
  }
  findings.sort((a, b) => LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level));
  return { findings, errors };
}
