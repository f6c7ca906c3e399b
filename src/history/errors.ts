import { maskUrlCredentials, withoutUserInfo } from '../common/url-credentials.js';

// What can go wrong talking to a History Server, as types the crawler can tell apart: an app that is not
// there (no retry, becomes an error document), a server that cannot be reached (the crawl stops, exit 1),
// and answers that stayed wrong after every retry.

export class HistoryError extends Error {
  readonly url: string;
  constructor(message: string, url: string) {
    super(message);
    this.url = withoutUserInfo(url);
    this.name = new.target.name;
  }
}

/** 404: the app (or attempt, or endpoint) is not on this server. Never retried. */
export class HistoryNotFoundError extends HistoryError {
  constructor(
    url: string,
    readonly body: string,
  ) {
    super(`${bodyText(body) || 'not found'} (404 from ${display(url)})`, url);
  }
}

/** What answers a 401 from a History Server: the settings that send credentials (README, "behind a gate"). */
const UNAUTHORIZED_FIX =
  'set historyServer.username and historyServer.password (or user:password@ in the URL), or ' +
  'historyServer.bearerToken, historyServer.headers or historyServer.kerberos, as the server asks';

/** Any other HTTP error status: 4xx at once, 5xx once retries are spent. A redirect (not followed) keeps Location. */
export class HistoryHttpError extends HistoryError {
  constructor(
    url: string,
    readonly status: number,
    readonly body: string,
    readonly location?: string,
  ) {
    super(
      `History Server answered HTTP ${status} for ${display(url)}${redirectText(url, status, location)}` +
        (body ? `: ${bodyText(body)}` : '') +
        (status === 401 ? `: ${UNAUTHORIZED_FIX}` : ''),
      url,
    );
  }
}

/**
 * A redirect is not followed (it would take the credentials elsewhere): say where it points, so the URL can be set
 * there, as a ResourceManager's is.
 */
function redirectText(url: string, status: number, location: string | undefined): string {
  if (status < 300 || status >= 400) return '';
  let target: string | undefined;
  try {
    target = location ? display(new URL(location, url).href) : undefined;
  } catch {
    target = undefined;
  }
  return target
    ? ` (a redirect to ${target}, not followed: point --history-server or historyServer.url there)`
    : ' (a redirect, not followed)';
}

/** No usable connection (refused, reset, DNS, TLS) after every retry. The message names the server. */
export class HistoryUnreachableError extends HistoryError {
  constructor(
    url: string,
    readonly reason: string,
    server: string = url,
  ) {
    super(`cannot reach the History Server at ${display(server)}: ${reason}`, url);
  }
}

/**
 * A TLS handshake that failed below the certificate (most often https:// to a plain-HTTP port). The reason says
 * what to check (tlsFailureText), so the host-and-port advice of other unreachable servers is left out.
 */
export class HistoryTlsError extends HistoryUnreachableError {}

/**
 * A setting on this machine keeps every request from being made (a CA or client certificate file that cannot be
 * read, a certificate without its key): a kind of unreachable, but nothing about the server's host or port.
 */
export class HistorySetupError extends HistoryUnreachableError {
  override readonly message: string;
  constructor(url: string, reason: string) {
    super(url, reason);
    this.message = `cannot use the History Server settings: ${reason}`;
  }
}

/**
 * No complete answer within timeoutMs, every time. A kind of unreachable. `started`: the last try had its answer
 * begun (status and headers in) when time ran out, so the server is there but slow to send it (a History Server
 * loading a big log, a trickling proxy), not a silent port.
 */
export class HistoryTimeoutError extends HistoryUnreachableError {
  constructor(
    url: string,
    readonly timeoutMs: number,
    server: string = url,
    readonly started = false,
  ) {
    const what = started ? 'an answer began but did not end' : 'no complete answer';
    super(url, `${what} within ${timeoutMs} ms${server === url ? '' : ` for ${display(url)}`}`, server);
    if (started) this.message = `the History Server at ${display(server)} is too slow: ${this.reason}`;
  }
}

/** A 200 whose body is not the JSON expected (HTML, truncated, or the wrong JSON type). */
export class HistoryBadResponseError extends HistoryError {
  constructor(
    url: string,
    readonly reason: string,
    /** The start of the body, as one line, when it was text but not JSON (a caller may recognise it). */
    readonly sample?: string,
  ) {
    super(`History Server sent an unusable answer for ${display(url)}: ${reason}`, url);
  }
}

/** URLs in messages read as typed (%3A back to ':'), without any `user:pass@`. */
function display(url: string): string {
  let text = url;
  try {
    text = decodeURI(url).replace(/%3A/gi, ':');
  } catch {
    // shown as given
  }
  return maskUrlCredentials(withoutUserInfo(text), '***');
}

/** A response bigger than historyServer.maxResponseMB: never retried, the server would send it again. */
export class HistoryResponseTooLargeError extends HistoryError {
  constructor(
    url: string,
    readonly limitBytes: number,
  ) {
    super(
      `History Server answer for ${display(url)} is larger than ${Math.round(limitBytes / 2 ** 20)} MiB` +
        ' (historyServer.maxResponseMB); raise the limit if this app is really that big',
      url,
    );
  }
}

export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Longest error body quoted in a message. */
const BODY_CHARS = 120;

/**
 * An error body as one short line. The History Server's REST API answers an error in plain text ("unknown app"); an
 * HTML page comes from something else at that address (a proxy, a web server, Jetty's own error page), and its markup
 * would fill the message: its title says it.
 */
function bodyText(body: string): string {
  const text = oneLine(body);
  if (!/^<(!doctype html|html)/i.test(text)) return text.slice(0, BODY_CHARS);
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  return `an HTML page${title ? ` titled "${title.slice(0, BODY_CHARS)}"` : ''} instead of the REST API's answer`;
}
