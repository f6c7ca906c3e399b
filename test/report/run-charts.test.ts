import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHARTS } from '../../src/report/charts/index.js';
import { loadReportData, type ReportData } from '../../src/report/data.js';
import type { RunRow } from '../../src/report/rows.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { RunStore } from '../../src/store/types.js';
import { fillRuns, putErrors } from './fill.js';

// The charts of runs alone are started on the run rows while the rest of the report's data is read (a chart
// thread draws them beside the reading): they must be the charts the whole data builds, and the run rows must
// come before the rest is read.

const dir = mkdtempSync(join(tmpdir(), 'spot-run-charts-'));
let store: SqliteStore;
before(async () => {
  store = await SqliteStore.open(join(dir, 'spot.db'));
  await fillRuns(store, 12);
  await putErrors(store, 3);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The store, noting each read in `calls`. */
function noting(calls: string[]): RunStore {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('charts of runs alone', () => {
  test('build from the run rows what they build from the whole data', async () => {
    const data = await loadReportData(store);
    const runCharts = CHARTS.filter((def) => def.reads === 'runs');
    assert.ok(runCharts.length >= 5, 'the duration, input, core-hour and configuration charts');
    for (const def of runCharts) {
      assert.deepEqual(def.build({ runs: data.runs } as ReportData), def.build(data), def.id);
    }
  });

  test('get the final run rows before the attempts are read', async () => {
    const calls: string[] = [];
    let handed: RunRow[] | undefined;
    const data = await loadReportData(noting(calls), {
      runsRead: (runs) => {
        calls.push('runsRead');
        handed = runs;
      },
    });
    assert.deepEqual(handed, data.runs);
    assert.ok(calls.indexOf('runsRead') < calls.indexOf('attemptSummaries'), calls.join(', '));
  });

  test('filtered, get them once the attempts that filter them are read', async () => {
    const calls: string[] = [];
    let handed: RunRow[] | undefined;
    const data = await loadReportData(noting(calls), {
      filter: { app: 'no-such-job' },
      runsRead: (runs) => {
        calls.push('runsRead');
        handed = runs;
      },
    });
    assert.deepEqual(handed, data.runs);
    assert.ok(calls.indexOf('runsRead') > calls.indexOf('attemptSummaries'), calls.join(', '));
  });
});
