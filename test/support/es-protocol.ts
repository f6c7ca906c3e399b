import type { IncomingMessage } from 'node:http';
import aws4 from 'aws4';

// What differs between the servers Spot supports, as seen on the wire: the media types each accepts
// (Elasticsearch takes plain JSON and its own and the previous major's `compatible-with`; OpenSearch only
// plain JSON), the root response Spot tells them apart by, the product header, and how each refuses
// missing or wrong credentials. Used by the stand-in; see test/support/es-standin.ts.

export type EsFlavour =
  | 'elasticsearch-7'
  | 'elasticsearch-8'
  | 'elasticsearch-9'
  | 'opensearch-1'
  | 'opensearch-2'
  | 'opensearch-3';
export const FLAVOURS: readonly EsFlavour[] = [
  'elasticsearch-7',
  'elasticsearch-8',
  'elasticsearch-9',
  'opensearch-1',
  'opensearch-2',
  'opensearch-3',
];

const VERSIONS: Record<EsFlavour, string> = {
  'elasticsearch-7': '7.17.24',
  'elasticsearch-8': '8.15.3',
  'elasticsearch-9': '9.1.5',
  'opensearch-1': '1.3.19',
  'opensearch-2': '2.17.1',
  'opensearch-3': '3.1.0',
};

export class EsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    reason: string,
    readonly causedBy?: { type: string; reason: string },
    readonly headers: Record<string, string | string[]> = {},
    /** OpenSearch and the AWS gateway answer some refusals with a bare string or `message`, not ES's shape. */
    readonly rawBody?: unknown,
  ) {
    super(reason);
  }
  body() {
    if (this.rawBody !== undefined) return this.rawBody;
    const cause = { type: this.type, reason: this.message };
    return {
      error: { root_cause: [cause], ...cause, ...(this.causedBy ? { caused_by: this.causedBy } : {}) },
      status: this.status,
    };
  }
}

const isOpenSearch = (f: EsFlavour) => f.startsWith('opensearch');
const major = (f: EsFlavour) => Number(VERSIONS[f].split('.')[0]);

export function rootBody(flavour: EsFlavour): unknown {
  const number = VERSIONS[flavour];
  if (isOpenSearch(flavour)) {
    return {
      name: 'standin',
      cluster_name: 'standin',
      cluster_uuid: 'standin-uuid',
      version: {
        distribution: 'opensearch',
        number,
        build_type: 'tar',
        // 3.x runs Lucene 10 and talks to 2.19 and later only
        ...(major(flavour) >= 3
          ? {
              lucene_version: '10.2.1',
              minimum_wire_compatibility_version: '2.19.0',
              minimum_index_compatibility_version: '2.0.0',
            }
          : {
              lucene_version: '9.11.1',
              minimum_wire_compatibility_version: '7.10.0',
              minimum_index_compatibility_version: '7.0.0',
            }),
      },
      tagline: 'The OpenSearch Project: https://opensearch.org/',
    };
  }
  return {
    name: 'standin',
    cluster_name: 'standin',
    cluster_uuid: 'standin-uuid',
    version: { number, build_flavor: 'default', build_type: 'docker', lucene_version: '9.12.0' },
    tagline: 'You Know, for Search',
  };
}

/** Elasticsearch names itself on every answer since 7.14; OpenSearch never does. */
export const productHeaders = (flavour: EsFlavour): Record<string, string> =>
  isOpenSearch(flavour) ? {} : { 'x-elastic-product': 'Elasticsearch' };

const norm = (s: string | undefined) => (s ?? '').replace(/\s+/g, '').toLowerCase();

function accepted(flavour: EsFlavour, value: string, ndjson: boolean): boolean {
  const v = norm(value).split(';charset=')[0]!;
  const plain = ndjson ? ['application/x-ndjson', 'application/json'] : ['application/json'];
  if (plain.includes(v)) return true;
  const m = /^application\/vnd\.elasticsearch\+(json|x-ndjson);compatible-with=(\d+)$/.exec(v);
  if (!m || isOpenSearch(flavour)) return false;
  const wanted = Number(m[2]);
  return wanted === major(flavour) || wanted === major(flavour) - 1;
}

