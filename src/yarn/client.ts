import type { HistoryAuthOptions } from '../history/auth.js';
import { HistoryClient, historyHost } from '../history/client.js';

// The ResourceManager is read with the History Server's client: the same keep-alive pool, per-try time limit
// and retries with backoff on 5xx, timeouts, resets and garbled JSON; only the API path differs.

const RM_API_PATH = '/ws/v1';

export interface YarnClientOptions {
  url: string;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  caFile?: string;
  /** Basic, bearer, headers, client certificate or SPNEGO, as the History Server client takes them. */
  auth?: HistoryAuthOptions;
}

export function yarnClient(opts: YarnClientOptions): HistoryClient {
  // A poll sends its few requests one after another; two connections leave room for nothing more.
  // The ResourceManager has no CA key of its own: it trusts the History Server's (historyServer.caFile).
  return new HistoryClient({
    baseUrl: opts.url,
    apiPath: RM_API_PATH,
    concurrency: 2,
    caKey: 'historyServer.caFile',
    ...pick(opts),
  });
}

function pick({ timeoutMs, retries, retryBaseMs, caFile, auth }: YarnClientOptions) {
  return { timeoutMs, retries, retryBaseMs, ...(caFile ? { caFile } : {}), ...(auth ? { auth } : {}) };
}

/** The ResourceManager's host name, as documents record it (`spot.yarn_host`). */
export const yarnHost = historyHost;
