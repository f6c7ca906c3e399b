import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite.js';
import { ROOT } from '../support/paths.js';
import { aggDoc, T0 } from '../store/factories.js';
import { type Home, spawnSpot, tempHome } from '../crawl/support.js';

// `spot runs` over a store of many crawled attempts, as a team lists them for a script (`--json --limit 50000 |
// jq`): a crawled attempt's aggregated document is tens of KB (a real History Server's environment, every stage),
// and the listing holds a page of them at a time, not every one it prints. Checked by a heap too small for them all
// (not by the clock): the documents below come to about twice the heap the command is given.

const DOCS = 800;
/** Each document's bulk (about what a production environment and stage list weigh), in characters. */
const BULK = 150_000;
const HEAP_MB = 64;

async function bulkyStore(home: Home): Promise<void> {
  const store = await SqliteStore.open(home.db);
  try {
    for (let i = 0; i < DOCS; i += 100) {
      const docs = Array.from({ length: 100 }, (_, k) => {
        const n = i + k;
        const doc = aggDoc(`application_1700000000000_${String(n).padStart(5, '0')}`, {
          endMs: T0 + n * 60_000,
          name: `job${n % 7}`,
        });
        // Different per document, so that no two share one string in memory.
        (doc.attempt.environment as Record<string, unknown>).padding = `${n}:${'x'.repeat(BULK)}`;
        return doc;
      });
      await store.putAgg(docs);
    }
  } finally {
    await store.close();
  }
}

/** `spot runs ARGS` with a heap of HEAP_MB, its output counted as it comes (lines, bytes), not kept. */
function runCounted(
  args: string[],
  home: Home,
): Promise<{ code: number | null; lines: number; first: string; err: string }> {
  const child = spawnSpot(['runs', ...args], home, {
    env: { NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` },
    piped: true,
  });
  let lines = 0;
  let first = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    if (first.length < 200) first += d.toString('utf8', 0, Math.min(d.length, 200));
    for (const byte of d) if (byte === 10) lines++;
  });
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, lines, first, err: err.slice(-500) })));
}

describe('spot runs over many large documents', () => {
  before(() => assert.ok(existsSync(join(ROOT, 'dist', 'src', 'cli', 'runs.js')), 'run npm run build first'));

  test('--json and the table list every run with a heap too small to hold them all', async () => {
    const home = tempHome('spot-runs-scale-');
    try {
      await bulkyStore(home);
      const json = await runCounted(['--json', '--limit', String(DOCS * 2)], home);
      assert.equal(json.code, 0, json.err);
      assert.equal(json.lines, DOCS);
      // Newest first, as ever.
      assert.match(json.first, /^\{"id":"application_1700000000000_00799"/);
      const table = await runCounted(['--limit', String(DOCS * 2)], home);
      assert.equal(table.code, 0, table.err);
      assert.equal(table.lines, DOCS + 1);
      assert.match(table.first, /^END \(UTC\)/);
    } finally {
      home.cleanup();
    }
  });
});
