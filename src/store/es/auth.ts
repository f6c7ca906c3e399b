import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import aws4 from 'aws4';
import type { SpotConfig } from '../../config/schema.js';
import { ConfigError } from '../../config/errors.js';
import { StoreError } from '../errors.js';
import { tlsFilesProblem } from '../../common/tls-files.js';
import { fileProblem } from '../../format.js';

// Credentials for the cluster: one of API key, basic, bearer token, or AWS Signature V4 (Amazon OpenSearch
// Service), plus TLS trust and an optional client certificate. Secrets are read here and nowhere else.

type EsConfig = SpotConfig['elasticsearch'];

export type EsSigner = (req: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
}) => Promise<void>;

interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Which credentials the config asks for; more than one is a mistake worth naming. */
function authKind(config: EsConfig): 'apiKey' | 'basic' | 'bearer' | 'aws' | 'none' {
  const kinds = [
    config.apiKey !== undefined && 'apiKey',
    config.username !== undefined && 'basic',
    config.bearerToken !== undefined && 'bearer',
    config.awsRegion !== undefined && 'aws',
  ].filter((k): k is 'apiKey' | 'basic' | 'bearer' | 'aws' => k !== false);
  // Mistakes in the config itself, not in the cluster: config errors (exit 2), as an ill-typed key is.
  if (kinds.length > 1) {
    throw new ConfigError(
      `elasticsearch: choose one of apiKey, username/password, bearerToken, awsRegion (got ${kinds.join(', ')})`,
    );
  }
  if (config.password !== undefined && config.username === undefined) {
    throw new ConfigError(
      'elasticsearch.password is set without elasticsearch.username (or a user in elasticsearch.url): no credentials would be sent',
    );
  }
  return kinds[0] ?? 'none';
}

/** The AWS SDK's credential chain, loaded only where it is used (tests give their own). */
type LoadAwsSdk = () => Promise<{ defaultProvider: () => () => Promise<AwsCredentials> }>;

export function signerFor(
  config: EsConfig,
  env: NodeJS.ProcessEnv = process.env,
  loadAwsSdk: LoadAwsSdk = loadCredentialProvider,
): EsSigner | undefined {
  switch (authKind(config)) {
    case 'apiKey':
      return staticHeader(`ApiKey ${config.apiKey}`);
    case 'basic':
      return staticHeader(`Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}`);
    case 'bearer':
      return staticHeader(`Bearer ${config.bearerToken}`);
    case 'aws':
      return awsSigner(config.awsRegion!, config.awsService, env, loadAwsSdk);
    case 'none':
      return undefined;
  }
}

const staticHeader =
  (authorization: string): EsSigner =>
  async ({ headers }) => {
    headers.authorization = authorization;
  };

/**
 * SigV4 over method, path, query, headers and body. `es` is Amazon OpenSearch Service, `aoss` its
 * serverless form, which also wants the body's hash as a header.
 */
function awsSigner(region: string, service: 'es' | 'aoss', env: NodeJS.ProcessEnv, loadAwsSdk: LoadAwsSdk): EsSigner {
  let credentials: Promise<() => Promise<AwsCredentials>> | undefined;
  return async (req) => {
    credentials ??= awsCredentials(env, loadAwsSdk);
    // Asked per request: an instance profile's or web identity's credentials expire within hours, and a crawl runs
    // for days; the SDK's chain keeps them until shortly before they expire, then fetches new ones.
    const creds = await (await credentials)();
    if (service === 'aoss')
      req.headers['x-amz-content-sha256'] = createHash('sha256')
        .update(req.body ?? '')
        .digest('hex');
    const signed = aws4.sign(
      {
        host: req.url.host,
        method: req.method,
        path: req.url.pathname + req.url.search,
        headers: { ...req.headers },
        body: req.body,
        service,
        region,
      },
      creds,
    );
    for (const [k, v] of Object.entries(signed.headers ?? {})) {
      if (k.toLowerCase() === 'host' || k.toLowerCase() === 'content-length') continue; // undici sets both itself
      req.headers[k.toLowerCase()] = String(v);
    }
  };
}

/**
 * The standard AWS environment variables; otherwise the AWS SDK's default chain (instance profile, IRSA,
 * SSO, ~/.aws) when `@aws-sdk/credential-provider-node` is installed beside Spot.
 */
async function awsCredentials(env: NodeJS.ProcessEnv, loadAwsSdk: LoadAwsSdk): Promise<() => Promise<AwsCredentials>> {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const fixed = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
    return async () => fixed;
  }
  let sdk: Awaited<ReturnType<LoadAwsSdk>>;
  try {
    sdk = await loadAwsSdk();
  } catch {
    throw new StoreError(
      'elasticsearch.awsRegion is set but no AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or `npm install @aws-sdk/credential-provider-node` for instance profiles and ~/.aws',
    );
  }
  return sdk.defaultProvider();
}

async function loadCredentialProvider(): ReturnType<LoadAwsSdk> {
  const moduleName = '@aws-sdk/credential-provider-node';
  return (await import(moduleName)) as Awaited<ReturnType<LoadAwsSdk>>;
}

/** TLS trust (CA bundle, or no verification) and the client certificate, read from their files. */
export function tlsOptions(config: EsConfig): {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
} {
  if ((config.certFile === undefined) !== (config.keyFile === undefined)) {
    throw new ConfigError('elasticsearch.certFile and elasticsearch.keyFile go together: set both or neither');
  }
  const read = (key: 'caFile' | 'certFile' | 'keyFile'): Buffer | undefined => {
    const file = config[key];
    if (file === undefined) return undefined;
    try {
      return readFileSync(file);
    } catch (err) {
      throw new StoreError(`cannot read elasticsearch.${key} ${file}: ${fileProblem(err)}`);
    }
  };
  const ca = read('caFile');
  const cert = read('certFile');
  const key = read('keyFile');
  const file = (name: 'caFile' | 'certFile' | 'keyFile', pem: Buffer | undefined) =>
    pem && { key: `elasticsearch.${name}`, path: config[name]!, pem };
  const problem = tlsFilesProblem({ ca: file('caFile', ca), cert: file('certFile', cert), key: file('keyFile', key) });
  if (problem) throw new StoreError(problem);
  return {
    rejectUnauthorized: config.tlsVerify,
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
  };
}
