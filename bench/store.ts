// Bytes on disk per crawled app in the SQLite store, against the layout before documents were compressed, in
// the same run. Apps are crawled by the compiled CLI from the built-in simulated History Server
// (bench/support/crawled-store.ts). Three files of the same apps, each vacuumed so free pages do not count:
//   before    every raw and aggregated document as JSON text (how Spot stored them until schema version 3),
//   crawled   as today's crawl writes them,
//   migrated  `before` after SqliteStore.compact(), the path an existing store takes (`spot store compact`);
//             every document read back from it must equal the crawled store's.
// Two kinds of app: the simulator's own (a short Spark environment), and "production-like" ones carrying the
// real environment in test/fixtures/spark-history/expectations/app_environment_expectation.json (26 Spark
// properties, 58 system properties, 184 classpath entries) as Spark properties: the simulator's environment
// takes only Spark properties from a spec. Target: a quarter of `before` per app or less.
// Run: node --import tsx bench/store.ts [--apps N] [--full-apps N]
import { copyFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import { SqliteStore } from '../src/store/sqlite.js';
import { unpackText } from '../src/store/sqlite/packed.js';
import { SHS_FIXTURES } from '../test/support/paths.js';
import { crawledHome, requireBuild } from './support/crawled-store.js';

type Pairs = [string, string][];

function productionProperties(): Record<string, string> {
  const env = JSON.parse(
    readFileSync(join(SHS_FIXTURES, 'expectations', 'app_environment_expectation.json'), 'utf8'),
  ) as Record<string, Pairs>;
  const props: Record<string, string> = {};
  for (const [k, v] of env.sparkProperties!) if (!/^spark\.app\.(id|name)$/.test(k)) props[k] = v;
  for (const [k, v] of env.systemProperties!) props[`spark.driver.extraJavaOptions.${k}`] = v;
  props['spark.driver.extraClassPath'] = env.classpathEntries!.map(([p]) => p).join(':');
  return props;
}

interface Size {
  total: number;
  byTable: Map<string, number>;
}

/** Vacuums `path` into `out` and measures the copy: file bytes, and bytes per table (its indexes included). */
function vacuumedSize(path: string, out: string): Size {
  const db = new Database(path);
  db.exec(`VACUUM INTO '${out}'`);
  db.close();
  const copy = new Database(out, { readonly: true });
  const rows = copy
    .prepare(
      `SELECT coalesce(m.tbl_name, s.name) AS tbl, sum(s.pgsize) AS bytes FROM dbstat s
       LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY tbl`,
    )
    .all() as { tbl: string; bytes: number }[];
  copy.close();
  return { total: statSync(out).size, byTable: new Map(rows.map((r) => [r.tbl, r.bytes])) };
}

/** The crawled file as Spot kept it before schema version 3: documents as JSON text, SQLite's 4 KB pages, WAL. */
function toTextLayout(path: string): void {
  const db = new Database(path);
  db.function('as_text', (doc: unknown) => (Buffer.isBuffer(doc) ? unpackText(doc) : doc));
  db.transaction(() => {
    db.exec('UPDATE raw SET doc = as_text(doc)');
    db.exec('UPDATE agg SET doc = as_text(doc), summary = NULL, time_processed = NULL');
  })();
  db.pragma('journal_mode = DELETE');
  db.pragma('page_size = 4096');
  db.exec('VACUUM');
  db.pragma('journal_mode = WAL');
  db.close();
}

async function sameDocuments(a: string, b: string): Promise<boolean> {
  const [x, y] = [await SqliteStore.open(a), await SqliteStore.open(b)];
  try {
    const ids = (await x.query({ limit: -1 })).map((d) => d.id);
    for (const id of ids) {
      if (!isDeepStrictEqual(await x.getRaw(id), await y.getRaw(id))) return false;
      if (!isDeepStrictEqual(await x.getAgg(id), await y.getAgg(id))) return false;
    }
    return ids.length > 0 && isDeepStrictEqual(await x.query({ limit: -1 }), await y.query({ limit: -1 }));
  } finally {
    await x.close();
    await y.close();
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1).padStart(6)} KB`;

async function measure(label: string, apps: number, props?: Record<string, string>): Promise<void> {
  const home = await crawledHome(apps, props);
  try {
    const db = join(home, 'spot.db');
    const crawled = vacuumedSize(db, join(home, 'crawled.db'));
    copyFileSync(join(home, 'crawled.db'), join(home, 'before.db'));
    toTextLayout(join(home, 'before.db'));
    const before = vacuumedSize(join(home, 'before.db'), join(home, 'before-vacuumed.db'));
    copyFileSync(join(home, 'before-vacuumed.db'), join(home, 'migrated.db'));
    const store = await SqliteStore.open(join(home, 'migrated.db'));
    const t0 = performance.now();
    const result = await store.compact();
    const compactS = (performance.now() - t0) / 1000;
    await store.close();
    const migrated = vacuumedSize(join(home, 'migrated.db'), join(home, 'migrated-vacuumed.db'));
    const same = await sameDocuments(join(home, 'crawled.db'), join(home, 'migrated.db'));
    const per = (s: Size, t?: string) => kb((t === undefined ? s.total : (s.byTable.get(t) ?? 0)) / apps);
    const pages = (p: string) => new Database(p, { readonly: true }).pragma('page_size', { simple: true }) as number;
    console.log(
      `${label}: ${apps} apps, one attempt each (page size before ${pages(join(home, 'before.db'))}, migrated ${pages(join(home, 'migrated.db'))})`,
    );
    for (const [name, s] of [
      ['before', before],
      ['crawled', crawled],
      ['migrated', migrated],
    ] as const) {
      console.log(
        `  ${name.padEnd(9)} ${per(s)} per app   (raw ${per(s, 'raw')}, agg ${per(s, 'agg')}, runs ${per(s, 'runs')})` +
          `  ${(s.total / 2 ** 20).toFixed(1)} MB`,
      );
    }
    console.log(
      `  crawled / before: ${(crawled.total / before.total).toFixed(3)}   migrated / before: ${(migrated.total / before.total).toFixed(3)}` +
        `   (target <= 0.25)   compact: ${result.rawReencoded + result.aggReencoded} documents in ${compactS.toFixed(1)} s;` +
        ` documents read back identical: ${same ? 'yes' : 'NO'}`,
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const { values } = parseArgs({
  options: { apps: { type: 'string', default: '2000' }, 'full-apps': { type: 'string', default: '500' } },
});
requireBuild('bench/store');
console.log('store: bytes on disk per crawled app (SQLite, vacuumed), before compression and after, in one run');
await measure('simulator apps', Number(values.apps));
await measure('production-like environments', Number(values['full-apps']), productionProperties());
