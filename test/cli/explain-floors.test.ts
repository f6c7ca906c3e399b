import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spot } from '../support/cli.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { aggDoc } from '../store/factories.js';
import type { Advice } from '../../src/types.js';
import { appId, history } from './explain-history.js';

// `spot explain APP_ID` for a run launched without advice answers as spot-submit would for its launch: the run's
// own Spark properties set the floors Spark would hold the advice to (submit/spark-floors.ts).

describe('spot explain APP_ID: the floors of the run’s own properties', () => {
  let home: string;
  const runs = history();
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'spot-explain-floors-'));
    const store = await SqliteStore.open(join(home, 'spot.db'));
    await store.putRecords(runs);
    const withMin = aggDoc(appId(3), { name: 'etl' });
    withMin.attempt.environment = {
      sparkProperties: {
        spark_executor_cores: 4,
        spark_dynamicAllocation_enabled: true,
        spark_dynamicAllocation_minExecutors: 30,
      },
    };
    await store.putAgg([withMin, aggDoc(appId(4), { name: 'etl' })]);
    await store.close();
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  const explained = async (id: string) => {
    const r = await spot(home, ['explain', '--json', id]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).advice as Advice;
  };

  test('a run whose properties hold dynamic allocation at 30 executors at least is advised no fewer', async () => {
    const free = await explained(appId(4));
    assert.ok(
      free.candidates.some((c) => c.settings.executors < 30),
      'without the floor fewer are offered',
    );
    const held = await explained(appId(3));
    for (const c of held.candidates) assert.ok(c.settings.executors >= 30, JSON.stringify(c.settings));
    assert.deepEqual(held.reasons?.find((r) => r.code === 'dynamic-allocation-floor')?.values, { minExecutors: 30 });
  });
});
