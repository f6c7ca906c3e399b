import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createContext, type CliContext } from '../../src/cli/context.js';
import { runRuns } from '../../src/cli/runs.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { RunStore } from '../../src/store/types.js';
import { aggDoc, runRecord, T0 } from '../store/factories.js';

// `spot runs` lists crawled attempts found by name beside runs found by job key: each listed run's document is read
// once, not once by name and again by key (on Elasticsearch, one round trip per run).

const dir = mkdtempSync(join(tmpdir(), 'spot-runs-reads-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MIN = 60_000;

/** 20 attempts of job 'etl' named 'etl'; 5 more of its key named otherwise (found by key only); 3 imported runs. */
async function store(): Promise<void> {
  const s = await SqliteStore.open(join(dir, 'spot.db'));
  try {
    const named = Array.from({ length: 20 }, (_, i) =>
      aggDoc(`application_1_${i}`, { endMs: T0 + i * MIN, name: 'etl' }),
    );
    const other = Array.from({ length: 5 }, (_, i) =>
      aggDoc(`application_2_${i}`, { endMs: T0 + (i * 4 + 1) * MIN + 30_000, name: 'etl-renamed' }),
    );
    await s.putAgg([...named, ...other]);
    await s.putRecords([
      ...named.map((d) => runRecord(d.docId, 'etl', Date.parse(d.attempt.endTime), { appId: d.id })),
      ...other.map((d) => runRecord(d.docId, 'etl', Date.parse(d.attempt.endTime), { appId: d.id })),
      ...[0, 1, 2].map((i) => runRecord(`imp-${i}`, 'etl', T0 + (i * 7 + 2) * MIN, { source: 'import' })),
    ]);
  } finally {
    await s.close();
  }
}

/** `spot runs ARGS --json` in this process, with the store's getAgg calls counted. */
async function listed(opts: { app?: string; limit?: number }): Promise<{ ids: string[]; getAgg: number }> {
  let out = '';
  const ctx = await createContext({
    env: { SPOT_HOME: dir, SPOT_STORE_PATH: join(dir, 'spot.db') },
    out: {
      write: (t) => {
        out += t;
      },
      isTTY: false,
    },
    err: { write: () => undefined, isTTY: false },
  });
  let getAgg = 0;
  const counted = (s: RunStore): RunStore =>
    new Proxy(s, {
      get: (target, key, receiver) => {
        const v = Reflect.get(target, key, receiver);
        if (key !== 'getAgg' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
        return (...args: unknown[]) => {
          getAgg++;
          return v.apply(target, args);
        };
      },
    });
  const wrapped: CliContext = {
    ...ctx,
    store: async () => counted(await ctx.store()),
    existingStore: async () => counted(await ctx.existingStore()),
    readStore: async () => counted(await ctx.readStore()),
  };
  try {
    assert.equal(await runRuns({ ...opts, json: true }, wrapped), 0);
  } finally {
    await ctx.close();
  }
  const rows = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { attempt?: { docId?: string }; id?: string; docId?: string });
  return { ids: rows.map((r) => r.docId ?? r.id ?? JSON.stringify(r).slice(0, 40)), getAgg };
}

test('each listed run is read once: by name, or by key where its name differs, never both', async () => {
  await store();
  const all = await listed({ limit: 100 });
  assert.equal(all.ids.length, 28, all.ids.join(' '));
  assert.equal(new Set(all.ids).size, 28);
  assert.equal(all.getAgg, 0, 'without --app every crawled attempt is found by name');
  const job = await listed({ app: 'etl', limit: 100 });
  assert.equal(job.ids.length, 28, job.ids.join(' '));
  assert.equal(job.getAgg, 5, 'only the attempts found by key alone');
  // Newest first, as before.
  const few = await listed({ app: 'etl', limit: 6 });
  assert.equal(few.ids.length, 6);
  assert.ok(few.getAgg <= 2, `${few.getAgg}`);
});
