import { StoreError } from '../errors.js';
import { EsResponseError, type EsHttp } from './http.js';

// Which server answers, from its root response (`GET /`), and whether Spot supports it. Elasticsearch
// names itself by `version.number` (7.14+ also by the `X-Elastic-Product` header); OpenSearch adds
// `version.distribution: "opensearch"`, and Amazon OpenSearch Service in compatibility mode may report
// 7.10.2 while still carrying that distribution.

export type Product = 'elasticsearch' | 'opensearch';

export interface ServerInfo {
  product: Product;
  version: string;
  major: number;
  minor: number;
}

/** Lowest supported version per product: composable index templates need ES 7.8 / OpenSearch 1.0. */
const SUPPORTED: Record<Product, { major: number; minor: number; label: string }> = {
  elasticsearch: { major: 7, minor: 17, label: 'Elasticsearch 7.17, 8.x and 9.x' },
  opensearch: { major: 1, minor: 0, label: 'OpenSearch 1.x, 2.x and 3.x' },
};

export function detectServer(
  url: string,
  root: unknown,
  headers: Record<string, string | string[] | undefined>,
): ServerInfo {
  const version = (root as { version?: { number?: unknown; distribution?: unknown } } | undefined)?.version;
  const number = typeof version?.number === 'string' ? version.number : undefined;
  const m = number ? /^(\d+)\.(\d+)/.exec(number) : null;
  if (!number || !m) {
    throw new StoreError(`${url} does not answer like Elasticsearch or OpenSearch (no version in its root response)`);
  }
  const product: Product = version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch';
  const info = { product, version: number, major: Number(m[1]), minor: Number(m[2]) };
  if (product === 'elasticsearch' && info.major >= 8 && headers['x-elastic-product'] !== 'Elasticsearch') {
    throw new StoreError(
      `${url} reports Elasticsearch ${number} but lacks the X-Elastic-Product header every such server sends: a proxy in between may be rewriting answers`,
    );
  }
  const floor = SUPPORTED[product];
  if (info.major < floor.major || (info.major === floor.major && info.minor < floor.minor)) {
    throw new StoreError(
      `${url} runs ${describeServer(info)}, which Spot does not support (supported: ${SUPPORTED.elasticsearch.label}; ${SUPPORTED.opensearch.label})`,
    );
  }
  return info;
}

export const describeServer = (s: ServerInfo): string =>
  `${s.product === 'opensearch' ? 'OpenSearch' : 'Elasticsearch'} ${s.version}`;

/**
 * The server at `url`, from its root response; undefined when the credentials were accepted but their roles may not
 * ask for it. `GET /` is the cluster privilege `monitor` (action cluster:monitor/main), which a role made to read or
 * write a few indexes seldom has: such a user reads and writes Spot's indexes all the same, unchecked for version,
 * as Elasticsearch's own clients go on after the same refusal.
 */
export async function askServer(client: EsHttp, url: string): Promise<ServerInfo | undefined> {
  try {
    const root = await client.call({ method: 'GET', path: '', retryConnection: false }); // an unreachable URL fails at once
    return detectServer(url, root.body, root.headers);
  } catch (err) {
    if (err instanceof EsResponseError && err.status === 403 && err.type === 'security_exception') return undefined;
    throw err;
  }
}

/**
 * Amazon OpenSearch Serverless (`awsService: aoss`) is refused before any request: its collections answer no `GET /`
 * (404), make no `_refresh`, and time-series ones take no document ids from the client, all of which the store
 * relies on; unrefused, the user would meet a 404 that does not say why.
 */
export function refuseServerless(config: { awsService?: string }): void {
  if (config.awsService !== 'aoss') return;
  throw new StoreError(
    'elasticsearch.awsService is aoss, but Spot does not support Amazon OpenSearch Serverless as a store (its ' +
      'collections answer no GET / nor _refresh, and time-series ones take no document ids): use an OpenSearch ' +
      'Service domain (awsService: es) or a cluster of your own',
  );
}
