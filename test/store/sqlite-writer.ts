// A crawler-like writer for the two-process test: opens the shared database (possibly fresh) and
// writes an overlapping range of ids, document by document, as a crawler would.
import { SqliteStore } from '../../src/store/sqlite.js';
import { aggDoc, errorDoc, rawDoc, runRecord, T0 } from './factories.js';

const [path, fromArg, toArg, who] = process.argv.slice(2);
const from = Number(fromArg);
const to = Number(toArg);
const store = await SqliteStore.open(path!);
// Both writers open the fresh file at once (the migration race); the test then creates the shared
// advice row and says go, so both read-modify-write loops run against an existing row.
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
process.stdin.pause();
for (let i = from; i < to; i++) {
  const id = `app-${i}`;
  await store.putRaw(rawDoc(id));
  await store.putAgg([aggDoc(id, { endMs: T0 + i })]);
  await store.putRecords([runRecord(`${id}-0`, 'etl', T0 + i)]);
  await store.putError(errorDoc(`err-${i}`, id));
  // read-modify-write from both processes on one row: neither may lose the other's field
  await store.linkAdvice('shared-advice', who === 'a' ? { exitCode: i } : { wallMs: i });
  if (i % 50 === 0) await store.knownIds({ from: new Date(T0), to: new Date(T0 + to) });
}
await store.close();
process.stdout.write(`done ${who}\n`);
