import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adviceOutcomes, outcomeSpread } from '../../src/advisor/outcomes.js';
import type { Advice, Candidate } from '../../src/types.js';
import { askEtl, runs } from './history.js';

const cand = (executors: number, durationMs: number, rejected?: string): Candidate => ({
  settings: { executors, executorCores: 4 },
  prediction: { durationMs, low: durationMs, high: durationMs },
  coreHours: 1,
  ...(rejected ? { rejected } : {}),
});
const advice = (id: string, candidates: Candidate[]): Pick<Advice, 'id' | 'candidates'> => ({ id, candidates });

describe("the advised runs' track record", () => {
  test('pairs each advised run with the prediction for the settings it actually ran with', () => {
    const [r0, r1, r2] = runs(3);
    const records = [
      { ...r0!, executors: 8, executorCores: 4, adviceId: 'a0', durationMs: 60_000 },
      { ...r1!, executors: 16, executorCores: 4, adviceId: 'a1', durationMs: 50_000 },
      { ...r2!, executors: 16, executorCores: 4, durationMs: 40_000 }, // launched without Spot: no prediction
    ];
    const out = adviceOutcomes(records, [
      advice('a0', [cand(16, 45_000), cand(8, 50_000)]),
      advice('a1', [cand(16, 48_000), cand(8, 70_000, 'too slow')]),
    ]);
    assert.deepEqual(out, [
      { predictedMs: 50_000, actualMs: 60_000 },
      { predictedMs: 48_000, actualMs: 50_000 },
    ]);
  });

  test("measures a run against the model's own point, not the floor a cut's point was held at", () => {
    const [r0, r1] = runs(2);
    const records = [
      { ...r0!, executors: 10, executorCores: 4, adviceId: 'a0', durationMs: 16_000 },
      { ...r1!, executors: 10, executorCores: 4, adviceId: 'a1', durationMs: 20_000 },
    ];
    // a0: the model called 10 executors 18 s, the floor held the cut at the baseline's 46 s; a1 was stored before
    // candidates carried the model's point.
    const floored = { ...cand(10, 46_000), modelMs: 18_000 };
    const out = adviceOutcomes(records, [advice('a0', [cand(73, 46_000), floored]), advice('a1', [cand(10, 21_000)])]);
    assert.deepEqual(out, [
      { predictedMs: 18_000, actualMs: 16_000 },
      { predictedMs: 21_000, actualMs: 20_000 },
    ]);
  });

  test('a failed run or one with no matching candidate says nothing', () => {
    const [r0, r1] = runs(2);
    const records = [
      { ...r0!, adviceId: 'a0', succeeded: false },
      { ...r1!, executors: 3, adviceId: 'a1' },
    ];
    assert.deepEqual(
      adviceOutcomes(records, [advice('a0', [cand(r0!.executors, 1)]), advice('a1', [cand(16, 1)])]),
      [],
    );
  });

  test('its spread counts from three runs on, about the median miss', () => {
    assert.equal(
      outcomeSpread([
        { predictedMs: 1, actualMs: 2 },
        { predictedMs: 1, actualMs: 3 },
      ]),
      0,
    );
    const steady = [1.2, 1.2, 1.2, 1.2].map((f) => ({ predictedMs: 1000, actualMs: 1000 * f }));
    assert.ok(outcomeSpread(steady) < 1e-9, 'a steady miss is bias, not spread');
    const scattered = [0.7, 1.0, 1.4, 0.8, 1.3].map((f) => ({ predictedMs: 1000, actualMs: 1000 * f }));
    assert.ok(outcomeSpread(scattered) > 0.2, String(outcomeSpread(scattered)));
  });

  test('advised runs that kept missing widen the intervals the advisor scores candidates with', () => {
    const ask = (outcomes = [] as { predictedMs: number; actualMs: number }[]) =>
      askEtl({ adviceIdFactory: () => 'adv', outcomes });
    const width = (a: Advice) => a.candidates[0]!.prediction.high / a.candidates[0]!.prediction.low;
    const missed = [0.6, 1.0, 1.5, 0.7, 1.4, 1.0].map((f) => ({ predictedMs: 60_000, actualMs: 60_000 * f }));
    assert.ok(width(ask(missed)) > width(ask()) * 1.05, `${width(ask(missed))} vs ${width(ask())}`);
  });
});
