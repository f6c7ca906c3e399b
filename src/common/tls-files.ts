import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';

// A CA bundle, client certificate or key that was read but cannot be used (not PEM, the key of another certificate,
// an encrypted key) fails inside the first connection with OpenSSL's words and no file named, or, for a CA bundle,
// not at all: Node drops what it cannot parse and the server's certificate is then "not trusted". Checked once,
// before any request, so the message names the config key and the path. Nothing of a file's content is quoted.

/** One file's bytes, the config key that named it (`elasticsearch.keyFile`) and its path. */
export interface TlsFile {
  key: string;
  path: string;
  pem: Buffer;
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** OpenSSL's short reason ("no start line") from Node's error, else its message. */
function reason(err: unknown): string {
  const e = err as { reason?: unknown; message?: unknown };
  if (typeof e?.reason === 'string' && e.reason) return e.reason;
  return typeof e?.message === 'string' ? (e.message.split('::').at(-1) ?? e.message) : String(err);
}

/** Why these files cannot make a TLS connection, naming the key and path at fault; undefined when they can. */
export function tlsFilesProblem(files: { ca?: TlsFile; cert?: TlsFile; key?: TlsFile }): string | undefined {
  const { ca, cert, key } = files;
  if (ca) {
    const blocks = ca.pem.toString('latin1').match(CERTIFICATE_BLOCK) ?? [];
    if (blocks.length === 0) return `${ca.key} ${ca.path} holds no PEM certificate`;
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch (err) {
        return `${ca.key} ${ca.path} holds a certificate that cannot be read (${reason(err)})`;
      }
    }
  }
  if (cert) {
    try {
      createSecureContext({ cert: cert.pem });
    } catch (err) {
      return `${cert.key} ${cert.path} is not a PEM certificate (${reason(err)})`;
    }
  }
  if (key) {
    try {
      createSecureContext({ key: key.pem });
    } catch (err) {
      const why = reason(err);
      // OpenSSL asks for a passphrase there is no setting for.
      if (/bad decrypt|interrupted or cancelled|passphrase/i.test(why) || /ENCRYPTED/.test(key.pem.toString('latin1')))
        return `${key.key} ${key.path} is an encrypted key: Spot needs it unencrypted (openssl pkey -in it -out a new file)`;
      return `${key.key} ${key.path} is not a PEM private key (${why})`;
    }
  }
  if (cert && key) {
    try {
      createSecureContext({ cert: cert.pem, key: key.pem });
    } catch (err) {
      return `${key.key} ${key.path} is not the key of ${cert.key} ${cert.path} (${reason(err)})`;
    }
  }
  return undefined;
}
