import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { EsSigner } from './auth.js';
import {
  certificateFailure,
  certificateText,
  clientCertificateRejectedText,
  clientCertificateText,
  closedHint,
  tlsFailureText,
  withClientCertificateHint,
} from '../../common/tls-failure.js';
import { CertificateRefusal, type Rejection } from '../../history/client-certificate.js';

// One small JSON-over-HTTP client for every server Spot supports. Plain `application/json` (and
// `application/x-ndjson` for bulk) is the one media type that Elasticsearch 7.17, 8.x and 9.x and
// OpenSearch 1.x-3.x all accept: the official clients' versioned `compatible-with=N` headers are refused by
// servers of another major version, and OpenSearch refuses them altogether.

export interface EsHttpOptions {
  url: string;
  timeoutMs: number;
  /** Adds credentials to each request (static headers, or a per-request signature). */
  signer?: EsSigner;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean };
  /** Where the client certificate was read from (elasticsearch.certFile), for the line that says it was refused. */
  certFile?: string;
  retry?: EsRetry;
}

/**
 * Requests tried again, with doubling pauses: those the cluster was too busy for (429, and 502/503/504 from a node
 * or proxy without a master or a backend) and those whose connection failed (a dropped keep-alive socket is common
 * and harmless). Every request Spot sends may be sent twice: writes are by id, creations tolerate "already exists".
 */
interface EsRetry {
  /** Extra tries after the first. */
  retries: number;
  /** The pause before the first extra try; doubles each time. */
  baseMs: number;
  /** Injected by tests so that retries need no real waiting. */
  sleep?: (ms: number) => Promise<unknown>;
}

const DEFAULT_RETRY: EsRetry = { retries: 3, baseMs: 500 };

/** Statuses that say "not now" rather than "no": tried again. */
const BUSY = new Set([429, 502, 503, 504]);

/** The server answered with an error status; `type`/`reason` are its own when it sent ES-shaped JSON. */
export class EsResponseError extends Error {
  override name = 'EsResponseError';
  constructor(
    readonly status: number,
    readonly type: string | undefined,
    readonly reason: string | undefined,
    readonly body: unknown,
    readonly challenge?: string,
  ) {
    super(`${status}${type ? ` ${type}` : ''}${reason ? `: ${reason}` : ''}`);
  }
  /** What was asked, in words ("a search of spot_agg_prod"), and how many times; set by the client. */
  request = '';
  tries = 1;
}

/** A status in words: "429 Too Many Requests". */
export const statusText = (status: number): string =>
  STATUS_CODES[status] ? `${status} ${STATUS_CODES[status]}` : String(status);

/**
 * A server's reason without the separator it may end in (a cluster block's "...[SERVICE_UNAVAILABLE/2/no master];"),
 * so that a message joining it to more text does not read ";;".
 */
export const trimReason = (reason: string): string => reason.replace(/[\s;]+$/, '');

/** The server could not be reached or did not answer in time. */
export class EsConnectionError extends Error {
  override name = 'EsConnectionError';
  /** A refused certificate or TLS handshake fails the same way every time: not tried again. */
  retryable = true;
  tries = 1;
}

export interface EsRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Newline-delimited JSON (bulk), serialized by the caller, which sizes its requests by it; application/x-ndjson. */
  ndjson?: string;
  /** Statuses that are answers rather than failures (404 for "no such document"). */
  accept?: number[];
  /** false: a failed connection is not tried again (the first request to a URL, so a wrong one fails at once). */
  retryConnection?: boolean;
  /** false: a busy answer (429, 502-504) is the caller's to retry (bulk writes retry item by item). */
  retryBusy?: boolean;
}

