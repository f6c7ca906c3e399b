import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { byGroup } from '../../bench/accuracy/groups.js';
import { scoutCells } from '../../bench/accuracy/scout.js';
import { cellScore as score, selectionAB } from './cell-score.js';

// bench/accuracy --by-cluster and --by-workload: the errors of each cell by the cluster (Scout's VM type) its held-out
// runs ran on, or by the job (Scout's workload) they are of.

describe('errors by cluster and by workload', () => {
  const cases = [
    { group: 0, errors: selectionAB([0.1, 0.5], [0.05, 0.1], [0.2, 0.6]), cluster: 'm4.large', workload: 'lr_spark' },
    { group: 1, errors: selectionAB([0.3], [0.2], [0.1]), cluster: 'c4.xlarge', workload: 'lr_spark' },
    { group: 2, errors: selectionAB([0.2], [0.3], [0.4]), cluster: 'm4.large', workload: 'join_spark' },
  ];

  test('each cluster pools its cases, the single models scored on the same runs', () => {
    assert.deepEqual(byGroup(score(cases), 'cluster'), [
      { group: 'm4.large', predictions: 3, selection: 0.2, best: { name: 'a', error: 0.1 } },
      { group: 'c4.xlarge', predictions: 1, selection: 0.3, best: { name: 'b', error: 0.1 } },
    ]);
  });

  test('each workload pools its cases across clusters', () => {
    assert.deepEqual(byGroup(score(cases), 'workload'), [
      { group: 'lr_spark', predictions: 3, selection: 0.3, best: { name: 'a', error: 0.1 } },
      { group: 'join_spark', predictions: 1, selection: 0.2, best: { name: 'a', error: 0.3 } },
    ]);
  });

  test('a case without the label or without the selection adds nothing', () => {
    const unlabelled = [
      { group: 0, errors: selectionAB([0.1], [0.2], [0.3]) },
      { group: 1, errors: new Map([['a', [0.1]]]), cluster: 'm4.large', workload: 'lr_spark' },
    ];
    assert.deepEqual(byGroup(score(unlabelled), 'cluster'), []);
    assert.deepEqual(byGroup(score(unlabelled), 'workload'), []);
  });

  test("every Scout case names its VM type and workload, of the data set's six each", () => {
    const cells = scoutCells().cells;
    const vms = new Set(cells.flatMap((c) => c.cases.map((k) => k.cluster)));
    assert.deepEqual([...vms].sort(), ['c4.large', 'c4.xlarge', 'm4.large', 'm4.xlarge', 'r4.large', 'r4.xlarge']);
    const workloads = new Set(cells.flatMap((c) => c.cases.map((k) => k.workload)));
    assert.deepEqual([...workloads].sort(), [
      'join_spark',
      'kmeans_spark1.5',
      'lr_spark',
      'naive-bayes_spark1.5',
      'pagerank_spark',
      'regression_spark1.5',
    ]);
  });
});
