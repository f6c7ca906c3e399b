import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { SqliteStore } from '../../src/store/sqlite.js';
import { buildReport, startRenderPool } from '../../src/report/index.js';
import { chartThreads } from '../../src/report/render-pool.js';
import { renderSvg } from '../../src/report/render.js';
import { fillRuns, putErrors } from './fill.js';

// The chart threads draw what the main thread would: the same page, byte for byte, charts in page order.

const dir = mkdtempSync(join(tmpdir(), 'spot-report-pool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Not a chart Vega-Lite can draw: both ways must fail with the same message. */
const BROKEN = {
  data: { values: [{ a: 1 }] },
  mark: 'no-such-mark',
  encoding: { x: { field: 'a', type: 'quantitative' } },
} as unknown as TopLevelSpec;

describe('chart threads', () => {
  test('two threads write the same page as drawing in this thread', async () => {
    const store = await SqliteStore.open(join(dir, 'spot.db'));
    try {
      await fillRuns(store, 12);
      await putErrors(store, 3);
      const now = new Date('2024-03-20T00:00:00Z');
      const inThread = await buildReport(store, { now });
      const pool = startRenderPool(2);
      let pooled: Awaited<ReturnType<typeof buildReport>>;
      try {
        pooled = await buildReport(store, { now, renderer: pool });
      } finally {
        await pool.close();
      }
      assert.ok(inThread.charts.filter((c) => c.svg).length >= 8, 'the store draws most charts');
      assert.deepEqual(
        pooled.charts.map((c) => c.id),
        inThread.charts.map((c) => c.id),
      );
      assert.equal(pooled.html, inThread.html);
    } finally {
      await store.close();
    }
  });

  test('a chart that cannot be drawn fails in a thread with the message it has in this one', async () => {
    const expected = await renderSvg(BROKEN).then(
      () => assert.fail('the broken spec rendered'),
      (err: Error) => err.message,
    );
    const pool = startRenderPool(2);
    try {
      await assert.rejects(pool.render(BROKEN), (err: Error) => err.message === expected);
      // The thread survives a failed chart and draws the next.
      const svg = await pool.render({
        data: { values: [{ a: 1 }] },
        mark: 'point',
        encoding: { x: { field: 'a', type: 'quantitative' } },
      });
      assert.match(svg, /^<svg/);
    } finally {
      await pool.close();
    }
  });

  test('one thread draws every chart in turn', async () => {
    const one = startRenderPool(1);
    try {
      const specs = [1, 2, 3].map(
        (a) =>
          ({
            data: { values: [{ a }] },
            mark: 'point',
            encoding: { x: { field: 'a', type: 'quantitative' } },
          }) as TopLevelSpec,
      );
      const svgs = await Promise.all(specs.map((s) => one.render(s)));
      assert.deepEqual(svgs, await Promise.all(specs.map((s) => renderSvg(s))));
    } finally {
      await one.close();
    }
  });

  test('charts whose thread stopped are drawn in this thread', async () => {
    const spec = {
      data: { values: [{ a: 1 }] },
      mark: 'point',
      encoding: { x: { field: 'a', type: 'quantitative' } },
    } as TopLevelSpec;
    const stopping = startRenderPool(1, () => new Worker('process.exit(3)', { eval: true }));
    try {
      assert.equal(await stopping.render(spec), await renderSvg(spec));
      assert.equal(await stopping.render(spec), await renderSvg(spec), 'and so is every chart after it');
    } finally {
      await stopping.close();
    }
  });

  test('a chart thread only while a core is free', () => {
    assert.equal(chartThreads(2, 0.5), 1);
    assert.equal(chartThreads(2, 1), 1);
    assert.equal(chartThreads(2, 3.5), 0, 'both cores busy: drawn in the main thread');
    assert.equal(chartThreads(1, 0), 0, 'one core: nothing to overlap with');
    assert.equal(chartThreads(8, 4), 1);
  });

  test('with no thread, charts are drawn in this thread', async () => {
    const one = startRenderPool(0);
    const svg = await one.render({
      data: { values: [{ a: 1 }] },
      mark: 'point',
      encoding: { x: { field: 'a', type: 'quantitative' } },
    });
    assert.match(svg, /^<svg/);
    await one.close();
  });
});
