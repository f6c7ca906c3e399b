import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { configSchema } from '../../src/config/schema.js';
import { crawlEventLogs } from '../../src/crawl/event-logs.js';
import { CHARTS } from '../../src/report/charts/index.js';
import { buildReport } from '../../src/report/index.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { SHS_FIXTURES } from '../support/paths.js';
import { adviceFor, fillRuns, putErrors, XSS_APP } from './fill.js';

// The report as a browser shows it: Debian's chromium driven by playwright-core. Every chart is there and
// drawn, the page logs no console error and makes no network request, and a hostile app name is text.
// CI installs chromium (.ci/run); elsewhere the test skips and says how to get it.

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    const r = spawnSync('which', [name], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

const executablePath = findChromium();
const HANG_MS = 600_000;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('the report in headless Chromium: every chart drawn, no console error, no request, hostile names as text', {
  skip: executablePath ? false : 'chromium is not installed (apt-get install -y chromium)',
}, async () => {
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'spot-chromium-'));
  dirs.push(dir);
  const config = configSchema.parse({});
  const store = await SqliteStore.open(join(dir, 'spot.db'));
  const records = await fillRuns(store, 6);
  await putErrors(store, 3);
  await store.putAdvice(adviceFor(records[0]!, 0));
  // Event-log runs bring task-level findings into the job sections.
  await crawlEventLogs({ store, config, path: join(SHS_FIXTURES, 'spark-events') });
  const report = await buildReport(store, { thresholds: config.findings, now: new Date('2024-03-20T00:00:00Z') });
  await store.close();
  const file = join(dir, 'report.html');
  writeFileSync(file, report.html);

  // Playwright's own limits (launch 180 s, each page action 30 s) are raced on a loaded machine; these only end a hang.
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'], timeout: HANG_MS });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.setDefaultTimeout(HANG_MS);
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => r.url() !== pathToFileURL(file).href && requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    for (const chart of CHARTS) {
      const section = page.locator(`section#${chart.id}`);
      assert.equal(await section.count(), 1, `${chart.id} section`);
      const svg = section.locator('svg').first();
      assert.equal(await svg.count(), 1, `${chart.id} is drawn: ${await section.innerText()}`);
      const box = await svg.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 50, `${chart.id} has a size`);
      assert.ok((await svg.locator('path, rect, line').count()) > 3, `${chart.id} has marks`);
      assert.ok((await section.locator('p.caption').innerText()).length > 40, `${chart.id} has a caption`);
    }
    assert.ok((await page.locator('section.job').count()) >= 2, 'job sections');
    assert.ok((await page.locator('section.job .level-critical').count()) >= 1, 'graded findings in the job sections');

    // The hostile name is shown as text and never runs.
    assert.ok((await page.getByText(XSS_APP, { exact: true }).count()) >= 1, 'hostile app name shown as text');
    assert.equal(await page.locator('script').count(), 0);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(requests, []);
  } finally {
    await browser.close();
  }
});
