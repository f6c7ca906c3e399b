import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bestPerCase } from '../../bench/accuracy/oracle.js';
import { cellOf } from './cell-score.js';

// bench/accuracy's hindsight mark: each case answered by its own best single model.

/** One case per list item, each its own job. */
const cell = (cases: Record<string, number[]>[]) => cellOf(cases.map((errors) => ({ errors })));

describe('hindsight mark', () => {
  test('each case takes the model best on its own runs, whichever model that is', () => {
    // a wins the first case, b the second: the mark pools a's errors there and b's here.
    const mark = bestPerCase(
      cell([
        { selection: [0.3, 0.3, 0.3], a: [0.01, 0.02, 0.03], b: [0.5, 0.5, 0.5] },
        { selection: [0.3, 0.3, 0.3], a: [0.5, 0.5, 0.5], b: [0.04, 0.05, 0.06] },
      ]),
    );
    assert.equal(mark, 0.035);
  });

  test('the selection is never its own mark', () => {
    const mark = bestPerCase(cell([{ selection: [0, 0, 0], a: [0.1, 0.2, 0.3] }]));
    assert.equal(mark, 0.2);
  });

  test('a cell of one held-out run per case has no mark', () => {
    assert.equal(
      bestPerCase(
        cell([
          { selection: [0.1], a: [0.2] },
          { selection: [0.1], a: [0.3] },
        ]),
      ),
      undefined,
    );
  });
});
