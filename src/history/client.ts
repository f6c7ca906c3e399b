import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import {
  HistoryBadResponseError, HistoryError, HistoryHttpError, HistoryNotFoundError, HistoryTimeoutError,
  HistoryUnreachableError, oneLine,
} from './errors.js';
import { backoffMs, sleep, transportFailure } from './retry.js';
import { historyAuth, type HistoryAuth, type HistoryAuthOptions } from './auth.js';

// One keep-alive connection pool to one History Server, and GET-as-JSON with a time limit per try and retries
// where another try can help: 5xx, timeouts, dropped connections, and 200s whose body is not JSON (an SHS
// replaying a big event log, or a proxy page). A 404 is an answer, not a failure, and is never retried.

export interface HistoryClientOptions {
  /** e.g. http://shs:18080 or http://shs:18080/api/v1 (the /api/v1 is added when missing). */
  baseUrl: string;
  /** Limit per try, headers and body together. */
  timeoutMs: number;
  /** Extra tries after the first. */
  retries: number;
  /** First backoff ceiling; doubles each retry, full jitter. */
  retryBaseMs: number;
  /** Connections kept to the server. */
  concurrency: number;
  /** PEM bundle for https servers signed by a private CA. */
  caFile?: string;
  /** Path the REST API lives under, added to baseUrl when missing (the YARN ResourceManager's is /ws/v1). */
  apiPath?: string;
  /** Credentials (auth.ts); user:password@ in baseUrl counts as basic auth and is taken out of it. */
  auth?: HistoryAuthOptions;
}

/** A refused connection rarely heals in seconds: give up after this many retries whatever `retries` says. */
const REFUSED_RETRIES = 2;

type Outcome = { ok: true; value: unknown } | { ok: false; error: HistoryError; retry: boolean; refused?: boolean };

export function normaliseBaseUrl(baseUrl: string, apiPath = '/api/v1'): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, '');
  return trimmed.endsWith(apiPath) ? trimmed : `${trimmed}${apiPath}`;
}

/** The History Server's host name, as documents record it (`history_host`). */
export function historyHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function checkUrl(url: string): string | undefined {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? undefined : 'not an http:// or https:// URL';
  } catch {
    return 'not a URL';
  }
}

export class HistoryClient {
  readonly baseUrl: string;
  /** Tries sent and retries made, for the crawl summary. */
  readonly stats = { requests: 0, retries: 0 };
  private readonly agent: Agent;
  private readonly auth: HistoryAuth;
  /** Why the base URL or CA file cannot work, reported on the first request (a one-line error, not a crash). */
  private readonly badUrl: string | undefined;

  constructor(private readonly opts: HistoryClientOptions) {
    this.auth = historyAuth(opts.baseUrl, opts.auth);
    this.baseUrl = normaliseBaseUrl(this.auth.baseUrl, opts.apiPath);
    let ca: Buffer | undefined;
    let badCa: string | undefined;
    try {
      ca = opts.caFile ? readFileSync(opts.caFile) : undefined;
    } catch (err) {
      badCa = `cannot read the CA file ${opts.caFile} (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
    }
    this.badUrl = checkUrl(this.baseUrl) ?? badCa ?? this.auth.problem;
    this.agent = new Agent({
      connections: Math.max(1, opts.concurrency),
      keepAliveTimeout: 30_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connect: { timeout: Math.min(opts.timeoutMs, 10_000), ...(ca ? { ca } : {}), ...this.auth.tls },
    });
  }

  /** The full URL of `path` (relative to /api/v1); undefined query values are left out. */
  url(path: string, query?: Record<string, string | undefined>): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.append(k, v);
    const qs = params.toString();
    return `${this.baseUrl}/${path.replace(/^\/+/, '')}${qs ? `?${qs}` : ''}`;
  }

  async getJson<T>(path: string, query?: Record<string, string | undefined>): Promise<T> {
    const url = this.url(path, query);
    if (this.badUrl) throw new HistoryUnreachableError(this.baseUrl, this.badUrl);
    let refused = 0;
    for (let retry = 0; ; retry++) {
      const outcome = await this.once(url);
      if (outcome.ok) return outcome.value as T;
      if (outcome.refused) refused++;
      if (!outcome.retry || retry >= this.opts.retries || refused > REFUSED_RETRIES) throw outcome.error;
      this.stats.retries++;
      await sleep(backoffMs(retry, this.opts.retryBaseMs));
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async once(url: string): Promise<Outcome> {
    this.stats.requests++;
    let status: number;
    let text: string;
    let authHeaders: Record<string, string>;
    try {
      authHeaders = await this.auth.headers(url);
    } catch (err) {
      return { ok: false, error: new HistoryUnreachableError(url, (err as Error).message, this.baseUrl), retry: false };
    }
    try {
      const res = await request(url, {
        dispatcher: this.agent,
        method: 'GET',
        headers: { accept: 'application/json', ...authHeaders },
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      const failure = transportFailure(err);
      if (!failure) throw err;
      if (failure.kind === 'timeout') return { ok: false, error: new HistoryTimeoutError(url, this.opts.timeoutMs, this.baseUrl), retry: true };
      return { ok: false, error: new HistoryUnreachableError(url, failure.reason, this.baseUrl), retry: true, refused: failure.kind === 'refused' };
    }
    if (status === 404) return { ok: false, error: new HistoryNotFoundError(url, text), retry: false };
    if (status >= 500 || status === 429) return { ok: false, error: new HistoryHttpError(url, status, text), retry: true };
    if (status < 200 || status >= 300) return { ok: false, error: new HistoryHttpError(url, status, text), retry: false };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      const looksHtml = /^\s*</.test(text);
      const reason = looksHtml
        ? `HTML instead of JSON ("${oneLine(text).slice(0, 60)}")`
        : `incomplete or malformed JSON (${text.length} bytes)`;
      return { ok: false, error: new HistoryBadResponseError(url, reason), retry: true };
    }
  }
}
