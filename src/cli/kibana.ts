import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { forPrefix, readSavedObjects, toNdjson } from '../kibana/saved-objects.js';
import { UserFacingError, type CliContext } from './context.js';

// `spot kibana export --out FILE [--index-prefix P]`: the dashboards for Kibana's (or OpenSearch
// Dashboards') saved-objects import, for the index prefix Spot writes to.

export async function runKibanaExport(opts: { out: string; indexPrefix?: string }, ctx: CliContext): Promise<number> {
  const prefix = opts.indexPrefix ?? ctx.config.elasticsearch.indexPrefix;
  const objects = forPrefix(readSavedObjects(), prefix);
  const path = resolve(opts.out);
  try {
    await writeFile(path, toNdjson(objects));
  } catch (err) {
    throw new UserFacingError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const count = (type: string) => objects.filter((o) => o.type === type).length;
  ctx.out.write(`${path}\n`);
  ctx.err.write(
    `spot kibana export: ${count('dashboard')} dashboards, ${count('visualization')} visualizations, ${count('search')} saved searches, ${count('index-pattern')} index patterns for ${prefix.toLowerCase()}_*\n`,
  );
  return 0;
}
