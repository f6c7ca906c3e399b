import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { byCluster } from '../../bench/accuracy/clusters.js';
import { scoutCells } from '../../bench/accuracy/scout.js';
import { cellScore as score, selectionAB } from './cell-score.js';

// bench/accuracy --by-cluster: the errors of each cell by the cluster (Scout's VM type) its held-out runs ran on.

describe('errors by cluster', () => {
  test('each cluster pools its cases, the single models scored on the same runs', () => {
    const clusters = byCluster(
      score([
        { group: 0, errors: selectionAB([0.1, 0.5], [0.05, 0.1], [0.2, 0.6]), cluster: 'm4.large' },
        { group: 1, errors: selectionAB([0.3], [0.2], [0.1]), cluster: 'c4.xlarge' },
        { group: 2, errors: selectionAB([0.2], [0.3], [0.4]), cluster: 'm4.large' },
      ]),
    );
    assert.deepEqual(clusters, [
      { cluster: 'm4.large', predictions: 3, selection: 0.2, best: { name: 'a', error: 0.1 } },
      { cluster: 'c4.xlarge', predictions: 1, selection: 0.3, best: { name: 'b', error: 0.1 } },
    ]);
  });

  test('a case without a cluster or without the selection adds nothing', () => {
    const cases = [
      { group: 0, errors: selectionAB([0.1], [0.2], [0.3]) },
      { group: 1, errors: new Map([['a', [0.1]]]), cluster: 'm4.large' },
    ];
    assert.deepEqual(byCluster(score(cases)), []);
  });

  test("every Scout case names the VM type its runs ran on, one of the data set's six", () => {
    const vms = new Set(scoutCells().cells.flatMap((c) => c.cases.map((k) => k.cluster)));
    assert.deepEqual([...vms].sort(), ['c4.large', 'c4.xlarge', 'm4.large', 'm4.xlarge', 'r4.large', 'r4.xlarge']);
  });
});
