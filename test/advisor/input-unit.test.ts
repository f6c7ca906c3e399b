import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inLaunchUnit } from '../../src/advisor/input-unit.js';
import { GIB, runs } from './history.js';

describe('one input-size unit', () => {
  test('a run launched with advice learns under the size measured at its launch; others are scaled by the median ratio', () => {
    const history = runs(5).map((r, i) => ({ ...r, inputBytes: 13 * GIB, ...(i < 3 ? { adviceId: `adv-${i}` } : {}) }));
    // The launches measured 10 GiB each; the crawled stage reads say 13 GiB (an input read 1.3 times).
    const advice = [
      { id: 'adv-0', inputBytes: 10 * GIB },
      { id: 'adv-1', inputBytes: 10 * GIB },
      { id: 'adv-2', inputBytes: 10 * GIB },
    ];
    const u = inLaunchUnit(history, advice);
    assert.equal(u.linked, 3);
    assert.ok(Math.abs(u.ratio - 10 / 13) < 1e-12);
    assert.deepEqual(
      u.records.map((r) => r.inputBytes),
      [10 * GIB, 10 * GIB, 10 * GIB, Math.round(10 * GIB), Math.round(10 * GIB)],
    );
    assert.equal(history[0]!.inputBytes, 13 * GIB, 'the stored records are not changed');
  });

  test('without advice that recorded a size, the crawled sizes stand', () => {
    const history = runs(3);
    const u = inLaunchUnit(history, [{ id: 'other', inputBytes: undefined }]);
    assert.equal(u.ratio, 1);
    assert.equal(u.records, history);
  });
});
