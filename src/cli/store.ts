import type { SpotConfig } from '../config/schema.js';
import { copyStore, type CopyCounts } from '../store/copy.js';
import { plural } from '../format.js';
import { openStore } from '../compose.js';
import { StoreMissingError } from '../store/errors.js';
import type { RunStore } from '../store/types.js';
import { UsageError, UserFacingError, type CliContext } from './context.js';

// `spot store copy --from TYPE --to TYPE`: one history moved between the SQLite file (store.path) and the
// cluster (elasticsearch.*), both as configured.

type StoreType = SpotConfig['store']['type'];
const TYPES: readonly StoreType[] = ['sqlite', 'elasticsearch', 'opensearch'];

export async function runStoreCopy(opts: { from: string; to: string }, ctx: CliContext): Promise<number> {
  const from = storeType(opts.from, '--from');
  const to = storeType(opts.to, '--to');
  if ((from === 'sqlite') === (to === 'sqlite')) {
    throw new UsageError(`--from ${from} --to ${to}: copy between the SQLite file and the cluster, one each way`);
  }
  // Named here, not by the store: store.type may well say sqlite, and the cluster is the one the flag names.
  if (!ctx.config.elasticsearch.url) {
    const [flag, cluster, way] = from === 'sqlite' ? ['--to', to, 'to'] : ['--from', from, 'from'];
    // A setting missing, not a flag misused: no pointer to --help, which cannot say the cluster's address.
    throw new UserFacingError(
      `${flag} ${cluster}: elasticsearch.url is not set (SPOT_ELASTICSEARCH_URL): the cluster to copy ${way}`,
      2,
    );
  }
  const open = (type: StoreType, mustExist: boolean) =>
    openStore(
      { ...ctx.loaded, config: { ...ctx.config, store: { ...ctx.config.store, type } } },
      { mustExist, warn: ctx.warn },
    );
  // A source that is not there (a mistyped SPOT_HOME, store.path or indexPrefix) is an error, and is not created.
  const source = await open(from, true).catch((err: unknown) => {
    if (err instanceof StoreMissingError) throw new UserFacingError(`--from ${from}: ${err.message}: nothing to copy`);
    throw err;
  });
  let target: RunStore | undefined;
  // Elasticsearch keeps YARN documents in indexes of their own, read and written by a store of their own.
  let yarnFrom: Awaited<ReturnType<CliContext['esYarnStore']>> | undefined;
  let yarnTo: Awaited<ReturnType<CliContext['esYarnStore']>> | undefined;
  try {
    target = await open(to, false);
    if (from !== 'sqlite') yarnFrom = await ctx.esYarnStore(false);
    if (to !== 'sqlite') yarnTo = await ctx.esYarnStore(true);
    const counts = await copyStore(source, target, {
      ...(yarnFrom ? { yarnFrom } : {}),
      ...(yarnTo ? { yarnTo } : {}),
      onProgress: (c) => {
        if (ctx.err.isTTY) ctx.err.write(`\rspot store copy: ${c.apps.toLocaleString('en-US')} apps`);
      },
    });
    if (ctx.err.isTTY) ctx.err.write('\n');
    ctx.out.write(`${summary(counts)}\n`);
  } finally {
    await yarnTo?.close();
    await yarnFrom?.close();
    await target?.close();
    await source.close();
  }
  return 0;
}

function storeType(value: string, flag: string): StoreType {
  if (!TYPES.includes(value as StoreType))
    throw new UsageError(`${flag} must be one of ${TYPES.join(', ')}, got '${value}'`);
  return value as StoreType;
}

const summary = (c: CopyCounts): string =>
  `copied ${plural(c.apps, 'app')} (${c.raw} raw, ${plural(c.agg, 'aggregated document')}), ${plural(c.errors, 'error document')}, ${plural(c.records, 'run record')}, ${plural(c.advice, 'advice record')}, ` +
  `YARN: ${plural(c.yarn.cluster, 'cluster document')}, ${plural(c.yarn.apps, 'application')}, ${plural(c.yarn.scheduler, 'scheduler document')}, ${plural(c.yarn.errors, 'error document')}; ` +
  `${plural(c.unenriched, 'app')} waiting for Menas enrichment; fitted models are not copied (refitted when next needed)`;
