import { formatBytes, plural } from '../format.js';
import type { SqliteStore } from '../store/sqlite.js';
import type { RunStore } from '../store/types.js';
import { UserFacingError, type CliContext } from './context.js';

// `spot store compact`: shrinks an SQLite store in place (sqlite/compact.ts) and says by how much.

function isCompactable(store: RunStore): store is RunStore & Pick<SqliteStore, 'compact'> {
  return typeof (store as Partial<SqliteStore>).compact === 'function';
}

export async function runStoreCompact(_opts: object, ctx: CliContext): Promise<number> {
  if (ctx.config.store.type !== 'sqlite') {
    throw new UserFacingError(
      'spot store compact works on SQLite stores: Elasticsearch manages its own disk (set store.type to sqlite)',
      2,
    );
  }
  const store = await ctx.existingStore();
  if (!isCompactable(store)) throw new UserFacingError('this store cannot be compacted', 2);
  const r = await store.compact();
  const reencoded = r.rawReencoded + r.aggReencoded;
  ctx.err.write(
    `spot store compact: ${reencoded ? `${plural(reencoded, 'document')} compressed; ` : ''}` +
      `${formatBytes(r.bytesBefore)} -> ${formatBytes(r.bytesAfter)}` +
      (r.walBytes
        ? ` once the write-ahead log (${formatBytes(r.walBytes)} now) is emptied into the file: another process was ` +
          'reading the store (spot-submit, a crawl); the first write after it finishes empties it\n'
        : '\n'),
  );
  return 0;
}
