import { request } from 'undici';
import type { SpotConfig } from '../config/schema.js';

// Menas REST client: logs in with a form POST (credentials in the body, never in the URL as the original
// did, spec §9.10), keeps the session (Menas 2: JWT cookie + X-CSRF-TOKEN; Enceladus 3: JWT header), logs in
// again on 401 with a short bounded backoff, and reads a missing resource (404) as "no runs".

/** The client the config asks for; undefined while menas.url is unset (Enceladus enrichment off). */
export function menasFromConfig(menas: SpotConfig['menas']): MenasClient | undefined {
  if (!menas.url) return undefined;
  return new MenasClient({
    url: menas.url,
    username: menas.username,
    password: menas.password,
    timeoutMs: menas.timeoutMs,
    defaultTimezone: menas.defaultTimezone,
  });
}

export interface MenasOptions {
  url: string;
  username?: string;
  password?: string;
  timeoutMs: number;
  defaultTimezone: string;
  /** Re-logins after a 401 before giving up. */
  maxRelogins?: number;
  /** First backoff before a re-login; doubles each time. */
  retryBaseMs?: number;
}

export class MenasError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MenasError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MenasClient {
  readonly defaultTimezone: string;
  private readonly base: string;
  private cookies = new Map<string, string>();
  private headers: Record<string, string> = {};
  private loggedIn = false;
  /** One login at a time: the crawler shares this client between apps fetched concurrently. */
  private pendingLogin?: Promise<void>;
  private session = 0;

  constructor(private readonly opts: MenasOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.defaultTimezone = opts.defaultTimezone;
  }

  /** Logs in unless logged in already (or a login is under way). */
  private ensureLogin(): Promise<void> {
    if (this.loggedIn) return Promise.resolve();
    this.pendingLogin ??= this.login().finally(() => (this.pendingLogin = undefined));
    return this.pendingLogin;
  }

  async login(): Promise<void> {
    this.cookies.clear();
    this.headers = {};
    const body = new URLSearchParams({
      username: this.opts.username ?? '',
      password: this.opts.password ?? '',
    }).toString();
    const res = await request(`${this.base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      headersTimeout: this.opts.timeoutMs,
      bodyTimeout: this.opts.timeoutMs,
    });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw new MenasError(`Menas login at ${this.base}/login failed: HTTP ${res.statusCode}`, res.statusCode);
    }
    this.keepSession(res.headers);
    this.session += 1;
    this.loggedIn = true;
  }

  private keepSession(headers: Record<string, string | string[] | undefined>): void {
    const set = headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      if (eq > 0) this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    const csrf = headers['x-csrf-token'];
    if (typeof csrf === 'string') this.headers['x-csrf-token'] = csrf;
    const jwt = headers.jwt;
    if (typeof jwt === 'string') this.headers.jwt = jwt;
  }

  /** GET a JSON resource under the base URL; undefined on 404. */
  async get(path: string): Promise<unknown> {
    const max = this.opts.maxRelogins ?? 4;
    const baseDelay = this.opts.retryBaseMs ?? 250;
    let transient = 0;
    for (let attempt = 0; ; ) {
      await this.ensureLogin();
      const session = this.session;
      const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await request(`${this.base}/${path}`, {
        method: 'GET',
        headers: { accept: 'application/json', ...this.headers, ...(cookie ? { cookie } : {}) },
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
      if (res.statusCode === 200) return res.body.json();
      await res.body.dump();
      if (res.statusCode === 404) return undefined;
      if (res.statusCode === 401 && attempt < max) {
        // The session expired: log in again (once, if several requests notice together), after a pause
        // that grows in case Menas is struggling.
        if (session === this.session) this.loggedIn = false;
        await sleep(baseDelay * 2 ** attempt);
        attempt += 1;
        continue;
      }
      if ((res.statusCode === 502 || res.statusCode === 503 || res.statusCode === 504) && transient < 2) {
        await sleep(baseDelay * 2 ** transient);
        transient += 1;
        continue;
      }
      throw new MenasError(`Menas GET ${path}: HTTP ${res.statusCode}`, res.statusCode);
    }
  }

  /** The runs whose std_application_id or conform_application_id is this Spark app id. */
  async runsBySparkAppId(appId: string): Promise<object[]> {
    const body = await this.get(`runs/bySparkAppId/${encodeURIComponent(appId)}`);
    if (body === undefined) return [];
    if (!Array.isArray(body)) throw new MenasError(`Menas runs/bySparkAppId/${appId}: expected an array`);
    return body.filter((r): r is object => typeof r === 'object' && r !== null);
  }
}
