import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.js';
import { runStoreContract } from './contract.js';

runStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spot-store-'));
  const store = await SqliteStore.open(join(dir, 'nested', 'spot.db'));
  return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});
