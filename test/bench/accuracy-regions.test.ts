import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answeredBy } from '../../bench/accuracy/answered.js';
import { byRegion } from '../../bench/accuracy/regions.js';
import { cellScore as score, selectionAB } from './cell-score.js';
import { selectModel } from '../../models/select.js';
import { GIB, twoCoreRun as run, twoCores as at } from '../models/synthetic.js';

// bench/accuracy's errors by the part of the selection that answered each held-out run.

describe('the part of a selection that answered', () => {
  const rows = [run(2, 10, 400), run(4, 10, 210), run(8, 10, 120), run(16, 10, 80), run(3, 20, 520), run(12, 20, 160)];
  const parts = selectModel(rows, { queryBytes: 10 * GIB })!.fitted.parts;

  test('by where the question lies against the history', () => {
    assert.equal(answeredBy(parts, at(6), 10 * GIB), 'between runs');
    assert.equal(answeredBy(parts, at(32), 10 * GIB), 'above the cores');
    assert.equal(answeredBy(parts, at(1), 10 * GIB), 'below the cores');
    assert.equal(answeredBy(parts, at(6), 15 * GIB), 'inside', 'no run of that size brackets it');
  });

  test('an axis the history hardly varies on answers with an assumed scaling', () => {
    const one = selectModel([run(4, 10, 200), run(4, 10, 210), run(4, 10, 190)], { queryBytes: 10 * GIB })!;
    assert.equal(answeredBy(one.fitted.parts, at(8), 10 * GIB), 'assumed scaling');
  });

  test('an input within the jitter of a recurring input is answered as that input', () => {
    const one = selectModel([run(2, 10, 400), run(4, 10, 210), run(8, 10, 120)], { queryBytes: 10 * GIB })!;
    assert.equal(answeredBy(one.fitted.parts, at(32), 10.001 * GIB), 'above the cores');
    assert.equal(answeredBy(one.fitted.parts, at(32), 20 * GIB), 'assumed scaling');
  });
});

describe('errors by part', () => {
  test('each part pools its runs, the single models scored on the same runs', () => {
    const parts = byRegion(
      score([
        { group: 0, errors: selectionAB([0.1, 0.5, 0.2], [0.05, 0.1, 0.3], [0.2, 0.6, 0.1]), regions: ['x', 'y', 'x'] },
        { group: 1, errors: selectionAB([0.3], [0.2], [0.1]), regions: ['x'] },
      ]),
    );
    assert.deepEqual(parts, [
      { region: 'x', predictions: 3, selection: 0.2, best: { name: 'b', error: 0.1 } },
      { region: 'y', predictions: 1, selection: 0.5, best: { name: 'a', error: 0.1 } },
    ]);
  });

  test('a case without the selection (too short a history) adds nothing', () => {
    assert.deepEqual(byRegion(score([{ group: 0, errors: new Map([['a', [0.1]]]), regions: [] }])), []);
  });
});
