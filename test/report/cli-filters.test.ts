import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite.js';
import { spot } from '../support/cli.js';
import { fillRuns } from './fill.js';

// `spot report --app --user --since --cluster` through the compiled CLI.

const homes: string[] = [];
after(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

test('report filters: named on the page; a bad --since is a usage error', async () => {
  const home = mkdtempSync(join(tmpdir(), 'spot-report-filters-'));
  homes.push(home);
  const store = await SqliteStore.open(join(home, 'spot.db'));
  await fillRuns(store, 3);
  await store.close();
  const out = join(home, 'r.html');
  const res = await spot(home, ['report', '--out', out, '--app', 'daily_sales', '--since', '2024-03-01']);
  assert.equal(res.code, 0, res.stderr);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /Filtered to app daily_sales, runs ended since 2024-03-01\./);
  assert.match(html, /<h3>daily_sales<\/h3>/);
  assert.doesNotMatch(html, /<h3>(?!daily_sales)/);
  const bad = await spot(home, ['report', '--out', out, '--since', 'yesterday']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--since must be an ISO date/);
});
