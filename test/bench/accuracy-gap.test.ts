import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { selectionGap } from '../../bench/accuracy/gap.js';
import { cellOf as cell } from './cell-score.js';

// bench/accuracy's gap between the selection and the best single model, with its bootstrap interval.

describe('selection gap', () => {
  test('a selection worse on every job by 5 points has a gap of +5 points, its interval above zero', () => {
    const g = selectionGap(
      cell(
        Array.from({ length: 20 }, (_, i) => {
          const e = 0.02 + 0.01 * (i % 7);
          return { group: i, errors: { selection: [e + 0.05], a: [e], b: [e + 0.1] } };
        }),
      ),
    );
    assert.ok(Math.abs(g.gap - 0.05) < 1e-9);
    assert.ok(g.low > 0 && g.low <= g.gap && g.gap <= g.high);
  });

  test('the best single model is picked again in each resample: two models that each win half the jobs', () => {
    // The selection errs like a on half the jobs and like b on the other half, each the better one there: as a
    // pooled median it matches neither's, and resampling whole jobs shows how far luck moves the comparison.
    const cases = Array.from({ length: 20 }, (_, i) => ({
      group: i,
      errors: i % 2 ? { selection: [0.05], a: [0.05], b: [0.2] } : { selection: [0.05], a: [0.2], b: [0.05] },
    }));
    const g = selectionGap(cell(cases));
    assert.ok(g.gap < 0, 'the selection beats both');
    assert.ok(g.low < 0 && g.high <= 0.15 + 1e-9);
  });

  test('the runs of one job are resampled together', () => {
    // One job left out 50 times (50 cases) counts as one draw, not as 50.
    const many = Array.from({ length: 50 }, () => ({ group: 0, errors: { selection: [0.3], a: [0.01] } }));
    const few = Array.from({ length: 9 }, (_, i) => ({ group: i + 1, errors: { selection: [0.01], a: [0.02] } }));
    const g = selectionGap(cell([...many, ...few]));
    assert.ok(g.gap > 0.2, 'pooled, the one long job dominates');
    assert.ok(g.low < 0, 'most resamples draw it at most once or twice among ten');
  });
});
