import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { clientCertificateRejection, clientCertificateRequired, handshakeFailureAlert } from '../common/tls-failure.js';

// Under TLS 1.3 a server checks the client's certificate after the handshake has finished, so a client that has none
// meets the refusal on its first read: alert 116 "certificate required" when it arrives in time, but as often a
// reset or a closed socket, because the request written meanwhile makes the server's kernel drop the alert. A
// connection that presents no certificate and sends nothing tells which it was: the server either sends that alert
// or, having taken the connection, a session ticket. Used by the History Server, ResourceManager and
// Elasticsearch/OpenSearch clients when a connection without a client certificate closed without an answer.
//
// A client that sends a certificate the server does not accept (another CA signed it) meets the same silence, or an
// alert about the certificate (42 "bad certificate", 48 "unknown ca", ...). A server never sends those about its own
// certificate, so the alert answers at once. Some servers (Node's among them) send none and just close, during the
// handshake (TLS 1.2) or after it (TLS 1.3); then two probes tell: with the certificate the server closes before any
// session ticket, and without one it says it wants a certificate. A server that closes every connection fails the
// second, so it is not taken for a refusal.

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
  /** The client certificate and key this client sends, if any; the probe without one leaves them out. */
  cert?: Buffer;
  key?: Buffer;
}

/**
 * How a connection that sends nothing ended: taken (the server's session ticket, or a finished TLS 1.2 handshake,
 * whose server has checked any client certificate by then), an error, a close, or nothing in time.
 */
type ProbeEnd = { kind: 'taken' } | { kind: 'error'; err: unknown } | { kind: 'closed' } | { kind: 'timeout' };

/** Connects to the https server at `url` as `tls` says, sends nothing, and tells how the connection ended first. */
function probe(url: URL, tls: ProbeTls, timeoutMs: number): Promise<ProbeEnd> {
  return new Promise((resolve) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = connect({
      host,
      port: Number(url.port) || 443,
      ...(isIP(host) ? {} : { servername: host }),
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(tls.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
      rejectUnauthorized: tls.rejectUnauthorized ?? true,
    });
    const done = (end: ProbeEnd) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(end);
    };
    const timer = setTimeout(() => done({ kind: 'timeout' }), timeoutMs);
    socket.on('error', (err) => done(closedWithoutAnswer(err) ? { kind: 'closed' } : { kind: 'error', err }));
    socket.on('session', () => done({ kind: 'taken' }));
    // A TLS 1.3 server checks the certificate after the client's side of the handshake is done: only its ticket says.
    socket.on('secureConnect', () => {
      if (socket.getProtocol() !== 'TLSv1.3') done({ kind: 'taken' });
    });
    socket.on('close', () => done({ kind: 'closed' }));
  });
}

/** The certificate and key left out: what a client without any sends. */
function withoutCertificate({ cert: _cert, key: _key, ...rest }: ProbeTls): ProbeTls {
  return rest;
}

/**
 * Whether the https server at `url` refuses connections without a client certificate; false for any other outcome
 * (another error, a session ticket, a close, or nothing within `timeoutMs`).
 */
export async function refusesWithoutCertificate(url: URL, tls: ProbeTls, timeoutMs: number): Promise<boolean> {
  const end = await probe(url, withoutCertificate(tls), timeoutMs);
  return end.kind === 'error' && clientCertificateRequired(end.err);
}

/** A server's refusal of the client certificate it was sent, in the words of its alert when it sent one. */
export interface Rejection {
  alert?: string;
}

/**
 * Whether the https server at `url` refuses the client certificate in `tls`: an alert about it, or a close before any
 * session ticket from a server that, sent no certificate, says it wants one (alert 116, or TLS 1.2's 40 "handshake
 * failure"). Undefined for any other outcome, a session ticket above all: the server took the certificate.
 */
async function refusesCertificate(url: URL, tls: ProbeTls, timeoutMs: number): Promise<Rejection | undefined> {
  const sent = await probe(url, tls, timeoutMs);
  if (sent.kind === 'error') {
    const alert = clientCertificateRejection(sent.err);
    return alert ? { alert } : undefined;
  }
  if (sent.kind !== 'closed') return undefined;
  const none = await probe(url, withoutCertificate(tls), timeoutMs);
  const wants = none.kind === 'error' && (clientCertificateRequired(none.err) || handshakeFailureAlert(none.err));
  return wants ? {} : undefined;
}

/**
 * One client's question to its server, probed at most once: was a connection that ended without an answer refused
 * for want of a client certificate (`refused`, a client that has none) or for the one it sent (`rejected`, a client
 * that has one)? The server's alert says so, or (TLS 1.3 loses the alert to a reset as often as not, and some servers
 * send none) probes do. Asked only by a client that has had no answer yet.
 */
export class CertificateRefusal {
  private probe: Promise<boolean> | undefined;
  private probeSent: Promise<Rejection | undefined> | undefined;

  constructor(private readonly tls: ProbeTls) {}

  async refused(err: unknown, url: URL, timeoutMs: number): Promise<boolean> {
    if (url.protocol !== 'https:') return false;
    if (clientCertificateRequired(err)) return true;
    if (!closedWithoutAnswer(err)) return false;
    this.probe ??= refusesWithoutCertificate(url, this.tls, timeoutMs);
    return this.probe;
  }

  async rejected(err: unknown, url: URL, timeoutMs: number): Promise<Rejection | undefined> {
    if (url.protocol !== 'https:' || !this.tls.cert || !this.tls.key) return undefined;
    const alert = clientCertificateRejection(err);
    if (alert) return { alert };
    if (!closedWithoutAnswer(err)) return undefined;
    this.probeSent ??= refusesCertificate(url, this.tls, timeoutMs);
    return this.probeSent;
  }
}
