import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import {
  HistoryBadResponseError,
  HistoryError,
  HistoryHttpError,
  HistoryNotFoundError,
  HistoryResponseTooLargeError,
  HistoryTimeoutError,
  HistorySetupError,
  HistoryTlsError,
  HistoryUnreachableError,
  oneLine,
} from './errors.js';
import { backoffMs, sleep, transportFailure } from './retry.js';
import { historyAuth, type HistoryAuth, type HistoryAuthOptions } from './auth.js';
import { readCapped, spoolArray, type Spooled } from './spool.js';
import { withoutUserInfo } from '../common/url-credentials.js';
import {
  certificateText,
  clientCertificateRejectedText,
  clientCertificateText,
  closedHint,
  withClientCertificateHint,
} from '../common/tls-failure.js';
import { CertificateRefusal, type Rejection } from './client-certificate.js';
import { tlsFilesProblem } from '../common/tls-files.js';
import { fileProblem } from '../format.js';

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
  /** The config key caFile comes from, named where it is the fix; `historyServer.caFile` unless said. */
  caKey?: string;
  /** Path the REST API lives under, added to baseUrl when missing (the YARN ResourceManager's is /ws/v1). */
  apiPath?: string;
  /** Credentials (auth.ts); user:password@ in baseUrl counts as basic auth and is taken out of it. */
  auth?: HistoryAuthOptions;
  /** Largest answer taken; a bigger one fails with HistoryResponseTooLargeError. Default 256 MiB. */
  maxResponseBytes?: number;
  /**
   * When to stop, by `now` (spot-submit's crawl after the run): no try outlasts it and no retry waits past it; the
   * last failure is thrown instead. Default: no end but `retries`.
   */
  deadline?: number;
  /** The clock `deadline` is read by; Date.now when not given. */
  now?: () => number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 256 * 2 ** 20;

/** A refused connection rarely heals in seconds: give up after this many retries whatever `retries` says. */
const REFUSED_RETRIES = 2;
/**
 * A server that has never answered and lets a try time out is most likely a silent port (something that
 * accepts connections but does not speak HTTP): one more try, then give up whatever `retries` says, so a
 * 2 s time limit costs about 4 s there, not one limit per retry.
 */
const SILENT_RETRIES = 1;

type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: HistoryError; retry: boolean; refused?: boolean; silent?: boolean };

export function normaliseBaseUrl(baseUrl: string, apiPath = '/api/v1'): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, '');
  return trimmed.endsWith(apiPath) ? trimmed : `${trimmed}${apiPath}`;
}

/** Why `url` cannot be a History Server address (not http or https), or undefined when it can. */
export function checkUrl(url: string): string | undefined {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? undefined : 'not an http:// or https:// URL';
  } catch {
    return 'not a URL';
  }
}

