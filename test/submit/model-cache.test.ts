import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectModel } from '../../models/select.js';
import type { TrainingRow } from '../../models/types.js';
import { advisorSpecs } from '../../src/advisor/explore.js';
import { configSchema } from '../../src/config/schema.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { MODELS_PER_JOB } from '../../src/store/sqlite/models.js';
import type { StoredModel } from '../../src/store/types.js';
import {
  cachingSelect,
  MODEL_VERSION,
  queryPoint,
  rebuildSelection,
  storeSelection,
} from '../../src/submit/model-cache.js';
import { planLaunch } from '../../src/submit/plan.js';
import { prefitJob } from '../../src/submit/prefit.js';
import { spot } from '../support/cli.js';
import type { RunRecord } from '../../src/types.js';

// Fitted models kept in the store: a kept selection rebuilds into the same predictions, a stale or foreign one
// is refitted, and a launch that finds one fits nothing.

const GIB = 1024 ** 3;
const APP = 'com.acme.DailyEtl';

/** A job of serial time plus parallel work over the cores, at several core counts and input sizes. */
function history(n: number): RunRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const executors = [4, 8, 16, 32][i % 4]!;
    const executorCores = 4;
    const inputBytes = (10 + (i % 7) * 5) * GIB;
    const durationMs = Math.round(
      60_000 + ((inputBytes / GIB) * 240_000) / (executors * executorCores) + 500 * (i % 3),
    );
    return {
      id: `application_1_${i}-0`,
      app: APP,
      inputBytes,
      executors,
      executorCores,
      executorMemoryBytes: 8 * GIB,
      durationMs,
      succeeded: true,
      endTime: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
      source: 'import',
    } satisfies RunRecord;
  }).reverse();
}

const rowsOf = (records: RunRecord[]): TrainingRow[] =>
  records.map(({ id, inputBytes, executors, executorCores, executorMemoryBytes, durationMs }) => ({
    id,
    inputBytes,
    executors,
    executorCores,
    executorMemoryBytes,
    durationMs,
  }));
const SETTINGS = [4, 8, 12, 24, 64].map((executors) => ({ executors, executorCores: 4 }));

