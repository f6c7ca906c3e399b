import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import { loadBundle } from '../../src/report/chart-code.js';
import { CHARTS, YARN_CHARTS } from '../../src/report/charts/index.js';
import { loadReportData, type ReportData } from '../../src/report/data.js';
import { renderSvg } from '../../src/report/render.js';
import type { startRenderPool } from '../../src/report/render-pool.js';
import { WARM_UP } from '../../src/report/warm-up.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { ROOT } from '../support/paths.js';
import { fillRuns, putErrors } from './fill.js';

// The build bundles the chart code with Vega and keeps V8's compiled code of it (scripts/report-bundle.mjs); the
// compiled report draws with that bundle, in a chart thread and in the main thread. Every chart it draws must be
// the one render.ts draws from source, byte for byte.

const BUILT = pathToFileURL(join(ROOT, 'dist', 'report', '/'));
const dir = mkdtempSync(join(tmpdir(), 'spot-chart-code-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let specs: TopLevelSpec[] = [];
before(async () => {
  const store = await SqliteStore.open(join(dir, 'spot.db'));
  try {
    await fillRuns(store, 12);
    await putErrors(store, 3);
    const data: ReportData = await loadReportData(store);
    specs = [...CHARTS, ...YARN_CHARTS].flatMap((def) => {
      const built = def.build(data);
      return 'spec' in built ? [built.spec] : [];
    });
  } finally {
    await store.close();
  }
});

function builtBundle() {
  const bundle = loadBundle(BUILT);
  assert.ok(bundle, 'dist/report/render.cjs exists: build first (npm test does)');
  return bundle;
}

describe('the built chart code', () => {
  test('draws every chart of a report as render.ts does, byte for byte', async () => {
    assert.ok(specs.length >= 8, 'the store draws most charts');
    const { render } = builtBundle();
    for (const spec of [...specs, ...WARM_UP]) assert.equal(await render.renderSvg(spec), await renderSvg(spec));
  });

  test('V8 takes the code cache the build made (this Node built it)', () => {
    assert.equal(builtBundle().cacheRejected, false);
  });

  test('the compiled chart pool draws with it what this thread draws from source', async () => {
    const poolModule = join(ROOT, 'dist', 'src', 'report', 'render-pool.js');
    assert.ok(existsSync(poolModule), 'build first (npm test does)');
    const compiled = (await import(pathToFileURL(poolModule).href)) as { startRenderPool: typeof startRenderPool };
    const pool = compiled.startRenderPool(1);
    try {
      const drawn = await Promise.all(specs.map((spec) => pool.render(spec)));
      assert.deepEqual(drawn, await Promise.all(specs.map((spec) => renderSvg(spec))));
    } finally {
      await pool.close();
    }
  });

  test('a folder without the bundle loads nothing (render.ts draws instead)', () => {
    assert.equal(loadBundle(pathToFileURL(join(dir, '/'))), undefined);
  });
});
