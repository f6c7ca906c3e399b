import { forPrefix, readSavedObjects, toNdjson } from '../kibana/saved-objects.js';
import { plural } from '../format.js';
import { writeOutput } from './write-output.js';
import { UsageError, type CliContext } from './context.js';
import { indexPrefixSchema } from '../config/schema.js';
import { issueText } from '../common/zod-issue.js';

// `spot kibana export --out FILE [--index-prefix P]`: the dashboards for Kibana's (or OpenSearch
// Dashboards') saved-objects import, for the index prefix Spot writes to.

export async function runKibanaExport(opts: { out: string; indexPrefix?: string }, ctx: CliContext): Promise<number> {
  const prefix = opts.indexPrefix ?? ctx.config.elasticsearch.indexPrefix;
  const checked = indexPrefixSchema.safeParse(prefix);
  if (!checked.success) {
    throw new UsageError(`--index-prefix ${issueText(checked.error.issues[0]!, prefix, { quotes: 'typed' })}`);
  }
  const objects = forPrefix(readSavedObjects(), prefix);
  const path = await writeOutput(opts.out, toNdjson(objects), 'the saved objects', ctx.out);
  const count = (type: string, one: string, many?: string) =>
    plural(objects.filter((o) => o.type === type).length, one, many);
  if (path) ctx.out.write(`${path}\n`);
  const counts = [
    count('dashboard', 'dashboard'),
    count('visualization', 'visualization'),
    count('search', 'saved search', 'saved searches'),
    count('index-pattern', 'index pattern'),
  ];
  ctx.err.write(`spot kibana export: ${counts.join(', ')} for ${prefix.toLowerCase()}_*\n`);
  return 0;
}