/** A fresh SQLite store in a temporary folder, closed and removed after `use`. */
async function withStore(use: (store: SqliteStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spot-model-cache-'));
  const store = await SqliteStore.open(join(dir, 'spot.db'));
  try {
    await use(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('model cache', () => {
  test('a kept selection, through JSON, rebuilds into the same model: name, words, points and intervals', () => {
    const rows = rowsOf(history(24));
    const opts = { queryBytes: 20 * GIB, specs: advisorSpecs() };
    const sel = selectModel(rows, opts)!;
    const doc = JSON.parse(JSON.stringify(storeSelection(sel, rows)));
    const back = rebuildSelection(doc, opts)!;
    assert.ok(back, 'rebuilt');
    assert.equal(back.model.name, sel.model.name);
    assert.equal(back.model.describe(), sel.model.describe());
    assert.equal(back.model.validationError, sel.model.validationError);
    assert.equal(back.reason, sel.reason);
    assert.equal(back.spec.constrained, sel.spec.constrained);
    // The runs that bound an answer between observed core counts (models/between.ts) are kept too.
    assert.deepEqual(back.fitted.parts.runs, sel.fitted.parts.runs);
    for (const s of SETTINGS) {
      for (const d of [5 * GIB, 20 * GIB, 200 * GIB]) {
        assert.equal(back.model.predictMs(s, d), sel.model.predictMs(s, d));
        assert.deepEqual(back.model.predict(s, d), sel.model.predict(s, d));
      }
    }
  });

  test('a kept entry is used for the same runs and input-size point; other runs, a tampered entry or another version are refitted', () => {
    const rows = rowsOf(history(24));
    const ask = { queryBytes: 20 * GIB, specs: advisorSpecs() };
    const first = cachingSelect(APP, []);
    const fitted = first.select(rows, ask)!;
    assert.deepEqual(first.state.source, { source: 'fitted', why: 'missing' });
    assert.equal(first.state.fresh.length, 1);
    const kept: StoredModel[] = JSON.parse(JSON.stringify(first.state.fresh));

    const again = cachingSelect(APP, kept);
    const looked = again.select(rows, { ...ask, queryBytes: 20 * GIB + 1000 }); // the same point on the grid
    assert.deepEqual(again.state.source, { source: 'store' });
    assert.equal(again.state.fresh.length, 0);
    assert.equal(looked!.model.predictMs(SETTINGS[1]!, 20 * GIB), fitted.model.predictMs(SETTINGS[1]!, 20 * GIB));

    const moreRuns = cachingSelect(APP, kept);
    moreRuns.select(rowsOf(history(25)), ask);
    assert.deepEqual(moreRuns.state.source, { source: 'fitted', why: 'stale' });

    const tampered: StoredModel[] = JSON.parse(JSON.stringify(kept));
    const parts = (
      tampered[0]!.doc as {
        parts: {
          inside: { params?: Record<string, number>; blend?: { params: Record<string, number> }[] };
          grid?: { params: Record<string, number> };
        };
      }
    ).parts;
    // This history is a grid of sizes and core counts (models/grid.ts): its training runs are answered by the grid.
    assert.ok(parts.grid);
    for (const victim of [parts.inside.params ?? parts.inside.blend![0]!.params, parts.grid.params])
      for (const k of Object.keys(victim)) victim[k] = victim[k]! * 2 + 1;
    const refit = cachingSelect(APP, tampered);
    refit.select(rows, ask);
    assert.deepEqual(
      refit.state.source,
      { source: 'fitted', why: 'stale' },
      'predictions that differ from the stored checks are not trusted',
    );

    const foreign = cachingSelect(
      APP,
      kept.map((m) => ({ ...m, version: `${MODEL_VERSION}-other` })),
    );
    foreign.select(rows, ask);
    assert.deepEqual(foreign.state.source, { source: 'fitted', why: 'stale' });

    const none = cachingSelect(APP, undefined);
    none.select(rows, ask);
    assert.deepEqual(none.state.source, { source: 'fitted', why: 'store-keeps-none' });
    assert.equal(none.state.fresh.length, 0);
  });

  test('input sizes are asked about on a 2% grid', () => {
    assert.equal(queryPoint(undefined).key, '');
    const p = queryPoint(20 * GIB);
    assert.ok(Math.abs(p.bytes! / (20 * GIB) - 1) <= 0.01, 'within half a step');
    assert.equal(queryPoint(p.bytes! * 1.009).key, p.key);
    assert.equal(queryPoint(p.bytes! / 1.009).key, p.key);
    assert.notEqual(queryPoint(p.bytes! * 1.03).key, p.key);
  });

  test('SQLite keeps models per job and input-size point, the newest few', () =>
    withStore(async (store) => {
      const entry = (query: string, i: number): StoredModel => ({
        app: APP,
        query,
        fingerprint: `f${i}`,
        version: MODEL_VERSION,
        storedAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
        doc: { i },
      });
      await store.putModel(entry('1', 0));
      await store.putModel(entry('1', 1)); // the same point: overwritten
      assert.deepEqual(
        (await store.models(APP)).map((m) => [m.query, m.fingerprint, m.doc]),
        [['1', 'f1', { i: 1 }]],
      );
      for (let i = 2; i < MODELS_PER_JOB + 4; i++) await store.putModel(entry(String(i), i));
      const kept = await store.models(APP);
      assert.equal(kept.length, MODELS_PER_JOB);
      assert.equal(kept[0]!.query, String(MODELS_PER_JOB + 3), 'newest first');
      assert.deepEqual(await store.models('another job'), []);
    }));

  test('a launch fits once and keeps it; the next launch with the same runs looks it up and advises the same', () =>
    withStore(async (store) => {
      await store.putRecords(history(24));
      const config = configSchema.parse({});
      // Launches, not dry runs: a dry run keeps no model (plan.ts).
      const argv = [
        '--spot-input-bytes',
        '20g',
        '--master',
        'yarn',
        '--num-executors',
        '16',
        '--executor-cores',
        '4',
        '--class',
        APP,
        'etl.jar',
      ];
      const codes = (a: { reasons?: { code: string }[] } | undefined) => (a?.reasons ?? []).map((r) => r.code);
      const first = await planLaunch(argv, { config, store });
      assert.ok(codes(first.advice).includes('model-fitted-at-launch'), codes(first.advice).join());
      assert.equal((await store.models(APP)).length, 1);
      const second = await planLaunch(argv, { config, store });
      assert.ok(!codes(second.advice).includes('model-fitted-at-launch'), codes(second.advice).join());
      assert.deepEqual(second.advice?.chosen, first.advice?.chosen);
      assert.deepEqual(second.advice?.model, first.advice?.model);
      assert.deepEqual(second.advice?.candidates, first.advice?.candidates);
    }));

  test('a job fitted when its runs are stored (prefit) is only looked up by its next launch', () =>
    withStore(async (store) => {
      await store.putRecords(history(24));
      const config = configSchema.parse({});
      assert.deepEqual(await prefitJob(store, config, APP), { source: 'fitted', why: 'missing' });
      assert.deepEqual(await prefitJob(store, config, APP), { source: 'store' }, 'a second prefit finds it fresh');
      // No input size given: the launch asks about the latest run's, as the prefit did.
      const argv = [
        '--spot-dry-run',
        '--master',
        'yarn',
        '--num-executors',
        '16',
        '--executor-cores',
        '4',
        '--class',
        APP,
        'etl.jar',
      ];
      const plan = await planLaunch(argv, { config, store });
      assert.ok(plan.advice?.model, 'advised from a model');
      assert.ok(!(plan.advice?.reasons ?? []).some((r) => r.code === 'model-fitted-at-launch'));
    }));

  test('spot import fits the models of the jobs it stored runs of', async () => {
    const home = mkdtempSync(join(tmpdir(), 'spot-model-cache-'));
    try {
      const file = join(home, 'runs.jsonl');
      writeFileSync(
        file,
        `${history(12)
          .map(({ source: _source, ...r }) => JSON.stringify(r))
          .join('\n')}\n`,
      );
      const r = await spot(home, ['import', file]);
      assert.equal(r.code, 0, r.stderr);
      const store = await SqliteStore.open(join(home, 'spot.db'));
      try {
        assert.equal((await store.models(APP)).length, 1);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