export function checkMediaTypes(flavour: EsFlavour, req: IncomingMessage, hasBody: boolean, ndjson: boolean): void {
  const accept = req.headers.accept;
  const contentType = req.headers['content-type'];
  const refused = (header: string, value: string) => {
    if (isOpenSearch(flavour)) {
      return new EsError(
        406,
        'media_type',
        '',
        undefined,
        {},
        { error: `Content-Type header [${value}] is not supported`, status: 406 },
      );
    }
    return new EsError(400, 'media_type_header_exception', `Invalid media-type value on headers [${header}]`, {
      type: 'status_exception',
      reason: `A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version. Accept=${accept ?? 'null'}, Content-Type=${contentType ?? 'null'}`,
    });
  };
  if (
    accept !== undefined &&
    accept !== '*/*' &&
    !norm(accept)
      .split(',')
      .some((a) => accepted(flavour, a, false))
  )
    throw refused('Accept', accept);
  if (!hasBody) return;
  if (contentType === undefined) {
    throw new EsError(406, 'media_type', '', undefined, {}, { error: 'Content-Type header is missing', status: 406 });
  }
  if (!accepted(flavour, contentType, ndjson)) throw refused('Content-Type', contentType);
}

export type StandinAuth =
  | { username: string; password: string }
  | { apiKey: string }
  | { bearer: string }
  | { sigv4: { region: string; service: 'es' | 'aoss'; accessKeyId: string; secretAccessKey: string } };

/** Refuses a request without the expected credentials the way each server does, challenge included. */
export function checkAuth(flavour: EsFlavour, auth: StandinAuth | undefined, req: IncomingMessage, body: string): void {
  if (!auth) return;
  if ('sigv4' in auth) return checkSigV4(auth.sigv4, req, body);
  const expected =
    'apiKey' in auth
      ? `ApiKey ${auth.apiKey}`
      : 'bearer' in auth
        ? `Bearer ${auth.bearer}`
        : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  if (req.headers.authorization === expected) return;
  if (isOpenSearch(flavour)) {
    throw new EsError(
      401,
      'unauthorized',
      '',
      undefined,
      { 'www-authenticate': 'Basic realm="OpenSearch Security"' },
      'Unauthorized',
    );
  }
  const challenge = ['Basic realm="security" charset="UTF-8"', 'Bearer realm="security"', 'ApiKey'];
  const reason = req.headers.authorization
    ? `unable to authenticate with provided credentials and anonymous access is not allowed for this request`
    : `missing authentication credentials for REST request [${req.url}]`;
  throw new EsError(401, 'security_exception', reason, undefined, { 'www-authenticate': challenge });
}

/** The action a request asks for, as security checks it (every endpoint the stand-in serves). */
function actionOf(req: IncomingMessage): { action: string; index?: string } {
  const parts = new URL(req.url ?? '/', 'http://standin').pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second] = parts;
  const method = req.method ?? 'GET';
  if (first === undefined) return { action: 'cluster:monitor/main' };
  if (first === '_index_template') return { action: 'indices:admin/index_template/put' };
  if (parts.at(-1) === '_bulk') return { action: 'indices:data/write/bulk' };
  if (first === '_refresh') return { action: 'indices:admin/refresh' };
  const index = first;
  if (second === undefined) {
    if (method === 'PUT') return { action: 'indices:admin/create', index };
    if (method === 'DELETE') return { action: 'indices:admin/delete', index };
    return { action: 'indices:admin/get', index }; // HEAD and GET of an index
  }
  if (second === '_mapping') return { action: 'indices:admin/mappings/get', index };
  if (second === '_settings') return { action: 'indices:admin/settings/update', index };
  if (second === '_refresh') return { action: 'indices:admin/refresh', index };
  if (second === '_search' || second === '_count') return { action: 'indices:data/read/search', index };
  if (second === '_doc' && method === 'GET') return { action: 'indices:data/read/get', index };
  return { action: 'indices:data/write/index', index };
}

/** The privileges that grant an action, as Elasticsearch names them in its refusal. */
const GRANTED_BY: Record<string, string> = {
  'cluster:monitor/main': 'cluster privileges [monitor,manage,all]',
  'indices:admin/index_template/put': 'cluster privileges [manage_index_templates,manage,all]',
  'indices:data/write/bulk': 'index privileges [create_doc,create,delete,index,write,all]',
  'indices:admin/refresh': 'index privileges [maintenance,manage,all]',
  'indices:admin/create': 'index privileges [create_index,manage,all]',
  'indices:admin/delete': 'index privileges [delete_index,manage,all]',
  'indices:admin/get': 'index privileges [view_index_metadata,manage,all]',
  'indices:admin/mappings/get': 'index privileges [view_index_metadata,manage,all]',
  'indices:admin/settings/update': 'index privileges [manage,all]',
  'indices:data/read/search': 'index privileges [read,all]',
  'indices:data/read/get': 'index privileges [read,all]',
  'indices:data/write/index': 'index privileges [index,write,all]',
  'indices:admin/auto_create': 'index privileges [auto_configure,create_index,manage,all]',
  'indices:data/write/bulk[s]': 'index privileges [create_doc,create,delete,index,write,all]',
  'indices:data/write/index:op_type/create': 'index privileges [create_doc,create,index,write,all]',
  'indices:data/write/delete': 'index privileges [delete,write,all]',
  'indices:data/write/update': 'index privileges [index,write,all]',
};