export interface EsResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export class EsHttp {
  private readonly agent: Agent;
  private readonly base: URL;
  /** Until the server has answered once, a closed connection may be a refusal of this client's certificate. */
  private answered = false;
  private readonly certificateRefusal: CertificateRefusal;
  /**
   * Aborts every request still waiting when the client closes. Destroying the agent alone leaves a request waiting
   * forever (and the process alive) once a connection was reset after a HEAD, as undici resets it after each one.
   */
  private readonly closing = new AbortController();

  constructor(private readonly opts: EsHttpOptions) {
    this.base = new URL(opts.url.endsWith('/') ? opts.url : `${opts.url}/`);
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connect: { timeout: Math.min(opts.timeoutMs, 10_000), ...(opts.tls ?? {}) },
    });
    const tls = opts.tls;
    this.certificateRefusal = new CertificateRefusal({
      ...(tls?.ca ? { ca: tls.ca } : {}),
      ...(tls?.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
      rejectUnauthorized: tls?.rejectUnauthorized ?? true,
    });
  }

  async call<T = unknown>(req: EsRequest): Promise<EsResponse<T>> {
    const url = new URL(req.path.replace(/^\/+/, ''), this.base);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const body = req.ndjson !== undefined ? req.ndjson : req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined)
      headers['content-type'] = req.ndjson !== undefined ? 'application/x-ndjson' : 'application/json';
    if (this.opts.signer) await this.opts.signer({ method: req.method, url, headers, body });
    const retry = this.opts.retry ?? DEFAULT_RETRY;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(req, url, headers, body);
      } catch (err) {
        const again =
          err instanceof EsConnectionError
            ? err.retryable && req.retryConnection !== false
            : err instanceof EsResponseError && BUSY.has(err.status) && req.retryBusy !== false;
        if (err instanceof EsResponseError) err.request = describeRequest(req.method, req.path);
        if (err instanceof EsResponseError || err instanceof EsConnectionError) err.tries = attempt + 1;
        if (!again || attempt >= retry.retries) throw err;
        await (retry.sleep ?? sleep)(retry.baseMs * 2 ** attempt);
      }
    }
  }

  private async once<T>(
    req: EsRequest,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<EsResponse<T>> {
    let status: number;
    let text: string;
    let resHeaders: Record<string, string | string[] | undefined>;
    try {
      const res = await request(url, {
        dispatcher: this.agent,
        method: req.method,
        headers,
        body,
        signal: AbortSignal.any([AbortSignal.timeout(this.opts.timeoutMs), this.closing.signal]),
      });
      status = res.statusCode;
      this.answered = true;
      resHeaders = res.headers;
      text = await res.body.text();
    } catch (err) {
      if (this.closing.signal.aborted) {
        const closed = new EsConnectionError('the store is closed', { cause: err });
        closed.retryable = false;
        throw closed;
      }
      if (await this.wantsClientCertificate(err, url)) {
        const refused = new EsConnectionError(clientCertificateText('elasticsearch'), { cause: err });
        refused.retryable = false; // another try meets the same refusal: the fix is a setting here
        throw refused;
      }
      const rejection = await this.refusesClientCertificate(err, url);
      if (rejection) {
        const text = clientCertificateRejectedText('elasticsearch', this.opts.certFile, rejection.alert);
        const refused = new EsConnectionError(text, { cause: err });
        refused.retryable = false; // another try sends the same certificate
        throw refused;
      }
      const why = this.failureText(err, url);
      const failure = new EsConnectionError(why, { cause: err });
      // A closed client (the store closed while this waited) has no connection to try again on.
      const closed = (err as { code?: unknown }).code === 'UND_ERR_DESTROYED';
      failure.retryable = !closed && !certificateFailure(err) && !tlsFailureText(err);
      throw failure;
    }
    let parsed: unknown;
    if (text.trim() !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const ok = status >= 200 && status < 300;
    // Every answer Spot asks for is a JSON object; a success without one is a proxy's or a login page's, and the
    // reader would fail on it with a bare TypeError. (The root answer is checked by detectServer, which says more.)
    if (ok && req.method !== 'HEAD' && req.path !== '' && (parsed === null || typeof parsed !== 'object')) {
      const got = typeof parsed === 'string' ? `: ${parsed.slice(0, 100)}` : ' (empty)';
      throw new EsResponseError(status, 'not_json', `the answer is not Elasticsearch's JSON${got}`, parsed);
    }
    if (ok || req.accept?.includes(status)) return { status, body: parsed as T, headers: resHeaders };
    const answer = parsed as {
      error?: { type?: string; reason?: string } | string;
      message?: unknown;
      Message?: unknown;
    };
    const error = answer?.error;
    const type = typeof error === 'object' ? error.type : undefined;
    // AWS answers its own refusals (signature, IAM, access policy) as {"message": ...} or {"Message": ...}.
    const aws = typeof answer?.message === 'string' ? answer.message : answer?.Message;
    const reason =
      typeof error === 'object'
        ? error.reason
        : typeof error === 'string'
          ? error
          : typeof parsed === 'string'
            ? parsed.slice(0, 200)
            : typeof aws === 'string'
              ? aws
              : undefined;
    const challenge = resHeaders['www-authenticate'];
    throw new EsResponseError(
      status,
      type,
      reason === undefined ? undefined : trimReason(reason),
      parsed,
      Array.isArray(challenge) ? challenge.join(', ') : challenge,
    );
  }

  /** Whether a connection that closed without an answer was refused for want of a client certificate. */
  private async wantsClientCertificate(err: unknown, url: URL): Promise<boolean> {
    if (this.opts.tls?.cert || this.answered) return false;
    return this.certificateRefusal.refused(err, url, this.opts.timeoutMs);
  }

  /** Whether a connection that closed without an answer was refused for the client certificate it sent. */
  private async refusesClientCertificate(err: unknown, url: URL): Promise<Rejection | undefined> {
    if (!this.opts.tls?.cert || this.answered) return undefined;
    return this.certificateRefusal.rejected(err, url, this.opts.timeoutMs);
  }

  /** One line for a request that got no answer: a refused certificate or handshake, a time limit, a closed socket. */
  private failureText(err: unknown, url: URL): string {
    const certificate = certificateFailure(err);
    if (certificate) return certificateText(certificate, 'elasticsearch.caFile');
    const tls = tlsFailureText(err);
    if (tls) return this.opts.tls?.cert ? tls : withClientCertificateHint(tls, 'elasticsearch');
    const e = err as Error & { code?: string; cause?: { message?: string; code?: string } };
    if (e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT')
      return `no answer within ${this.opts.timeoutMs} ms`;
    return closedHint(e.cause?.message ?? e.message, url);
  }

  /** Ends every connection at once: a request still waiting on a cluster that stopped answering is not waited for. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.agent.destroy();
  }
}

/** A request in words, for messages: "a search of spot_agg_prod", "an existence check of spot_runs_prod". */
function describeRequest(method: EsRequest['method'], path: string): string {
  const [first = '', second, ...rest] = path.replace(/^\/+/, '').split('/').map(decodeURIComponent);
  if (first === '') return 'the first request (GET /)';
  if (first === '_bulk') return 'a bulk write';
  if (first === '_index_template') return `the index template ${second ?? ''}`.trimEnd();
  if (second === undefined) {
    if (method === 'HEAD') return `an existence check of ${first}`;
    if (method === 'PUT') return `the creation of index ${first}`;
    return `${method} ${first}`;
  }
  if (second === '_search') return `a search of ${first}`;
  if (second === '_refresh') return `a refresh of ${first}`;
  if (second === '_mapping') return `a mapping read of ${first}`;
  if (second === '_settings') return `a settings change of ${first}`;
  if (second === '_doc') return `${method === 'GET' ? 'a read' : 'a write'} of ${first}/${rest.join('/')}`;
  return `${method} ${[first, second, ...rest].join('/')}`;
}
