import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inputSizeProblem, parseInputSize } from '../../src/common/units.js';

const GIB = 1024 ** 3;

describe('parseInputSize: the input sizes people give Spot', () => {
  test("Spark's forms and the IEC spelling of the same binary units", () => {
    for (const v of ['50g', '50gb', '50GB', '50 g', '50GiB', '50gib', ' 50 GiB ', '53687091200', '5.36870912e10'])
      assert.equal(parseInputSize(v), 50 * GIB, v);
    assert.equal(parseInputSize('1.5TiB'), 1.5 * 1024 * GIB);
    assert.equal(parseInputSize('512MiB'), 512 * 1024 ** 2);
  });

  test('no size: words, a unit alone, or more bytes than a number counts exactly (past 8 PiB)', () => {
    for (const v of ['NaN', 'Infinity', 'GiB', 'fifty', '50x', '50gig', '1e30', '12345678901234567890', '9p'])
      assert.equal(parseInputSize(v), undefined, v);
    assert.equal(parseInputSize('7p'), 7 * 1024 ** 5);
  });

  test('why a size was refused: past 8 PiB is named as too large, anything else as no size', () => {
    for (const v of ['9p', '9 PiB', '1e16', '12345678901234567890'])
      assert.equal(inputSizeProblem(v), 'is past 8 PiB, the largest input Spot takes', v);
    for (const v of ['fifty', 'GiB', '50x', '']) assert.equal(inputSizeProblem(v), 'is not a size', v);
  });
});