/** The actions a role that only reads indexes is granted: Elasticsearch's `read` index privilege, no cluster one. */
export const READ_ONLY_ACTIONS: readonly string[] = ['indices:data/read/search', 'indices:data/read/get'];

const allows = (denied: readonly string[], granted: readonly string[] | undefined, action: string) =>
  !denied.includes(action) && (granted === undefined || granted.includes(action));

/** A refusal of `action` in each server's words. */
function refusal(flavour: EsFlavour, action: string, index?: string): EsError {
  const user = 'spot';
  const reason = isOpenSearch(flavour)
    ? `no permissions for [${action}] and User [name=${user}, backend_roles=[], requestedTenant=null]`
    : `action [${action}] is unauthorized for user [${user}] with ${major(flavour) >= 8 ? 'effective roles' : 'roles'} [spot_role]` +
      `${index ? ` on indices [${index}]` : ''}, this action is granted by the ${GRANTED_BY[action]}`;
  return new EsError(403, 'security_exception', reason);
}

/**
 * Refuses an action the user's roles do not grant, as Elasticsearch security and the OpenSearch security plugin do:
 * one of `denied`, or, when `granted` lists the role's actions, any other. A bulk request is checked here as a whole
 * (a role that may write no index at all is refused it); its items are checked by bulkItemRefusals.
 */
export function checkPrivileges(
  flavour: EsFlavour,
  denied: readonly string[],
  req: IncomingMessage,
  granted?: readonly string[],
): void {
  const asked = actionOf(req);
  if (!allows(denied, granted, asked.action)) throw refusal(flavour, asked.action, asked.index);
}

/** The action each bulk operation is authorized as. */
const ITEM_ACTIONS: Record<string, string> = {
  index: 'indices:data/write/index',
  create: 'indices:data/write/index:op_type/create',
  delete: 'indices:data/write/delete',
  update: 'indices:data/write/update',
};

/**
 * The items of a bulk request the roles refuse, each as the server answers it inside a 200 answer (errors: true),
 * never by refusing the request: an index to auto-create needs `indices:admin/auto_create`, the shard request
 * `indices:data/write/bulk[s]`, and each item its own action. Elasticsearch refuses item by item (a `create_doc` role's
 * `create` items are stored beside its refused `index` items); OpenSearch's security plugin authorizes a shard request
 * with every item's action at once, so one refused item refuses every item of its index.
 */
export function bulkItemRefusals(
  flavour: EsFlavour,
  items: readonly { op: string; index: string; exists: boolean }[],
  denied: readonly string[],
  granted?: readonly string[],
): (EsError | undefined)[] {
  const refused = items.map((item) =>
    [item.exists ? undefined : 'indices:admin/auto_create', 'indices:data/write/bulk[s]', ITEM_ACTIONS[item.op]].find(
      (action) => action !== undefined && !allows(denied, granted, action),
    ),
  );
  if (isOpenSearch(flavour)) {
    const byIndex = new Map<string, string>();
    refused.forEach((action, i) => {
      if (action !== undefined && !byIndex.has(items[i]!.index)) byIndex.set(items[i]!.index, action);
    });
    return items.map((item) => {
      const action = byIndex.get(item.index);
      return action === undefined ? undefined : refusal(flavour, action, item.index);
    });
  }
  return refused.map((action, i) => (action === undefined ? undefined : refusal(flavour, action, items[i]!.index)));
}

/** Recomputes the signature over what arrived (path, query, signed headers, body) as AWS does. */
function checkSigV4(
  aws: { region: string; service: string; accessKeyId: string; secretAccessKey: string },
  req: IncomingMessage,
  body: string,
): void {
  const given = req.headers.authorization ?? '';
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(given)?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const h of signedHeaders) if (h !== 'host') headers[h] = String(req.headers[h] ?? '');
  const expected = aws4.sign(
    {
      host: req.headers.host,
      method: req.method,
      path: req.url,
      headers,
      body: body === '' ? undefined : body,
      service: aws.service,
      region: aws.region,
    },
    { accessKeyId: aws.accessKeyId, secretAccessKey: aws.secretAccessKey },
  ).headers?.Authorization;
  if (!given.startsWith('AWS4-HMAC-SHA256') || expected !== given) {
    const message = given
      ? 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'
      : "Authorization header requires 'Credential' parameter.";
    throw new EsError(403, 'forbidden', message, undefined, {}, { message });
  }
}
