import { readFileSync } from 'node:fs';
import { tlsFilesProblem } from '../common/tls-files.js';
import { fileProblem } from '../format.js';

// Credentials for a History Server behind a proxy or a Kerberos-secured (SPNEGO) YARN cluster: basic
// auth (from the config or the URL's user:password@, which is then taken out of the URL so that no
// message, log line or stored document repeats it), a bearer token, extra headers (a gateway's API key),
// a TLS client certificate, or a Kerberos ticket from the user's credential cache through the optional
// `kerberos` package.

export interface HistoryAuthOptions {
  username?: string;
  password?: string;
  bearerToken?: string;
  /** `Name: value` lines. */
  headers?: string[];
  certFile?: string;
  keyFile?: string;
  kerberos?: boolean;
  /** The config section these settings come from, named in problems (`historyServer` unless said). */
  section?: string;
}

/** The few calls of the `kerberos` package SPNEGO needs. */
export interface KerberosModule {
  GSS_MECH_OID_SPNEGO: unknown;
  initializeClient(
    service: string,
    options: { mechOID: unknown },
  ): Promise<{ step(challenge: string): Promise<string> }>;
}

export interface HistoryAuth {
  /** The base URL without user:password@. */
  baseUrl: string;
  /** Headers for one request (a Kerberos token is made per request: SPNEGO tokens are single-use). */
  headers(url: string): Promise<Record<string, string>>;
  tls: { cert?: Buffer; key?: Buffer };
  /** Why these settings cannot work, reported on the first request as a one-line error. */
  problem?: string;
  /** Rejects when credentials cannot be made here at all (kerberos without its package): no request is needed. */
  ready(): Promise<void>;
}

const loadKerberos = async (): Promise<KerberosModule> => {
  const name = 'kerberos'; // optional: not installed by default, so not resolved at build time
  const mod = (await import(name)) as KerberosModule & { default?: KerberosModule };
  return mod.default ?? mod;
};

export function historyAuth(
  baseUrl: string,
  opts: HistoryAuthOptions = {},
  load: () => Promise<KerberosModule> = loadKerberos,
): HistoryAuth {
  const { url, username, password } = splitCredentials(baseUrl);
  const user = opts.username ?? username;
  const pass = opts.password ?? password ?? '';
  const fixed: Record<string, string> = {};
  let problem: string | undefined;
  const section = opts.section ?? 'historyServer';
  for (const line of opts.headers ?? []) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m) fixed[m[1]!.toLowerCase()] = m[2]!;
    else problem ??= `${section}.headers: '${line.split(':')[0]}' is not a 'Name: value' header`;
  }
  const kinds = [
    user !== undefined && 'basic',
    opts.bearerToken !== undefined && 'bearerToken',
    opts.kerberos && 'kerberos',
  ].filter(Boolean);
  if (kinds.length > 1)
    problem ??= `${section}: choose one of username/password, bearerToken, kerberos (got ${kinds.join(', ')})`;
  if (user === undefined && opts.password !== undefined)
    problem ??= `${section}.password is set without ${section}.username (or a user in the URL): no credentials would be sent`;
  if (user !== undefined) fixed.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  if (opts.bearerToken !== undefined) fixed.authorization = `Bearer ${opts.bearerToken}`;

  const tls: HistoryAuth['tls'] = {};
  if ((opts.certFile === undefined) !== (opts.keyFile === undefined))
    problem ??= `${section}.certFile and ${section}.keyFile go together: set both or neither`;
  for (const key of ['certFile', 'keyFile'] as const) {
    const file = opts[key];
    if (file === undefined) continue;
    try {
      tls[key === 'certFile' ? 'cert' : 'key'] = readFileSync(file);
    } catch (err) {
      problem ??= `cannot read ${section}.${key} ${file}: ${fileProblem(err)}`;
    }
  }
  const file = (key: 'certFile' | 'keyFile', pem: Buffer | undefined) =>
    pem && { key: `${section}.${key}`, path: opts[key]!, pem };
  problem ??= tlsFilesProblem({ cert: file('certFile', tls.cert), key: file('keyFile', tls.key) });

  let kerberos: Promise<KerberosModule> | undefined;
  const kerberosModule = (): Promise<KerberosModule> =>
    (kerberos ??= load().catch(() => {
      throw new Error(
        `${section}.kerberos needs the optional package kerberos (and the system GSSAPI library): npm install kerberos`,
      );
    }));
  const ready = async (): Promise<void> => {
    if (opts.kerberos) await kerberosModule();
  };
  const headers = async (requestUrl: string): Promise<Record<string, string>> => {
    if (!opts.kerberos) return fixed;
    const k = await kerberosModule();
    const client = await k.initializeClient(`HTTP@${new URL(requestUrl).hostname}`, { mechOID: k.GSS_MECH_OID_SPNEGO });
    return { ...fixed, authorization: `Negotiate ${await client.step('')}` };
  };
  return { baseUrl: url, headers, tls, ready, ...(problem ? { problem } : {}) };
}

/** The URL without user:password@, and what it carried (percent-decoded). */
export function splitCredentials(raw: string): { url: string; username?: string; password?: string } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { url: raw };
  }
  if (!u.username && !u.password) return { url: raw };
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.toString().replace(/\/$/, raw.endsWith('/') ? '/' : ''), username, password };
}
