import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

// A private CA with a server certificate for 127.0.0.1 and a client certificate, made by openssl in `dir`,
// for tests of servers that require client certificates.

export interface TlsFiles {
  ca: string;
  serverKey: string;
  serverCert: string;
  clientKey: string;
  clientCert: string;
}

export async function makeTlsFiles(dir: string): Promise<TlsFiles> {
  const f = (n: string) => join(dir, n);
  const ssl = (...a: string[]) => execa('openssl', a);
  await ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=spot-test-ca',
  );
  for (const [n, subj, ext] of [
    ['server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1'],
    ['client', '/CN=spot', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    await ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${n}.key`), '-out', f(`${n}.csr`), '-subj', subj);
    writeFileSync(f(`${n}.ext`), `${ext}\n`);
    await ssl(
      'x509',
      '-req',
      '-in',
      f(`${n}.csr`),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f(`${n}.pem`),
      '-days',
      '1',
      '-extfile',
      f(`${n}.ext`),
    );
  }
  return {
    ca: f('ca.pem'),
    serverKey: f('server.key'),
    serverCert: f('server.pem'),
    clientKey: f('client.key'),
    clientCert: f('client.pem'),
  };
}
