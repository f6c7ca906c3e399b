import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clipToWidth,
  displayWidth,
  escapeXml,
  formatBytes,
  formatDuration,
  formatPercent,
  plural,
  printable,
  thousands,
} from '../src/format.js';

/** Each duration (ms) as formatDuration writes it. */
function assertDurations(cases: [number, string][]): void {
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, `${ms} ms`);
}

describe('format', () => {
  test('durations round before splitting: never "5m 60s" or "41h 60m"', () => {
    assertDurations([
      [9_500, '9.5 s'],
      [9_960, '10 s'],
      [59_400, '59 s'],
      [59_600, '1m 00s'],
      [83_000, '1m 23s'],
      [359_700, '6m 00s'],
      [3_599_600, '1h 00m'],
      [4_000_000, '1h 07m'],
      [(41 * 3600 + 59 * 60 + 45) * 1000, '42h 00m'],
    ]);
    for (let ms = 0; ms < 200 * 3600_000; ms += 499_999) assert.doesNotMatch(formatDuration(ms), /\b60[sm]/);
  });

  test('a duration above zero that seconds would round to nothing reads in milliseconds; zero is "0 s"', () => {
    assertDurations([
      [0, '0 s'],
      [0.3, '<1 ms'],
      [12, '12 ms'],
      [57, '0.1 s'],
      [499, '0.5 s'],
      [500, '0.5 s'],
    ]);
  });

  test('a share that is not 0 or 1 never reads as either', () => {
    assert.deepEqual([0, 0.0004, 0.0005, 0.123, 0.9994, 0.9996, 1].map(formatPercent), [
      '0.0%',
      '<0.1%',
      '0.1%',
      '12.3%',
      '99.9%',
      '>99.9%',
      '100.0%',
    ]);
  });

  test('binary sizes, plurals', () => {
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(50 * 1024 ** 3), '50 GiB');
    assert.equal(plural(1, 'executor'), '1 executor');
    assert.equal(plural(2, 'executor'), '2 executors');
    assert.equal(plural(0, 'app'), '0 apps');
    // One rule for a count with its noun, in every command and the report: thousands separated.
    assert.equal(plural(1204, 'attempt'), '1,204 attempts');
    assert.equal(plural(1, 'joined run'), '1 joined run');
  });

  test('app-supplied text: escape sequences and control characters never reach a terminal or an XML file', () => {
    assert.equal(printable('a\u001b[2Jb\u001b]0;title\u0007c\r\nd\u009be'), 'abc  d e');
    // A right-to-left override would show "etl_gnp.exe" as "etl_exe.png" and reorder the rest of the line.
    assert.equal(printable('etl_\u202egnp.exe\u2066x\u2069'), 'etl_ gnp.exe x ');
    assert.equal(escapeXml('x<y & "z"\u0001\u001b[31m\ud800'), 'x&lt;y &amp; &quot;z&quot;');
  });

  test('counts with thousands separators, as toLocaleString(en-US) writes them', () => {
    for (const n of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 1_234_567_890, -1234, -999, 2.5, 1234.5]) {
      assert.equal(thousands(n), n.toLocaleString('en-US'), String(n));
    }
  });

  test('display width counts terminal cells; clipping keeps within them', () => {
    const cases: [string, number][] = [
      ['job', 3],
      ['日本語', 6],
      ['ｆｕｌｌ', 8],
      ['e\u0301', 1],
      ['\u0301', 0],
      ['🚀', 2],
      ['👍🏽', 2],
      ['❤️', 2],
      ['👩‍💻', 2],
      ['🇯🇵', 2],
      ['한국', 4],
      ['·…', 2],
    ];
    for (const [text, cells] of cases) assert.equal(displayWidth(text), cells, text);
    assert.equal(clipToWidth('日本語のジョブ', 8), '日本語…');
    assert.equal(clipToWidth('日本語のジョブ', 14), '日本語のジョブ');
    assert.equal(clipToWidth('ab🚀cd', 4), 'ab…');
    assert.equal(clipToWidth('cafe\u0301 au lait', 5), 'cafe\u0301…');
  });
});
