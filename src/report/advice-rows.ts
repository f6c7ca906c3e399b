import type { Advice, Candidate, RunRecord, Settings } from '../types.js';

// What a launch with advice promised against what it did. The advisor stores the baseline candidate first
// and the chosen one among the rest; the run that followed is the crawled record the advice links to
// (Spark's own duration and allocated core time), else the wall time spot-submit measured.

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
  actualCoreHours?: number;
}

const SETTING_KEYS: (keyof Settings)[] = ['executors', 'executorCores', 'executorMemoryBytes', 'shufflePartitions'];

function matches(c: Candidate, want: Partial<Settings>): boolean {
  return SETTING_KEYS.every((k) => (c.settings[k] ?? 0) === (want[k] ?? 0));
}

/** The candidate whose settings are the chosen ones (chosen keys over the baseline candidate's). */
export function chosenCandidate(a: Advice): Candidate | undefined {
  const base = a.candidates[0];
  if (!base) return undefined;
  const want = { ...base.settings, ...a.chosen };
  return a.candidates.find((c) => matches(c, want)) ?? (a.candidates.length === 1 ? base : undefined);
}

export function adviceRows(advice: Advice[], records: RunRecord[]): AdviceRow[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  const rows: AdviceRow[] = [];
  for (const a of advice) {
    const base = a.candidates[0];
    const chosen = chosenCandidate(a);
    const createdMs = Date.parse(a.createdAt);
    if (!base || !chosen || !Number.isFinite(createdMs)) continue; // rule-based advice has no prediction to check
    const applied = a.mode !== 'shadow' && Object.keys(a.injected).length > 0;
    const ran = applied ? chosen : base;
    const row: AdviceRow = {
      id: a.id,
      app: a.app,
      createdMs,
      day: Math.floor(createdMs / 86_400_000) * 86_400_000,
      applied,
      predictedMs: ran.prediction.durationMs,
      lowMs: ran.prediction.low,
      highMs: ran.prediction.high,
      baselineCoreHours: base.coreHours,
      predictedCoreHours: ran.coreHours,
    };
    const run = a.outcome?.runId !== undefined ? byId.get(a.outcome.runId) : undefined;
    if (run) {
      row.actualMs = run.durationMs;
      row.actualFrom = 'run';
      if (run.coreMs !== undefined) row.actualCoreHours = run.coreMs / 3.6e6;
    } else if (a.outcome?.wallMs !== undefined) {
      row.actualMs = a.outcome.wallMs;
      row.actualFrom = 'wall';
    }
    rows.push(row);
  }
  return rows;
}
