import { readFileSync } from 'node:fs';
import { Client, errors } from '@elastic/elasticsearch';
import type { SpotConfig } from '../../config/schema.js';
import { StoreError } from '../errors.js';

type EsConfig = SpotConfig['elasticsearch'];

/** The configured client: basic auth or API key, TLS verified unless turned off, with an optional CA. */
export function createClient(config: EsConfig & { url: string }): Client {
  let ca: Buffer | undefined;
  if (config.caFile) {
    try {
      ca = readFileSync(config.caFile);
    } catch (err) {
      throw new StoreError(`cannot read elasticsearch.caFile ${config.caFile}: ${(err as Error).message}`);
    }
  }
  const auth = config.apiKey
    ? { apiKey: config.apiKey }
    : config.username !== undefined
      ? { username: config.username, password: config.password ?? '' }
      : undefined;
  return new Client({
    node: config.url,
    ...(auth ? { auth } : {}),
    tls: { rejectUnauthorized: config.tlsVerify, ...(ca ? { ca } : {}) },
    requestTimeout: config.timeoutMs,
    maxRetries: 2,
  });
}

/** ES's own error type and reason of a failed call, when it sent one. */
export function esReason(err: unknown): { status?: number; type?: string; reason?: string } {
  if (err instanceof errors.ResponseError) {
    const body = err.body as { error?: { type?: string; reason?: string } } | undefined;
    return { status: err.statusCode, type: body?.error?.type, reason: body?.error?.reason };
  }
  return {};
}

/** Turns a client failure into one line for the user that names the cluster. */
export function storeError(url: string, err: unknown, doing: string): StoreError {
  if (err instanceof StoreError) return err;
  if (err instanceof errors.ConnectionError || err instanceof errors.TimeoutError || err instanceof errors.NoLivingConnectionsError) {
    return new StoreError(`cannot reach Elasticsearch at ${url} (${doing}): ${err.message}`, { cause: err });
  }
  const { status, type, reason } = esReason(err);
  if (status === 401 || status === 403) {
    return new StoreError(
      `Elasticsearch at ${url} refused the request (${status} ${type ?? ''}) while ${doing}: check elasticsearch.username/password or apiKey`,
      { cause: err },
    );
  }
  if (type) return new StoreError(`Elasticsearch at ${url} failed while ${doing}: ${type}: ${reason ?? ''}`, { cause: err });
  return new StoreError(`Elasticsearch at ${url} failed while ${doing}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}
