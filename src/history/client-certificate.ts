import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { clientCertificateRequired } from '../common/tls-failure.js';

// Under TLS 1.3 a server checks the client's certificate after the handshake has finished, so a client that has none
// meets the refusal on its first read: alert 116 "certificate required" when it arrives in time, but as often a
// reset or a closed socket, because the request written meanwhile makes the server's kernel drop the alert. A
// connection that presents no certificate and sends nothing tells which it was: the server either sends that alert
// or, having taken the connection, a session ticket. Used by the History Server, ResourceManager and
// Elasticsearch/OpenSearch clients when a connection without a client certificate closed without an answer.

/** Codes of a connection closed without an answer, as a refusal after the handshake leaves it. */
const CLOSED = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * Whether `err` (or its cause) is a connection closed without an answer: worth a probe. Not a refused or timed-out
 * connect, where a probe would only wait out the same silence again.
 */
function closedWithoutAnswer(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return CLOSED.has(String(e?.code)) || CLOSED.has(String(e?.cause?.code));
}

export interface ProbeTls {
  ca?: Buffer;
  rejectUnauthorized?: boolean;
}

/**
 * Whether the https server at `url` refuses connections without a client certificate; false for any other outcome
 * (another error, a session ticket, a close, or nothing within `timeoutMs`).
 */
export function refusesWithoutCertificate(url: URL, tls: ProbeTls, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = connect({
      host,
      port: Number(url.port) || 443,
      ...(isIP(host) ? {} : { servername: host }),
      ...(tls.ca ? { ca: tls.ca } : {}),
      rejectUnauthorized: tls.rejectUnauthorized ?? true,
    });
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('error', (err) => done(clientCertificateRequired(err)));
    socket.on('session', () => done(false));
    socket.on('close', () => done(false));
  });
}

/**
 * One client's question to its server, probed at most once: was a connection that ended without an answer refused
 * for want of a client certificate? The server's alert says so, or (TLS 1.3 loses the alert to a reset as often as
 * not) one probe without a certificate does. Asked only by a client that has none and has had no answer yet.
 */
export class CertificateRefusal {
  private probe: Promise<boolean> | undefined;

  constructor(private readonly tls: ProbeTls) {}

  async refused(err: unknown, url: URL, timeoutMs: number): Promise<boolean> {
    if (url.protocol !== 'https:') return false;
    if (clientCertificateRequired(err)) return true;
    if (!closedWithoutAnswer(err)) return false;
    this.probe ??= refusesWithoutCertificate(url, this.tls, timeoutMs);
    return this.probe;
  }
}
