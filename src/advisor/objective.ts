import type { SpotConfig } from '../config/schema.js';
import type { Candidate, Reason } from '../types.js';

// Choosing among scored candidates. A constraint holds with confidence: the HIGH end of the prediction
// interval must meet it, so that aiming at a bound does not overshoot it half of the time.

export interface Choice {
  chosen: Candidate;
  reason: Reason;
}

/** A saving smaller than this is not worth changing a working job for. */
const MIN_SAVING = 0.03;

/** Log-distance from the baseline, to break ties towards the smaller change. */
function distance(c: Candidate, base: Candidate): number {
  const d = (a?: number, b?: number) => (a && b ? Math.abs(Math.log(a / b)) : 0);
  return d(c.settings.executors, base.settings.executors) + d(c.settings.executorCores, base.settings.executorCores);
}

function cheapest(list: Candidate[], base: Candidate): Candidate | undefined {
  return [...list].sort((a, b) => a.coreHours - b.coreHours || distance(a, base) - distance(b, base))[0];
}

/**
 * Why the slowdown limit is measured from another duration than the baseline's point: less, the anchor's (risk.ts
 * referenceMs) or the baseline's replay with a task count a little lower (`wave`, advise.ts); more, by `nearRuns`,
 * what the runs near the baseline's cores took against the model (risk.ts nearRunsMs); less, by `ownRuns`, what the
 * runs on the baseline's own settings took (risk.ts ownRunsMs).
 */
export interface ReferenceWhy {
  wave?: boolean;
  nearRuns?: number;
  /** How many runs on the baseline's own settings put it below its point (risk.ts ownRunsMs). */
  ownRuns?: number;
}

/** The bound a candidate's high end must meet under the objective, and which high end counts. */
function limitOf(config: SpotConfig['advisor'], referenceMs: number, baselineMs: number, why?: ReferenceWhy) {
  let bound: number;
  let limit: Reason['values'];
  if (config.objective === 'deadline' && config.deadlineSeconds) {
    bound = config.deadlineSeconds * 1000;
    limit = { deadlineSeconds: config.deadlineSeconds };
  } else {
    bound = config.maxSlowdown * referenceMs;
    limit = { maxSlowdown: config.maxSlowdown, baselineMs: referenceMs, boundMs: bound };
    if (why?.ownRuns) limit.baselineOwnRuns = why.ownRuns;
    else if (why?.wave) limit.baselineAtWave = true;
    else if (referenceMs < baselineMs) limit.baselineAtAnchor = true;
    if (why?.nearRuns) limit.baselineNearRuns = why.nearRuns;
  }
  // A deadline is met by the run's own duration, all of its noise included; a slowdown is measured against the
  // baseline, whose run would share part of that noise (Candidate.slowdownHigh).
  const byDeadline = limit.deadlineSeconds !== undefined;
  const highOf = (c: Candidate) => (byDeadline ? c.prediction.high : (c.slowdownHigh ?? c.prediction.high));
  return { bound, limit, highOf, byDeadline };
}

/**
 * Whether a change the baseline takes on besides the candidates (its shuffle partitions) meets the limit they had
 * to meet; under the duration objective, whether it is predicted no slower than the baseline.
 */
export function meetsLimit(
  c: Candidate,
  baseline: Candidate,
  config: SpotConfig['advisor'],
  referenceMs = baseline.prediction.durationMs,
  why?: ReferenceWhy,
): boolean {
  if (config.objective === 'duration') return c.prediction.durationMs <= baseline.prediction.durationMs;
  const { bound, highOf } = limitOf(config, referenceMs, baseline.prediction.durationMs, why);
  return highOf(c) <= bound;
}

/**
 * Whether a change the baseline takes on besides the candidates is held, by the high end the limit reads, to no more
 * than the baseline as it stands: priced alike, it cannot be the slower by the models.
 */
export function noRiskierThan(c: Candidate, baseline: Candidate, config: SpotConfig['advisor']): boolean {
  const { highOf } = limitOf(config, baseline.prediction.durationMs, baseline.prediction.durationMs);
  return highOf(c) <= highOf(baseline) * (1 + 1e-9);
}

/**
 * Marks rejected candidates in place and returns the choice. `baseline` is always admissible; the slowdown limit is
 * measured from `referenceMs`, the baseline's point unless the caller has reason to doubt it (risk.ts).
 */
export function choose(
  cands: Candidate[],
  baseline: Candidate,
  config: SpotConfig['advisor'],
  referenceMs = baseline.prediction.durationMs,
  why?: ReferenceWhy,
): Choice {
  const open = cands.filter((c) => !c.rejected);
  const base = baseline.prediction.durationMs;
  if (config.objective === 'duration') {
    const fastest = [...open, baseline].sort((a, b) => a.prediction.durationMs - b.prediction.durationMs)[0]!;
    // Among those predicted within 2% of the fastest, the cheapest.
    const near = [...open, baseline].filter((c) => c.prediction.durationMs <= fastest.prediction.durationMs * 1.02);
    const pick = cheapest(near, baseline)!;
    // Speed is bought only where it is predicted beyond doubt: the pick's high end under the baseline's point. On an
    // outside closed loop "16 s vs 16 s" (3.4% faster, interval 12–20 s) took 1.4× the core-hours and ran no faster.
    if (pick.prediction.durationMs >= base * (1 - MIN_SAVING) || pick.prediction.high >= base)
      return {
        chosen: baseline,
        reason: { code: 'duration-no-faster', values: { minSaving: MIN_SAVING, baselineMs: base } },
      };
    return {
      chosen: pick,
      reason: { code: 'duration-fastest', values: { durationMs: pick.prediction.durationMs, baselineMs: base } },
    };
  }
  const { bound, limit, highOf, byDeadline } = limitOf(config, referenceMs, base, why);
  for (const c of open) {
    if (highOf(c) <= bound) continue;
    c.rejected = {
      code: 'over-bound',
      values: { highMs: highOf(c), boundMs: bound, ...(byDeadline ? { deadline: true } : {}) },
    };
  }
  const feasible = open.filter((c) => !c.rejected);
  if (config.objective === 'deadline' && config.deadlineSeconds && feasible.length === 0) {
    const fastest = [...open, baseline].sort((a, b) => a.prediction.high - b.prediction.high)[0]!;
    return {
      chosen: fastest,
      reason: {
        code: 'deadline-unmet',
        values: { deadlineSeconds: config.deadlineSeconds, highMs: fastest.prediction.high },
      },
    };
  }
  const best = cheapest(feasible, baseline);
  // Under the cost objective the baseline's own high end over the slowdown bound must not make a dearer candidate look
  // like a saving.
  const baselineMeets =
    !(config.objective === 'deadline' && config.deadlineSeconds) || baseline.prediction.high <= bound;
  if (!best || (baselineMeets && best.coreHours >= baseline.coreHours * (1 - MIN_SAVING))) {
    return {
      chosen: baseline,
      reason: {
        code: 'kept-baseline',
        values: { ...limit, minSaving: MIN_SAVING, baselineCoreHours: baseline.coreHours },
      },
    };
  }
  return {
    chosen: best,
    reason: {
      code: 'fewest-core-hours',
      values: { ...limit, coreHours: best.coreHours, baselineCoreHours: baseline.coreHours },
    },
  };
}
