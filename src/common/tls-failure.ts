// A TLS handshake this machine refused (an untrusted, expired or misnamed certificate) is no network fault: the
// fix is a setting here. One rule for the History Server, the ResourceManager and Elasticsearch/OpenSearch clients,
// which name their own CA key. A handshake that failed below the certificate (OpenSSL's own errors) gets one line
// here too, for the same three clients: OpenSSL's text names no URL and says nothing a user can act on.

/** Node's codes for a certificate the handshake did not accept (tls.TLSSocket's verifyError, checkServerIdentity). */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The refused certificate's code and Node's words for it, looking through wrappers' causes; else undefined. */
export function certificateFailure(err: unknown, depth = 0): { code: string; message: string } | undefined {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] } | null;
  if (!e || typeof e !== 'object' || depth > 5) return undefined;
  if (typeof e.code === 'string' && CERTIFICATE_CODES.has(e.code)) {
    return { code: e.code, message: typeof e.message === 'string' ? e.message : e.code };
  }
  return certificateFailure(e.errors?.[0] ?? e.cause, depth + 1);
}

/** What to do about it, naming the CA setting of the client that met it (`elasticsearch.caFile`). */
function certificateHint(code: string, caKey: string): string {
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return "the server's certificate is outside its dates (or this machine's clock is wrong)";
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return "the server's certificate is for another host name: use its name";
  return `this machine does not trust the server's certificate: set ${caKey} to the CA bundle (PEM) that signed it`;
}

/** One line for a refused certificate: Node's words, its code, and what to do. */
export function certificateText(failure: { code: string; message: string }, caKey: string): string {
  return `${failure.message} (${failure.code}): ${certificateHint(failure.code, caKey)}`;
}

/**
 * OpenSSL's short reason for a handshake that failed below the certificate ("wrong version number"), looking through
 * wrappers' causes; else undefined. Undici's errors carry it as `reason` beside `library: 'SSL routines'`; Node's
 * https module as an EPROTO whose message quotes OpenSSL's line.
 */
function tlsReason(err: unknown, depth = 0): string | undefined {
  const e = err as { code?: unknown; library?: unknown; reason?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object' || depth > 5) return undefined;
  const code = typeof e.code === 'string' ? e.code : '';
  if (e.library === 'SSL routines' || code.startsWith('ERR_SSL_') || code === 'EPROTO') {
    if (typeof e.reason === 'string' && e.reason) return e.reason;
    const quoted = typeof e.message === 'string' ? /SSL routines:[^:]*:([^:]+)/.exec(e.message)?.[1] : undefined;
    return quoted ?? (code.startsWith('ERR_SSL_') ? code.slice(8).toLowerCase().replace(/_/g, ' ') : code);
  }
  const inner = (e as { errors?: unknown[] }).errors?.[0] ?? e.cause;
  return inner && inner !== err ? tlsReason(inner, depth + 1) : undefined;
}

/** Whether a TLS failure is the server's alert 116, "certificate required": it wants a client certificate. */
export function clientCertificateRequired(err: unknown): boolean {
  return /certificate required/i.test(tlsReason(err) ?? '');
}

/**
 * The alerts a server sends about the client certificate it was sent (42 bad certificate, 43 unsupported, 44 revoked,
 * 45 expired, 46 unknown, 48 unknown ca, 49 access denied): a server sends none of them about its own certificate.
 */
const REJECTED_ALERT =
  /alert (bad certificate|unsupported certificate|certificate revoked|certificate expired|certificate unknown|unknown ca|access denied)/i;

/** The words of the server's alert that it does not accept the client certificate it was sent; else undefined. */
export function clientCertificateRejection(err: unknown): string | undefined {
  const reason = tlsReason(err);
  return reason !== undefined && REJECTED_ALERT.test(reason) ? reason : undefined;
}

/**
 * What to do about a server that refused the client certificate it was sent, naming the keys of `section`, the
 * certificate's path and the server's alert when it sent one ("tlsv1 alert certificate expired" asks for another fix
 * than "unknown ca").
 */
export function clientCertificateRejectedText(section: string, certPath: string | undefined, alert?: string): string {
  return (
    `the server refused the TLS client certificate of ${section}.certFile${certPath ? ` ${certPath}` : ''}` +
    `${alert ? ` (${alert})` : ''}: ` +
    `set ${section}.certFile and ${section}.keyFile to a certificate signed by a CA the server trusts, and its key`
  );
}

/** Whether a TLS failure is alert 40 "handshake failure": a TLS 1.2 server's answer when sent no client certificate. */
export function handshakeFailureAlert(err: unknown): boolean {
  return /alert handshake failure/i.test(tlsReason(err) ?? '');
}

/** What to do about a server that wants a client certificate when none is set, naming the keys of `section`. */
export function clientCertificateText(section: string): string {
  return (
    `the server requires a TLS client certificate and none is set: set ${section}.certFile and ${section}.keyFile ` +
    '(PEM files of a certificate its CA signed, and its key)'
  );
}

/**
 * A TLS 1.2 server that requires a client certificate and gets none ends the handshake with alert 40, "handshake
 * failure", the same alert as for no shared cipher: when none is set, the line says both.
 */
export function withClientCertificateHint(text: string, section: string): string {
  return /alert handshake failure/i.test(text)
    ? `${text}; or, if the server requires a TLS client certificate, set ${section}.certFile and ${section}.keyFile`
    : text;
}

/**
 * One line for a TLS handshake that failed other than on the certificate, or undefined for any other error. Most
 * often an https:// URL for a server that speaks plain HTTP: OpenSSL then reads an HTTP answer as a TLS record.
 */
export function tlsFailureText(err: unknown): string | undefined {
  if (certificateFailure(err)) return undefined; // certificateText's
  const reason = tlsReason(err);
  if (reason === undefined) return undefined;
  const plain = /wrong version number|http request|packet length too long|record layer failure/i.test(reason);
  const hint = plain
    ? 'does the server speak https? try http://'
    : "check that the server speaks https on this port and shares a TLS version with this machine's Node.js";
  return `TLS handshake failed (${reason}): ${hint}`;
}

/**
 * A connection the server closed without a word, on an http:// URL: most often an https port spoken to in plain
 * HTTP, so the reason says so.
 */
export function closedHint(reason: string, url: URL | string): string {
  const plain = String(url).startsWith('http://');
  return plain && /other side closed|socket hang up|ECONNRESET/i.test(reason)
    ? `${reason} (if the server speaks https, the URL must say https://)`
    : reason;
}
