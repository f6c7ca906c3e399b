import type { SpotConfig } from '../../config/schema.js';
import { StoreAccessError, StoreError } from '../errors.js';
import { signerFor, tlsOptions } from './auth.js';
import { EsConnectionError, EsHttp, EsResponseError, statusText } from './http.js';

type EsConfig = SpotConfig['elasticsearch'];

/**
 * The configured client: credentials, TLS verified unless turned off, optional CA and client certificate, retries.
 * `sleep` is for tests, so that retries need no real waiting.
 */
export function createClient(config: EsConfig & { url: string }, sleep?: (ms: number) => Promise<unknown>): EsHttp {
  return new EsHttp({
    url: config.url,
    timeoutMs: config.timeoutMs,
    signer: signerFor(config),
    tls: tlsOptions(config),
    ...(config.certFile ? { certFile: config.certFile } : {}),
    retry: { retries: config.retries, baseMs: config.retryBaseMs, ...(sleep ? { sleep } : {}) },
  });
}

/** The server's own error type and reason of a failed call, when it sent one. */
export function esReason(err: unknown): { status?: number; type?: string; reason?: string } {
  if (err instanceof EsResponseError) return { status: err.status, type: err.type, reason: err.reason };
  return {};
}

/** Turns a client failure into one line for the user that names the cluster. */
export function storeError(url: string, err: unknown, doing: string): StoreError {
  if (err instanceof StoreError) return err;
  if (err instanceof EsConnectionError) {
    const tries = err.tries > 1 ? `, ${err.tries} tries` : '';
    return new StoreError(`cannot reach the cluster at ${url} (${doing}${tries}): ${err.message}`, { cause: err });
  }
  const { status, type, reason } = esReason(err);
  if (status === 401 || status === 403) {
    const challenge = err instanceof EsResponseError && err.challenge ? `; the server asks for ${err.challenge}` : '';
    // A 403 from the cluster's security knew the credentials: its reason names the action and the privileges that
    // grant it, and checking the credentials would not help. Other refusals (AWS's) are about the credentials.
    const fix =
      status === 403 && type === 'security_exception'
        ? 'the credentials were accepted, but their roles lack the privilege for this'
        : `check elasticsearch.apiKey, username/password, bearerToken or awsRegion${challenge}`;
    return new StoreAccessError(
      `${url} refused the request (${status}${type ? ` ${type}` : ''}) while ${doing}: ${reason ? `${reason}; ` : ''}${fix}`,
      { cause: err },
    );
  }
  // A busy cluster after every try, or an answer without ES's error body (a HEAD has none): the status in words.
  if (err instanceof EsResponseError && (err.tries > 1 || !type)) {
    const tries = err.tries > 1 ? `, ${err.tries} tries` : '';
    const what = type ? ` (${type}${reason ? `: ${reason}` : ''})` : reason ? ` (${reason})` : '';
    return new StoreError(
      `${url} failed while ${doing}: the cluster answered ${statusText(err.status)} to ${err.request}${tries}${what}`,
      { cause: err },
    );
  }
  if (type) return new StoreError(`${url} failed while ${doing}: ${type}: ${reason ?? ''}`, { cause: err });
  return new StoreError(`${url} failed while ${doing}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}