/** The History Server's host name, as documents record it (`history_host`). */
export function historyHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
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
  /** Why a setting of this machine (a CA or client certificate file) keeps every request from being made. */
  private readonly badSetup: string | undefined;
  /** Until the server has sent one HTTP answer, a timeout likely means a silent port, not a busy server. */
  private answered = false;
  private readonly maxBytes: number;
  private readonly caKey: string;
  private readonly certificateRefusal: CertificateRefusal;

  constructor(private readonly opts: HistoryClientOptions) {
    this.caKey = opts.caKey ?? 'historyServer.caFile';
    this.auth = historyAuth(opts.baseUrl, opts.auth);
    this.baseUrl = normaliseBaseUrl(this.auth.baseUrl, opts.apiPath);
    let ca: Buffer | undefined;
    let badCa: string | undefined;
    try {
      ca = opts.caFile ? readFileSync(opts.caFile) : undefined;
    } catch (err) {
      badCa = `cannot read ${this.caKey} ${opts.caFile}: ${fileProblem(err)}`;
    }
    if (ca && opts.caFile) badCa = tlsFilesProblem({ ca: { key: this.caKey, path: opts.caFile, pem: ca } });
    this.certificateRefusal = new CertificateRefusal({ ...(ca ? { ca } : {}), ...this.auth.tls });
    this.badUrl = checkUrl(this.baseUrl);
    this.badSetup = badCa ?? this.auth.problem;
    this.maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
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
    return (await this.withRetries(url, (body) => this.parseJson(url, body))) as T;
  }

  /**
   * The elements of a JSON array answer, one at a time, in bounded memory whatever its size: the answer is
   * first written to a temporary file (so a slow consumer never holds the connection open past its time
   * limit), then parsed as a stream. The file is removed when the iteration ends, early or not.
   */
  async *getJsonArray(path: string, query?: Record<string, string | undefined>): AsyncGenerator<unknown> {
    const url = this.url(path, query);
    const spooled = await this.withRetries(url, async (body): Promise<Outcome<Spooled>> => {
      const s = await spoolArray(body, this.maxBytes);
      if (s.kind === 'array') return { ok: true, value: s };
      if (s.kind === 'too-large')
        return { ok: false, error: new HistoryResponseTooLargeError(url, this.maxBytes), retry: false };
      return { ok: false, error: new HistoryBadResponseError(url, s.reason), retry: true };
    });
    try {
      for await (const item of spooled.items()) yield item;
    } catch (err) {
      throw err instanceof HistoryError
        ? err
        : new HistoryBadResponseError(url, `incomplete or malformed JSON (${(err as Error).message})`);
    } finally {
      await spooled.remove();
    }
  }

  /**
   * A setting of this machine that keeps every request from being made (a CA or client certificate file that cannot
   * be read, clashing credentials, kerberos without its package), found without asking the server; else undefined.
   * A command that starts a crawl asks first, so that it is a configuration error, not a crawl failure.
   */
  async unusableSettings(): Promise<HistorySetupError | undefined> {
    if (this.badSetup) return new HistorySetupError(this.baseUrl, this.badSetup);
    try {
      await this.auth.ready();
    } catch (err) {
      return new HistorySetupError(this.baseUrl, (err as Error).message);
    }
    return undefined;
  }

  private async withRetries<T>(url: string, consume: (body: BodyStream) => Promise<Outcome<T>>): Promise<T> {
    if (this.badUrl) throw new HistoryUnreachableError(this.baseUrl, this.badUrl);
    if (this.badSetup) throw new HistorySetupError(this.baseUrl, this.badSetup);
    let refused = 0;
    let silent = 0;
    for (let retry = 0; ; retry++) {
      const outcome = await this.once(url, consume);
      if (outcome.ok) return outcome.value;
      if (outcome.refused) refused++;
      if (outcome.silent) silent++;
      const hopeless = refused > REFUSED_RETRIES || silent > SILENT_RETRIES;
      if (!outcome.retry || retry >= this.opts.retries || hopeless) throw outcome.error;
      const wait = backoffMs(retry, this.opts.retryBaseMs);
      if (this.timeLeft() <= wait) throw outcome.error;
      this.stats.retries++;
      await sleep(wait);
    }
  }

  /** Milliseconds until `deadline`; Infinity without one. */
  private timeLeft(): number {
    const { deadline, now = Date.now } = this.opts;
    return deadline === undefined ? Number.POSITIVE_INFINITY : deadline - now();
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async once<T>(url: string, consume: (body: BodyStream) => Promise<Outcome<T>>): Promise<Outcome<T>> {
    this.stats.requests++;
    const limitMs = Math.max(1, Math.min(this.opts.timeoutMs, this.timeLeft()));
    const server = withoutUserInfo(this.baseUrl);
    let authHeaders: Record<string, string>;
    try {
      authHeaders = await this.auth.headers(url);
    } catch (err) {
      // Credentials are made on this machine (a missing kerberos package, no Kerberos ticket): the server was never
      // asked, so this is the settings' failure, not an unreachable server's.
      return { ok: false, error: new HistorySetupError(url, (err as Error).message), retry: false };
    }
    let started = false;
    try {
      const res = await request(url, {
        dispatcher: this.agent,
        method: 'GET',
        headers: { accept: 'application/json', ...authHeaders },
        signal: AbortSignal.timeout(limitMs),
      });
      this.answered = true;
      started = true;
      const status = res.statusCode;
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > this.maxBytes) {
        res.body.destroy();
        return { ok: false, error: new HistoryResponseTooLargeError(url, this.maxBytes), retry: false };
      }
      if (status >= 200 && status < 300) return await consume(res.body);
      const text = await readCapped(res.body, 64 * 1024);
      if (status === 404) return { ok: false, error: new HistoryNotFoundError(url, text ?? ''), retry: false };
      return {
        ok: false,
        error: new HistoryHttpError(url, status, text ?? '', headerText(res.headers.location)),
        retry: status >= 500 || status === 429,
      };
    } catch (err) {
      const failure = transportFailure(err);
      if (!failure) throw err;
      if ((failure.kind === 'connection' || failure.kind === 'tls') && (await this.wantsClientCertificate(err, url))) {
        // Another try meets the same refusal: the fix is a setting here.
        const section = this.opts.auth?.section ?? 'historyServer';
        return { ok: false, error: new HistorySetupError(url, clientCertificateText(section)), retry: false };
      }
      const rejection =
        failure.kind === 'connection' || failure.kind === 'tls'
          ? await this.refusesClientCertificate(err, url)
          : undefined;
      if (rejection) {
        // The certificate sent is the server's objection, not its host or port: another try sends it again.
        const section = this.opts.auth?.section ?? 'historyServer';
        const text = clientCertificateRejectedText(section, this.opts.auth?.certFile, rejection.alert);
        return { ok: false, error: new HistorySetupError(url, text), retry: false };
      }
      if (failure.certificate) {
        // This machine refused the server's certificate: a setting here, not the server's host or port.
        return {
          ok: false,
          error: new HistorySetupError(url, certificateText(failure.certificate, this.caKey)),
          retry: false,
        };
      }
      // Another try meets the same handshake.
      if (failure.kind === 'tls') {
        const section = this.opts.auth?.section ?? 'historyServer';
        const reason = this.auth.tls.cert ? failure.reason : withClientCertificateHint(failure.reason, section);
        return { ok: false, error: new HistoryTlsError(url, reason, server), retry: false };
      }
      if (failure.kind === 'timeout') {
        return {
          ok: false,
          error: new HistoryTimeoutError(url, limitMs, server, started),
          retry: true,
          silent: !this.answered,
        };
      }
      return {
        ok: false,
        error: new HistoryUnreachableError(url, closedHint(failure.reason, url), server),
        retry: true,
        refused: failure.kind === 'refused',
      };
    }
  }

  /** Whether a connection that failed without an answer was refused for want of a client certificate. */
  private async wantsClientCertificate(err: unknown, url: string): Promise<boolean> {
    if (this.auth.tls.cert || this.answered) return false;
    const limitMs = Math.max(1, Math.min(this.opts.timeoutMs, this.timeLeft()));
    return this.certificateRefusal.refused(err, new URL(url), limitMs);
  }

  /** Whether a connection that failed without an answer was refused for the client certificate it sent. */
  private async refusesClientCertificate(err: unknown, url: string): Promise<Rejection | undefined> {
    if (!this.auth.tls.cert || this.answered) return undefined;
    const limitMs = Math.max(1, Math.min(this.opts.timeoutMs, this.timeLeft()));
    return this.certificateRefusal.rejected(err, new URL(url), limitMs);
  }

  private async parseJson(url: string, body: BodyStream): Promise<Outcome<unknown>> {
    const text = await readCapped(body, this.maxBytes);
    if (text === undefined)
      return { ok: false, error: new HistoryResponseTooLargeError(url, this.maxBytes), retry: false };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      const looksHtml = /^\s*</.test(text);
      const reason = looksHtml
        ? `HTML instead of JSON ("${oneLine(text).slice(0, 60)}")`
        : `incomplete or malformed JSON (${text.length} bytes)`;
      return { ok: false, error: new HistoryBadResponseError(url, reason, oneLine(text).slice(0, 300)), retry: true };
    }
  }
}

const headerText = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

type BodyStream = AsyncIterable<Buffer> & { destroy(err?: Error): unknown };
