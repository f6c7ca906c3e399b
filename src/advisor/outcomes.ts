import { MIN_OUTCOMES, outcomeResiduals, type Outcome } from '../../models/track-record.js';
import type { Advice, Candidate, RunRecord, Settings } from '../types.js';

// The job's own track record: what each advised run was predicted to take at the settings it ran with, against
// what it took. Its errors are the evidence the models' intervals widen to (models/track-record.ts), since a
// model can validate well on its history and still miss on the runs it advised.

/** Outcomes read, newest first: the recent record is the one that speaks for the next run. */
const MAX_OUTCOMES = 30;

/**
 * The input size an advice planned for without a measured one (the largest its history ran, advise.ts), when so:
 * its predictions are for that input, not the run's, so its interval's coverage says nothing of the model (a 1 GiB
 * run "under the low end" of a 100 GiB prediction). The track record still counts it: how far such a launch's
 * advice lands from its run is the uncertainty the next launch without a size faces (bench/loop --no-input-size
 * --cluster all --seed s6: left out, two jobs went over a limit, the worst launch 1.36× the fixed time).
 */
export function assumedInputBytes(a: Pick<Advice, 'inputBytes' | 'reasons'>): number | undefined {
  if (a.inputBytes !== undefined) return undefined;
  const assumed = a.reasons?.find((r) => r.code === 'input-assumed-largest')?.values.inputBytes;
  return typeof assumed === 'number' ? assumed : undefined;
}

export function adviceOutcomes(records: RunRecord[], advice: Pick<Advice, 'id' | 'candidates'>[]): Outcome[] {
  const byId = new Map(advice.map((a) => [a.id, a]));
  const out: Outcome[] = [];
  for (const r of records) {
    if (out.length >= MAX_OUTCOMES) break;
    const a = r.adviceId !== undefined ? byId.get(r.adviceId) : undefined;
    if (!a || !r.succeeded || r.durationMs <= 0) continue;
    // The prediction for the settings the run actually had (the chosen one in override, the baseline in shadow).
    const c = a.candidates.find(
      (k) => !k.rejected && k.settings.executors === r.executors && k.settings.executorCores === r.executorCores,
    );
    // The model's own point, not the floor above it: a cut's point is held no faster than the baseline's
    // (risk.ts), so where fewer executors really are faster every advised run beats that floor, and counted as the
    // model's error those misses widened every high end until no cut passed (bench/loop --shapes random:200 --seed
    // s6, random 64: back to the fixed 73 executors for good, 0.82× their core-hours, after a run on 10 took a third
    // of their time).
    const predictedMs = c?.modelMs ?? c?.prediction.durationMs ?? 0;
    if (predictedMs > 0) out.push({ predictedMs, actualMs: r.durationMs });
  }
  return out;
}

/**
 * Robust spread (ln units) of the advised runs' errors about their median, from MIN_OUTCOMES on (0 before): a floor
 * under the track's noise, so a job whose advised runs keep missing gets wider margins. Centred, because the
 * band's bias correction already takes out a steady miss.
 */
export function outcomeSpread(outcomes: Outcome[]): number {
  const res = outcomeResiduals(outcomes).map((h) => h.logRatio);
  if (res.length < MIN_OUTCOMES) return 0;
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
  };
  const c = med(res);
  return 1.4826 * med(res.map((x) => Math.abs(x - c)));
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

/** Whether Spot's settings reached the launch (not shadow mode, something injected). */
export const applied = (a: Advice) => a.mode !== 'shadow' && Object.keys(a.injected).length > 0;

/** The candidate whose settings the launch ran with: the chosen one when applied, else the baseline. */
export function ranCandidate(a: Advice): Candidate | undefined {
  return applied(a) ? chosenCandidate(a) : a.candidates[0];
}

/** The 80% interval an advice's model predicted for the settings its launch ran with; none without a model. */
export function ranInterval(a: Advice): { lowMs: number; highMs: number } | undefined {
  const p = a.model && assumedInputBytes(a) === undefined ? ranCandidate(a)?.prediction : undefined;
  return p && { lowMs: p.low, highMs: p.high };
}

/**
 * How many finished launches ran within the interval predicted for them, of how many had both; and how many ran
 * longer than its high end (the side a limit or a deadline is held on).
 */
export function intervalCoverage(
  launches: { lowMs: number; highMs: number; actualMs?: number; assumedInputBytes?: number }[],
): {
  within: number;
  of: number;
  over: number;
} {
  const known = launches.filter((l) => (l.actualMs ?? 0) > 0 && l.highMs > 0 && l.assumedInputBytes === undefined);
  const over = known.filter((l) => l.actualMs! > l.highMs).length;
  const within = known.filter((l) => l.actualMs! >= l.lowMs && l.actualMs! <= l.highMs).length;
  return { within, of: known.length, over };
}
