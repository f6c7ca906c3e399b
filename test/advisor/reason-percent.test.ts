import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { reasonText } from '../../src/advisor/reason-text.js';

describe('reason words: whole percents as every command prints them', () => {
  test('an error under half a percent is "<1%", never "0%"; one near 100% never "100%"', () => {
    const whatIf = reasonText({
      code: 'what-if',
      values: { runId: 'r-1', selfError: 0.003, error: 0.9971, crossRunError: 0.04 },
    });
    assert.equal(
      whatIf,
      'one-run what-if from r-1: <1% off its own run, >99% off the other runs of this size (cross-run model: 4%)',
    );
    assert.match(
      reasonText({ code: 'thin-history-what-if', values: { selfError: 0 } }),
      /\(one-run what-if, 0% self-error\)/,
    );
  });
});
