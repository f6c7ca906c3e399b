import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crawlProgress, formatSummary } from '../../src/cli/crawl-progress.js';
import type { CrawlEvent } from '../../src/crawl/index.js';

// What a crawl prints as it goes, to a log file (lines) and to a terminal (a bar, warnings after it).

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { out: { isTTY, write: (t: string) => chunks.push(t) }, text: () => chunks.join('') };
}

const ignored: CrawlEvent = {
  type: 'warning',
  message: 'the History Server ignores minEndDate, maxEndDate or limit (its answer did not fit the query)',
};

for (const isTTY of [false, true]) {
  test(`warnings are printed, each once across a looping crawl's rounds (${isTTY ? 'terminal' : 'log file'})`, () => {
    const err = sink(isTTY);
    const warned = new Set<string>();
    for (let round = 0; round < 2; round++) {
      const progress = crawlProgress(err.out, warned);
      progress.onEvent(ignored);
      progress.onEvent({ type: 'warning', appId: 'app-\u001b[31m1', message: 'Menas is unavailable' });
      progress.stop();
    }
    const lines = err
      .text()
      .split('\n')
      .filter((l) => l.startsWith('spot crawl: warning'));
    assert.deepEqual(lines, [
      'spot crawl: warning: the History Server ignores minEndDate, maxEndDate or limit (its answer did not fit the query)',
      'spot crawl: warning: app-1: Menas is unavailable',
    ]);
  });
}

test('a round with many warnings shows 20 and counts the rest', () => {
  const err = sink(false);
  const progress = crawlProgress(err.out);
  for (let i = 0; i < 25; i++) progress.onEvent({ type: 'warning', appId: `app-${i}`, message: 'entry skipped' });
  progress.stop();
  assert.equal(err.text().match(/^spot crawl: warning: /gm)?.length, 20);
  assert.match(err.text(), /^spot crawl: 5 more warnings not shown$/m);
});

test('the summary counts one listed log as one, not "1 listed logs"', () => {
  const summary = (listed: number, source: 'listings' | 'event-logs') =>
    formatSummary(
      {
        listed,
        new: listed,
        skipped: 0,
        failed: 0,
        gaveUp: 0,
        enriched: 0,
        elapsedMs: 2,
        windows: 1,
        errors: [],
        stopped: false,
      },
      source,
    );
  assert.match(summary(1, 'event-logs'), /\(1 listed log\) in 2 ms/);
  assert.match(summary(14, 'event-logs'), /\(14 listed logs\) in 2 ms/);
  assert.match(summary(1, 'listings'), /\(1 listed in 1 listing\) in 2 ms/);
});

test('the summary writes its elapsed time as other commands write durations', () => {
  const summary = (elapsedMs: number) =>
    formatSummary(
      {
        listed: 2,
        new: 0,
        skipped: 0,
        failed: 2,
        gaveUp: 0,
        enriched: 0,
        elapsedMs,
        windows: 1,
        errors: [],
        stopped: false,
      },
      'event-logs',
    );
  assert.match(summary(41), /\(2 listed logs\) in 41 ms, 48\.8 apps\/s\n$/);
  assert.match(summary(5_423_100), / in 1h 30m, 0\.0 apps\/s/);
  assert.match(summary(2_500), / in 2\.5 s, 0\.8 apps\/s/);
});
