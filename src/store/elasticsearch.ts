import type { RunStore } from './types.js';
import type { SpotConfig } from '../config/schema.js';

export class ElasticsearchStore {
  static async open(_config: SpotConfig['elasticsearch']): Promise<RunStore> {
    throw new Error('not implemented yet');
  }
}
