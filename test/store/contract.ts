import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunStore, StoredModel } from '../../src/store/types.js';
import type { AggDoc } from '../../src/types.js';
import { hasRecordIds } from '../../src/store/crawl-leases.js';
import { advice, aggDoc, errorDoc, HOUR, iso, rawDoc, runRecord, T0 } from './factories.js';

export type OpenStore = () => Promise<{ store: RunStore; cleanup: () => Promise<void> }>;

/** The behaviour every RunStore must show. Each test gets a fresh, empty store. */
export function runStoreContract(name: string, open: OpenStore): void {
  const withStore = async (fn: (store: RunStore) => Promise<void>): Promise<void> => {
    const { store, cleanup } = await open();
    try {
      await fn(store);
    } finally {
      await store.close();
      await cleanup();
    }
  };
  const docIds = (docs: AggDoc[]) => docs.map((d) => d.docId);

  describe(`RunStore contract: ${name}`, () => {
    describe('raw documents', () => {
      test('put twice keeps one; a later put overwrites; unknown id is undefined', () =>
        withStore(async (s) => {
          assert.equal(await s.getRaw('app-1'), undefined);
          await s.putRaw(rawDoc('app-1', { name: 'First' }));
          await s.putRaw(rawDoc('app-1', { name: 'First' }));
          await s.putRaw(rawDoc('app-1', { name: 'Second' }));
          assert.deepEqual(await s.getRaw('app-1'), rawDoc('app-1', { name: 'Second' }));
          assert.equal(await s.getRaw('app-2'), undefined);
        }));
    });

    describe('aggregated documents', () => {
      test('same document twice is stored once', () =>
        withStore(async (s) => {
          await s.putAgg([aggDoc('app-1')]);
          await s.putAgg([aggDoc('app-1'), aggDoc('app-1')]);
          assert.deepEqual(docIds(await s.query({})), ['app-1-0']);
          assert.deepEqual(await s.getAgg('app-1'), [aggDoc('app-1')]);
        }));

      test('a re-put overwrites the indexed fields too', () =>
        withStore(async (s) => {
          await s.putAgg([aggDoc('app-1', { name: 'Old', endMs: T0 })]);
          await s.putAgg([aggDoc('app-1', { name: 'New', endMs: T0 + HOUR })]);
          assert.deepEqual(await s.query({ app: 'Old' }), []);
          assert.deepEqual(docIds(await s.query({ app: 'New' })), ['app-1-0']);
          assert.equal((await s.latestEndTime())?.toISOString(), iso(T0 + HOUR));
        }));

      test('getAgg returns every attempt of one app id and nothing else', () =>
        withStore(async (s) => {
          await s.putAgg([
            aggDoc('app-1', { attemptId: '1', endMs: T0 }),
            aggDoc('app-1', { attemptId: '2', endMs: T0 + HOUR }),
            aggDoc('app-10', { endMs: T0 }),
          ]);
          assert.deepEqual(docIds(await s.getAgg('app-1')).sort(), ['app-1-1', 'app-1-2']);
          assert.deepEqual(await s.getAgg('app-9'), []);
        }));

      test('query: newest attempt end first, limit, default limit 50', () =>
        withStore(async (s) => {
          const docs = Array.from({ length: 60 }, (_, i) => aggDoc(`app-${i}`, { endMs: T0 + i * 60_000 }));
          await s.putAgg(docs.slice(0, 30));
          await s.putAgg(docs.slice(30));
          const all = await s.query({});
          assert.equal(all.length, 50);
          assert.equal(all[0]?.docId, 'app-59-0');
          assert.equal(all[49]?.docId, 'app-10-0');
          assert.deepEqual(docIds(await s.query({ limit: 3 })), ['app-59-0', 'app-58-0', 'app-57-0']);
          assert.deepEqual(docIds(await s.query({ limit: 2, since: new Date(T0 + 58 * 60_000) })), [
            'app-59-0',
            'app-58-0',
          ]);
          assert.deepEqual(docIds(await s.query({ limit: 100, since: new Date(T0 + 58 * 60_000) })), [
            'app-59-0',
            'app-58-0',
          ]);
        }));

      test('query by app matches the app name or its tag', () =>
        withStore(async (s) => {
          await s.putAgg([
            aggDoc('a', { name: 'Conformance my_dataset 1', tag: 'conformance:my_dataset', endMs: T0 + 1 }),
            aggDoc('b', { name: 'Conformance my_dataset 2', tag: 'conformance:my_dataset', endMs: T0 + 2 }),
            aggDoc('c', { name: 'conformance:my_dataset', tag: 'other', endMs: T0 + 3 }),
            aggDoc('d', { name: 'Unrelated', tag: 'Unrelated', endMs: T0 + 4 }),
          ]);
          assert.deepEqual(docIds(await s.query({ app: 'conformance:my_dataset' })), ['c-0', 'b-0', 'a-0']);
          assert.deepEqual(docIds(await s.query({ app: 'Conformance my_dataset 1' })), ['a-0']);
          assert.deepEqual(docIds(await s.query({ app: 'conformance' })), [], 'no partial or case-folded matches');
          assert.deepEqual(docIds(await s.query({ app: 'unrelated' })), [], 'names are case-sensitive');
        }));

      test('queryPage: pages of any size, read one after another, are query in one (ties on end time, an app)', () =>
        withStore(async (s) => {
          // Three attempts to each end time, so that a page boundary falls between runs that ended together.
          await s.putAgg(
            Array.from({ length: 30 }, (_, n) =>
              aggDoc(`app-${String(n).padStart(2, '0')}`, {
                endMs: T0 + Math.floor(n / 3) * 1000,
                name: `job${n % 2}`,
              }),
            ),
          );
          for (const app of [undefined, 'job1']) {
            const whole = docIds(await s.query({ app, limit: 100 }));
            for (const size of [1, 2, 4, 7, 100]) {
              const paged: string[] = [];
              let after: Parameters<RunStore['queryPage']>[1];
              for (;;) {
                const page = await s.queryPage({ app, limit: size }, after);
                paged.push(...docIds(page.docs));
                if (!page.next) break;
                after = page.next;
              }
              assert.deepEqual(paged, whole, `app ${app}, pages of ${size}`);
            }
          }
        }));

      test('latestEndTime is undefined when empty, else the latest attempt end', () =>
        withStore(async (s) => {
          assert.equal(await s.latestEndTime(), undefined);
          await s.putAgg([
            aggDoc('a', { endMs: T0 + 5 * HOUR }),
            aggDoc('b', { endMs: T0 + 7 * HOUR }),
            aggDoc('c', { endMs: T0 }),
          ]);
          assert.equal((await s.latestEndTime())?.toISOString(), iso(T0 + 7 * HOUR));
        }));
    });

    describe('knownIds', () => {
      test('app ids whose attempt ended inside the window, both ends included', () =>
        withStore(async (s) => {
          const from = T0;
          const to = T0 + HOUR;
          await s.putAgg([
            aggDoc('before', { endMs: from - 1 }),
            aggDoc('at-start', { endMs: from }),
            aggDoc('inside', { attemptId: '1', endMs: from + 1000 }),
            aggDoc('inside', { attemptId: '2', endMs: from + 2000 }),
            aggDoc('at-end', { endMs: to }),
            aggDoc('after', { endMs: to + 1 }),
          ]);
          const ids = await s.knownIds({ from: new Date(from), to: new Date(to) });
          assert.deepEqual([...ids].sort(), ['at-end', 'at-start', 'inside']);
          assert.equal((await s.knownIds({ from: new Date(to + 10), to: new Date(to + HOUR) })).size, 0);
        }));

      test('more than 10,000 apps in one window are all returned (the original stopped at 10,000)', () =>
        withStore(async (s) => {
          const n = 10_050;
          for (let start = 0; start < n; start += 2_000) {
            const batch = [];
            for (let i = start; i < Math.min(n, start + 2_000); i++) batch.push(aggDoc(`app-${i}`, { endMs: T0 + i }));
            await s.putAgg(batch);
          }
          const ids = await s.knownIds({ from: new Date(T0), to: new Date(T0 + n) });
          assert.equal(ids.size, n);
          assert.ok(ids.has('app-0') && ids.has(`app-${n - 1}`));
        }));
    });

    describe('error documents', () => {
      test('errorCounts per app id; re-putting one docId counts once; apps without errors are absent', () =>
        withStore(async (s) => {
          await s.putError(errorDoc('e1', 'app-1'));
          const again = errorDoc('e1', 'app-1');
          again.spot.error.message = 'a second report of the same event';
          await s.putError(again);
          await s.putError(errorDoc('e2', 'app-1', T0 + 1));
          await s.putError(errorDoc('e3', 'app-2'));
          await s.putError(errorDoc('e4', 'app-3'));
          const counts = await s.errorCounts(['app-1', 'app-2', 'app-4']);
          assert.deepEqual([...counts.entries()].sort(), [
            ['app-1', 2],
            ['app-2', 1],
          ]);
          assert.equal((await s.errorCounts([])).size, 0);
          // Since a time: only the failures stored from then on (e2 at T0 + 1), none after the last.
          assert.deepEqual([...(await s.errorCounts(['app-1', 'app-2'], new Date(T0 + 1))).entries()], [['app-1', 1]]);
          assert.equal((await s.errorCounts(['app-1'], new Date(T0 + 2))).size, 0);
          const e1 = (await s.errors({})).filter((e) => e.docId === 'e1');
          assert.deepEqual(e1, [errorDoc('e1', 'app-1')], 'the first copy of an error event is kept');
        }));

      test('errors lists newest first, with limit and since', () =>
        withStore(async (s) => {
          await s.putError(errorDoc('e-old', 'app-1', T0, 'listing'));
          await s.putError(errorDoc('e-mid', 'app-2', T0 + HOUR, 'raw'));
          await s.putError(errorDoc('e-new', 'app-3', T0 + 2 * HOUR, 'aggregations'));
          const all = await s.errors({});
          assert.deepEqual(
            all.map((e) => e.docId),
            ['e-new', 'e-mid', 'e-old'],
          );
          assert.deepEqual(all[2], errorDoc('e-old', 'app-1', T0, 'listing'));
          assert.deepEqual(
            (await s.errors({ limit: 1 })).map((e) => e.docId),
            ['e-new'],
          );
          assert.deepEqual(
            (await s.errors({ since: new Date(T0 + HOUR) })).map((e) => e.docId),
            ['e-new', 'e-mid'],
          );
        }));
    });

    describe('run records', () => {
      test('records of one job key, newest first, with limit; all keys when omitted', () =>
        withStore(async (s) => {
          await s.putRecords([
            runRecord('r1', 'etl', T0),
            runRecord('r3', 'etl', T0 + 2 * HOUR),
            runRecord('r2', 'etl', T0 + HOUR, { source: 'import', succeeded: false }),
            runRecord('x1', 'report', T0 + 3 * HOUR),
          ]);
          const etl = await s.records({ app: 'etl' });
          assert.deepEqual(
            etl.map((r) => r.id),
            ['r3', 'r2', 'r1'],
          );
          assert.deepEqual(etl[1], runRecord('r2', 'etl', T0 + HOUR, { source: 'import', succeeded: false }));
          assert.deepEqual(
            (await s.records({ app: 'etl', limit: 2 })).map((r) => r.id),
            ['r3', 'r2'],
          );
          assert.deepEqual(
            (await s.records({})).map((r) => r.id),
            ['x1', 'r3', 'r2', 'r1'],
          );
          assert.deepEqual(await s.records({ app: 'nothing' }), []);
        }));

      test('records are upserted by id', () =>
        withStore(async (s) => {
          await s.putRecords([runRecord('r1', 'etl', T0)]);
          await s.putRecords([runRecord('r1', 'etl', T0, { durationMs: 5, adviceId: 'adv-1' })]);
          assert.deepEqual(await s.records({ app: 'etl' }), [
            runRecord('r1', 'etl', T0, { durationMs: 5, adviceId: 'adv-1' }),
          ]);
        }));

      test("records are upserted by an id of any length (an imported run's id is the user's)", () =>
        withStore(async (s) => {
          const long = `run-${'é'.repeat(300)}`; // 604 bytes in UTF-8
          await s.putRecords([runRecord(long, 'etl', T0), runRecord('short', 'etl', T0 + 1)]);
          await s.putRecords([runRecord(long, 'etl', T0, { durationMs: 5 })]);
          assert.deepEqual(await s.records({ app: 'etl' }), [
            runRecord('short', 'etl', T0 + 1),
            runRecord(long, 'etl', T0, { durationMs: 5 }),
          ]);
          if (hasRecordIds(s)) assert.deepEqual(await s.knownRecordIds([long, 'other']), new Set([long]));
        }));

      test('apps lists each job key with its run count', () =>
        withStore(async (s) => {
          assert.deepEqual(await s.apps(), []);
          await s.putRecords([
            runRecord('1', 'b', T0),
            runRecord('2', 'a', T0),
            runRecord('3', 'b', T0 + 1),
            runRecord('3', 'b', T0 + 1),
          ]);
          assert.deepEqual(await s.apps(), [
            { app: 'a', runs: 1 },
            { app: 'b', runs: 2 },
          ]);
        }));

      test('runCounts (where a store has it) counts runs and job keys as apps lists them', () =>
        withStore(async (s) => {
          if (!s.runCounts) return;
          assert.deepEqual(await s.runCounts(), { runs: 0, apps: 0 });
          const records = ['c', 'a', 'b', 'a', 'c', 'c'].map((app, i) => runRecord(`r${i}`, app, T0 + i));
          await s.putRecords([...records, runRecord('r0', 'c', T0 + 9)]);
          const apps = await s.apps();
          assert.deepEqual(await s.runCounts(), { runs: apps.reduce((a, x) => a + x.runs, 0), apps: apps.length });
          assert.deepEqual(await s.runCounts(), { runs: 6, apps: 3 });
        }));
    });

    describe('advice', () => {
      test('put, get, overwrite; unknown id is undefined', () =>
        withStore(async (s) => {
          assert.equal(await s.getAdvice('adv-1'), undefined);
          await s.putAdvice(advice('adv-1', 'etl', T0));
          assert.deepEqual(await s.getAdvice('adv-1'), advice('adv-1', 'etl', T0));
          await s.putAdvice(advice('adv-1', 'etl', T0, { mode: 'shadow', injected: {} }));
          assert.deepEqual(await s.getAdvice('adv-1'), advice('adv-1', 'etl', T0, { mode: 'shadow', injected: {} }));
        }));

      test('createAdvice stores a new record and leaves one already there as it is', () =>
        withStore(async (s) => {
          await s.createAdvice(advice('adv-1', 'etl', T0));
          assert.deepEqual(await s.getAdvice('adv-1'), advice('adv-1', 'etl', T0));
          await s.linkAdvice('adv-1', { exitCode: 1 });
          await s.createAdvice(advice('adv-1', 'etl', T0, { mode: 'shadow' }));
          assert.deepEqual(await s.getAdvice('adv-1'), { ...advice('adv-1', 'etl', T0), outcome: { exitCode: 1 } });
        }));

      test('linkAdvice merges outcome fields; linking an unknown id changes nothing', () =>
        withStore(async (s) => {
          await s.putAdvice(advice('adv-1', 'etl', T0));
          await s.linkAdvice('adv-1', { exitCode: 0, wallMs: 1234, applicationId: 'application_1' });
          await s.linkAdvice('adv-1', { runId: 'application_1-0', exitCode: undefined });
          const linked = await s.getAdvice('adv-1');
          assert.deepEqual(linked?.outcome, {
            exitCode: 0,
            wallMs: 1234,
            applicationId: 'application_1',
            runId: 'application_1-0',
          });
          assert.deepEqual({ ...linked, outcome: undefined }, { ...advice('adv-1', 'etl', T0), outcome: undefined });
          await s.linkAdvice('adv-404', { exitCode: 1 });
          assert.equal(await s.getAdvice('adv-404'), undefined);
        }));

      test('listAdvice: newest first, app filter, limit', () =>
        withStore(async (s) => {
          await s.putAdvice(advice('a1', 'etl', T0));
          await s.putAdvice(advice('a3', 'etl', T0 + 2 * HOUR));
          await s.putAdvice(advice('a2', 'report', T0 + HOUR));
          assert.deepEqual(
            (await s.listAdvice({})).map((a) => a.id),
            ['a3', 'a2', 'a1'],
          );
          assert.deepEqual(
            (await s.listAdvice({ app: 'etl' })).map((a) => a.id),
            ['a3', 'a1'],
          );
          assert.deepEqual(
            (await s.listAdvice({ limit: 1 })).map((a) => a.id),
            ['a3'],
          );
          assert.deepEqual(await s.listAdvice({ app: 'none' }), []);
        }));
    });

    describe('fitted models', () => {
      const model = (app: string, query: string, minute: number, fingerprint = 'f'): StoredModel => ({
        app,
        query,
        fingerprint,
        version: 'v1',
        storedAt: new Date(T0 + minute * 60_000).toISOString(),
        doc: { parts: { range: { minCores: 4 } }, checks: [1.5, 2] },
      });
      test('kept per job and input-size point: a second put for the point overwrites; newest first; the doc as given', () =>
        withStore(async (s) => {
          assert.deepEqual(await s.models!('etl'), []);
          await s.putModel!(model('etl', '1100', 0));
          await s.putModel!(model('etl', '1100', 1, 'g'));
          await s.putModel!(model('etl', '1200', 2));
          await s.putModel!(model('report', '1100', 3));
          assert.deepEqual(await s.models!('etl'), [model('etl', '1200', 2), model('etl', '1100', 1, 'g')]);
          assert.deepEqual(
            (await s.models!('report')).map((m) => m.query),
            ['1100'],
          );
        }));
    });

    describe('content', () => {
      test('unicode names and values round-trip and are queryable', () =>
        withStore(async (s) => {
          const name = 'Zürich ▸ 日本語 🚀 "quoted" \\ back';
          const doc = aggDoc('app-ü', { name, tag: 'tag-ß' });
          await s.putAgg([doc]);
          await s.putRaw(rawDoc('app-ü', { name }));
          assert.deepEqual(await s.query({ app: name }), [doc]);
          assert.deepEqual(await s.query({ app: 'tag-ß' }), [doc]);
          assert.equal((await s.getRaw('app-ü'))?.name, name);
          await s.putRecords([runRecord('r-ü', name, T0)]);
          assert.equal((await s.records({ app: name }))[0]?.app, name);
        }));

      test('large documents: 1,500 distinct fields and a 2 MB value round-trip', () =>
        withStore(async (s) => {
          const doc = aggDoc('wide');
          const props: Record<string, number> = {};
          for (let i = 0; i < 1_500; i++) props[`spark_custom_key_${i}`] = i;
          doc.attempt.environment = { sparkProperties: props };
          await s.putAgg([doc]);
          assert.deepEqual(await s.getAgg('wide'), [doc]);
          assert.deepEqual(docIds(await s.query({ app: 'Job' })), ['wide-0']);
          const big = rawDoc('big', { attempts: [{ blob: 'x'.repeat(2 * 1024 * 1024) }] });
          await s.putRaw(big);
          assert.deepEqual(await s.getRaw('big'), big);
        }));
    });

    describe('close', () => {
      test('close resolves, and a second close is harmless', async () => {
        const { store, cleanup } = await open();
        try {
          await store.putRecords([runRecord('r1', 'etl', T0)]);
          await store.close();
          await store.close();
        } finally {
          await cleanup();
        }
      });
    });
  });
}
