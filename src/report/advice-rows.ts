import { applied, assumedInputBytes, chosenCandidate, ranCandidate } from '../advisor/outcomes.js';
import type { Advice, RunRecord } from '../types.js';

// What a launch with advice promised against what it did. The advisor stores the baseline candidate first
// and the chosen one among the rest; the run that followed is the crawled record the advice links to
// (Spark's own duration), else the wall time spot-submit measured.

export interface AdviceRow {
  id: string;
  app: string;
  createdMs: number;
  day: number;
  /** Whether Spot's settings reached the launch (not shadow mode, something injected). */
  applied: boolean;
  /** Prediction for the settings the run actually had: the chosen ones when applied, else the baseline's. */
  predictedMs: number;
  lowMs: number;
  highMs: number;
  actualMs?: number;
  /** 'run' when the duration is the crawled run's, 'wall' when it is spot-submit's wall clock. */
  actualFrom?: 'run' | 'wall';
  baselineCoreHours: number;
  predictedCoreHours: number;
  /** The crawled run's core-hours counted as the predictions count them (`coreHoursAt`). */
  actualCoreHours?: number;
  /** The crawled run's own core time (its executors' lifetimes, `spot runs`' CORE-H), where it was measured. */
  heldCoreHours?: number;
  /**
   * The launch failed (a non-zero exit code, or its crawled run did not succeed): it has no `actualMs`, since a run
   * cut short says nothing about the prediction, and counted as one it read as far under its low end.
   */
  failed?: { exitCode?: number; afterMs?: number };
  /** The input the prediction was for, when none was measured at launch (outcomes.ts assumedInputBytes). */
  assumedInputBytes?: number;
}

/** Why a failed launch is counted apart (`AdviceRow.failed`), as explain and the report's outcomes say it. */
export const FAILED_APART = 'a failed run is not set against its prediction';

/**
 * Core-hours of the settings a launch ran on for `ms`, counted as the candidates count them: executors × cores ×
 * duration. A crawled run's own core time (its executors' lifetimes) can be far shorter, as where executors come
 * late or leave early; set against a baseline predicted by settings × duration it overstated what advice saved.
 */
export function coreHoursAt(row: Pick<AdviceRow, 'predictedCoreHours' | 'predictedMs'>, ms: number): number {
  return (row.predictedCoreHours * ms) / row.predictedMs;
}

export function adviceRows(advice: Advice[], records: RunRecord[]): AdviceRow[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  const rows: AdviceRow[] = [];
  for (const a of advice) {
    const base = a.candidates[0];
    const createdMs = Date.parse(a.createdAt);
    // Rule-based advice has no prediction to check.
    if (!base || !chosenCandidate(a) || !Number.isFinite(createdMs)) continue;
    const ran = ranCandidate(a)!;
    const row: AdviceRow = {
      id: a.id,
      app: a.app,
      createdMs,
      day: Math.floor(createdMs / 86_400_000) * 86_400_000,
      applied: applied(a),
      predictedMs: ran.prediction.durationMs,
      lowMs: ran.prediction.low,
      highMs: ran.prediction.high,
      baselineCoreHours: base.coreHours,
      predictedCoreHours: ran.coreHours,
    };
    const assumed = assumedInputBytes(a);
    if (assumed !== undefined) row.assumedInputBytes = assumed;
    const run = a.outcome?.runId !== undefined ? byId.get(a.outcome.runId) : undefined;
    const exitCode = a.outcome?.exitCode;
    if ((exitCode !== undefined && exitCode !== 0) || (run && !run.succeeded)) {
      const afterMs = run?.durationMs ?? a.outcome?.wallMs;
      row.failed = { ...(exitCode !== undefined ? { exitCode } : {}), ...(afterMs !== undefined ? { afterMs } : {}) };
    } else if (run) {
      // Saved on the day the run ended, as every other chart counts a run (a demo's advice is made today for runs
      // dated in the past).
      const endMs = Date.parse(run.endTime);
      if (Number.isFinite(endMs)) row.day = Math.floor(endMs / 86_400_000) * 86_400_000;
      row.actualMs = run.durationMs;
      row.actualFrom = 'run';
      row.actualCoreHours = coreHoursAt(row, run.durationMs);
      if (run.coreMs !== undefined) row.heldCoreHours = run.coreMs / 3.6e6;
    } else if (a.outcome?.wallMs !== undefined) {
      row.actualMs = a.outcome.wallMs;
      row.actualFrom = 'wall';
    }
    rows.push(row);
  }
  return rows;
}
