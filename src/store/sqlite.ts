import type { RunStore } from './types.js';

export class SqliteStore {
  static async open(_path: string): Promise<RunStore> {
    throw new Error('not implemented yet');
  }
}
