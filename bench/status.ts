// `spot status` on a big store: the per-History-Server figures (newest run, latest processing time) come from
// two indexes on agg; the baseline is the same query after dropping them, i.e. a scan of every document.
// Prints figures, asserts nothing. Usage: npm run bench -- status [--runs N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { SqliteStore } from '../src/store/sqlite.js';
import { aggDoc } from '../test/store/factories.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20000' } } });
const RUNS = Number(values.runs);
const HOSTS = 4;
const PAD = 'x'.repeat(4000); // aggregated documents run to kilobytes: the scan has to read them all

const dir = mkdtempSync(join(tmpdir(), 'spot-bench-status-'));
const path = join(dir, 'spot.db');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeStatus(tries: number): Promise<number> {
  const store = await SqliteStore.open(path);
  try {
    const ms: number[] = [];
    for (let i = 0; i < tries; i++) {
      const t = performance.now();
      const sources = await store.sourceActivity(new Date(0));
      ms.push(performance.now() - t);
      if (sources.length !== HOSTS) throw new Error(`expected ${HOSTS} sources, got ${sources.length}`);
    }
    return median(ms);
  } finally {
    await store.close();
  }
}

try {
  const store = await SqliteStore.open(path);
  const T0 = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < RUNS; i += 1000) {
    const docs = Array.from({ length: Math.min(1000, RUNS - i) }, (_, j) => {
      const d = aggDoc(`application_1_${i + j}`, { endMs: T0 + (i + j) * 60_000, host: `shs-${(i + j) % HOSTS}` });
      d.attempt.padding = PAD;
      return d;
    });
    await store.putAgg(docs);
  }
  await store.close();
  const indexed = await timeStatus(7);
  const db = new Database(path);
  db.exec('DROP INDEX agg_host_end; DROP INDEX agg_host_time_processed;');
  db.close();
  const scanned = await timeStatus(3);
  console.log(
    `spot status figures over ${RUNS.toLocaleString('en-US')} aggregated documents from ${HOSTS} History Servers (median):`,
  );
  console.log(`  with the host indexes:          ${indexed.toFixed(2)} ms`);
  console.log(`  baseline, scanning the documents: ${scanned.toFixed(1)} ms (×${(scanned / indexed).toFixed(0)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
