import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import {
  bulkItemRefusals,
  checkAuth,
  checkMediaTypes,
  checkPrivileges,
  EsError,
  productHeaders,
  rootBody,
  type EsFlavour,
  type StandinAuth,
} from './es-protocol.js';

// A strict stand-in for the few Elasticsearch/OpenSearch endpoints Spot's store uses, on 127.0.0.1, speaking
// as one server version (es-protocol.ts holds what differs between them). Strict means:
// whatever it does not implement, or a real cluster would refuse, is answered with an ES-shaped 400, so a
// store relying on an unsupported feature fails its test instead of passing by accident. It keeps ES's
// visible semantics that matter to correctness: searches see only refreshed documents (GET by id is
// real-time), dynamic mapping with a total-fields limit, text vs keyword term matching, sort only on
// sortable mapped fields, a 10,000 result window, auto-created indexes for writes to unknown indexes.

const MAX_RESULT_WINDOW = 10_000;

type FieldType = 'object' | 'keyword' | 'text' | 'date' | 'long' | 'double' | 'float' | 'boolean' | 'integer';
interface Field {
  type: FieldType;
  /** For multi-fields (`name.keyword`): the source path the value comes from. */
  source?: string;
  ignoreAbove?: number;
  /** A value the type cannot take is left out of the index instead of refusing the document. */
  ignoreMalformed?: boolean;
  /** For objects: `false` stops mapping below, `'strict'` refuses new fields, undefined inherits. */
  dynamic?: boolean | 'strict';
  enabled?: boolean;
}
interface Doc {
  source: Record<string, unknown>;
  version: number;
  seqNo: number;
}
export interface StandinIndex {
  name: string;
  fields: Map<string, Field>;
  dynamic: boolean | 'strict';
  dateDetection: boolean;
  dynamicTemplates: {
    matchMappingType: string;
    pathMatch?: string;
    match?: string;
    mapping: { type: FieldType; ignore_above?: number; ignore_malformed?: boolean };
  }[];
  totalFieldsLimit: number;
  docs: Map<string, Doc>;
  /** What searches see: the documents as of the last refresh. */
  visible: Map<string, Doc>;
}

const bad = (reason: string, type = 'illegal_argument_exception') => new EsError(400, type, reason);

export interface EsStandinOptions {
  /** The default `index.mapping.total_fields.limit` (ES: 1000). */
  totalFieldsLimit?: number;
  /** Which server to speak as (default: Elasticsearch 9). */
  flavour?: EsFlavour;
  /** Require these credentials: basic, API key, bearer token or an AWS SigV4 signature. */
  auth?: StandinAuth;
  /** Serve https with this key and certificate (PEM); with `clientCa`, require a client certificate it signed. */
  tls?: { key: string; cert: string; clientCa?: string; maxVersion?: 'TLSv1.2' | 'TLSv1.3' };
  /** Refuses one bulk item (a node under load answers 429 or 503 for some items only); undefined writes it. */
  bulkItemFault?: (item: { index: string; id: string }) => { status: number; type: string; reason: string } | undefined;
  /**
   * The largest request body taken (http.max_content_length, 100 MB unless set; Amazon OpenSearch Service takes 10 MiB
   * on small instance types). A larger one is answered 413: with no body, as Elasticsearch and OpenSearch answer it,
   * or with AWS's `{"Message"}` when the stand-in checks SigV4, as a managed domain's front end answers it.
   */
  maxContentLength?: number;
  /**
   * One of the index's two shards has no copy to search (its node left): searches answer 200 without its documents,
   * `_shards.failed: 1`, unless `allow_partial_search_results=false` asks for a 503 instead.
   */
  shardFailure?: (index: string) => boolean;
  /**
   * Actions the authenticated user's roles do not grant (`indices:admin/index_template/put`, `indices:admin/create`,
   * `indices:data/read/search`): refused with 403 in each server's words, as a role without that privilege is.
   */
  deniedActions?: string[];
  /**
   * The only actions the user's roles grant (READ_ONLY_ACTIONS for a role that may only read): any other is refused
   * with 403 as deniedActions are. Undefined grants all.
   */
  grantedActions?: readonly string[];
  /**
   * Answers one whole request instead of the server: a status with an ES error body (none to a HEAD, as ES sends),
   * 'reset' to drop the connection without an answer, or 'hang' to never answer; undefined lets the server answer.
   */
  requestFault?: (req: {
    method: string;
    path: string;
  }) => { status: number; type: string; reason: string } | 'reset' | 'hang' | undefined;
}

export interface EsStandin {
  url: string;
  indexes: Map<string, StandinIndex>;
  /** Composable index templates by name, as PUT. */
  templates: Map<
    string,
    { patterns: string[]; priority: number; mappings: Record<string, unknown>; dataStream?: boolean }
  >;
  /** Every request as `METHOD /path?query`, for tests that check how the store talks. */
  requests: string[];
  /** While down, every request is answered 503 as a cluster without an elected master answers it. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export async function startEsStandin(options: EsStandinOptions = {}): Promise<EsStandin> {
  const indexes = new Map<string, StandinIndex>();
  const templates: EsStandin['templates'] = new Map();
  const flavour = options.flavour ?? 'elasticsearch-9';
  // Elasticsearch's built-in data stream templates (7.9 on; OpenSearch has none), each at priority 100.
  if (!flavour.startsWith('opensearch')) {
    for (const t of ['logs', 'metrics', 'synthetics'])
      templates.set(t, { patterns: [`${t}-*-*`], priority: 100, mappings: {}, dataStream: true });
  }
  const requests: string[] = [];
  let seqNo = 0;
  const limit = options.totalFieldsLimit ?? 1000;
  const maxContentLength = options.maxContentLength ?? 100 * 1024 * 1024;
  let down = false;

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      try {
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        requests.push(`${req.method} ${req.url}`);
        const fault = options.requestFault?.({
          method: req.method ?? 'GET',
          path: new URL(req.url ?? '/', 'http://standin').pathname,
        });
        if (fault === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fault === 'hang') return;
        if (fault) throw new EsError(fault.status, fault.type, fault.reason);
        if (down) throw new EsError(503, 'master_not_discovered_exception', 'no master node was discovered');
        if (body.length > maxContentLength) {
          const aws = options.auth !== undefined && 'sigv4' in options.auth;
          const message = `Request size exceeded ${maxContentLength} bytes`;
          throw new EsError(413, '', '', undefined, {}, aws ? { Message: message } : '');
        }
        checkAuth(flavour, options.auth, req, body.toString('utf8'));
        checkPrivileges(flavour, options.deniedActions ?? [], req, options.grantedActions);
        const result = route(req, body.toString('utf8'));
        send(res, result.status ?? 200, req.method === 'HEAD' ? undefined : result.body, productHeaders(flavour));
      } catch (e) {
        const err = e instanceof EsError ? e : new EsError(500, 'exception', String((e as Error)?.stack ?? e));
        send(res, err.status, req.method === 'HEAD' ? undefined : err.body(), {
          ...productHeaders(flavour),
          ...err.headers,
        });
      }
    });
  };
  const tls = options.tls;
  const server = tls
    ? createTlsServer(
        {
          key: tls.key,
          cert: tls.cert,
          ...(tls.maxVersion ? { maxVersion: tls.maxVersion } : {}),
          ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
        },
        handler,
      )
    : createServer(handler);

  function route(req: IncomingMessage, text: string): { status?: number; body?: unknown } {
    const url = new URL(req.url ?? '/', 'http://standin');
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const isBulk = parts[parts.length - 1] === '_bulk';
    checkMediaTypes(flavour, req, text.length > 0, isBulk);
    const q = url.searchParams;
    const json = (): Record<string, unknown> =>
      text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    const [first, second, third] = parts;

    if (parts.length === 0 && (method === 'HEAD' || method === 'GET')) {
      return { body: rootBody(flavour) };
    }
    if (first === '_index_template' && second !== undefined && parts.length === 2 && method === 'PUT')
      return { body: putTemplate(second, json()) };
    if (isBulk && (method === 'POST' || method === 'PUT')) {
      allowParams(q, ['refresh', 'timeout'], url.pathname);
      return { body: bulk(text, parts.length === 2 ? first : undefined, q.get('refresh')) };
    }
    if (first === '_refresh' && parts.length === 1) {
      for (const idx of indexes.values()) idx.visible = new Map(idx.docs);
      return { body: { _shards: { total: indexes.size, successful: indexes.size, failed: 0 } } };
    }
    if (first === undefined || first.startsWith('_'))
      throw bad(`stand-in: unsupported endpoint ${method} ${url.pathname}`);
    const name = first;
    if (parts.length === 1) {
      if (method === 'HEAD') return { status: indexes.has(name) ? 200 : 404 };
      if (method === 'PUT') return { body: createIndex(name, json()) };
      if (method === 'DELETE') {
        mustGet(name);
        indexes.delete(name);
        return { body: { acknowledged: true } };
      }
    }
    if (second === '_mapping' && parts.length === 2 && method === 'GET') {
      allowParams(q, [], url.pathname);
      return { body: Object.fromEntries(name.split(',').map((n) => [n, { mappings: mappingOf(mustGet(n)) }])) };
    }
    if (second === '_settings' && method === 'PUT' && parts.length === 2)
      return { body: putSettings(mustGet(name), json()) };
    if (second === '_refresh' && parts.length === 2 && (method === 'POST' || method === 'GET')) {
      const targets = name.split(',').map(mustGet); // a comma list refreshes several indexes at once
      for (const idx of targets) idx.visible = new Map(idx.docs);
      return { body: { _shards: { total: targets.length, successful: targets.length, failed: 0 } } };
    }
    if (second === '_search' && parts.length === 2 && (method === 'POST' || method === 'GET')) {
      allowParams(q, ['allow_partial_search_results'], url.pathname);
      return { body: search(mustGet(name), json(), q.get('allow_partial_search_results') !== 'false') };
    }
    if (second === '_count' && parts.length === 2 && (method === 'POST' || method === 'GET')) {
      const idx = mustGet(name);
      const body = json();
      for (const k of Object.keys(body))
        if (k !== 'query') throw bad(`request does not support [${k}]`, 'parsing_exception');
      const query = (body.query ?? { match_all: {} }) as Record<string, unknown>;
      return { body: { count: [...idx.visible.values()].filter((d) => matches(idx, d.source, query)).length } };
    }
    if ((second === '_doc' || second === '_create') && third !== undefined && parts.length === 3) {
      if (method === 'GET' && second === '_doc') {
        allowParams(q, [], url.pathname);
        const idx = mustGet(name);
        const doc = idx.docs.get(third);
        if (!doc) return { status: 404, body: { _index: name, _id: third, found: false } };
        return {
          body: {
            _index: name,
            _id: third,
            _version: doc.version,
            _seq_no: doc.seqNo,
            _primary_term: 1,
            found: true,
            _source: doc.source,
          },
        };
      }
      if (method === 'PUT' || method === 'POST') {
        allowParams(q, ['refresh', 'if_seq_no', 'if_primary_term', 'op_type'], url.pathname);
        const ifSeq = q.get('if_seq_no');
        const op = second === '_create' || q.get('op_type') === 'create' ? 'create' : 'index';
        const idx = indexes.get(name) ?? autoCreate(name);
        const current = idx.docs.get(third);
        if (ifSeq !== null && (!current || current.seqNo !== Number(ifSeq) || q.get('if_primary_term') !== '1')) {
          throw new EsError(
            409,
            'version_conflict_engine_exception',
            `[${third}]: version conflict, required seqNo [${ifSeq}], primary term [1]. current document has seqNo [${current?.seqNo ?? -1}] and primary term [1]`,
          );
        }
        const item = write(idx, op, third, json());
        if ('error' in item) {
          const e = item.error as { type: string; reason: string; caused_by?: { type: string; reason: string } };
          throw new EsError(item.status, e.type, e.reason, e.caused_by);
        }
        if (refreshes(q.get('refresh'))) idx.visible = new Map(idx.docs);
        return { status: item.status, body: item };
      }
    }
    throw bad(`stand-in: unsupported endpoint ${method} ${url.pathname}`);
  }

  function mustGet(name: string): StandinIndex {
    const idx = indexes.get(name);
    if (!idx) throw new EsError(404, 'index_not_found_exception', `no such index [${name}]`);
    return idx;
  }

  function newIndex(name: string): StandinIndex {
    if (name !== name.toLowerCase())
      throw bad(`Invalid index name [${name}], must be lowercase`, 'invalid_index_name_exception');
    return {
      name,
      fields: new Map(),
      dynamic: true,
      dateDetection: true,
      dynamicTemplates: [],
      totalFieldsLimit: limit,
      docs: new Map(),
      visible: new Map(),
    };
  }

  function autoCreate(name: string): StandinIndex {
    const idx = newIndex(name);
    applyMappings(idx, templateFor(name));
    indexes.set(name, idx);
    return idx;
  }

  /** The highest-priority composable template whose pattern matches, as ES picks one (no merging). */
  function templateFor(name: string): Record<string, unknown> {
    const chosen = chosenTemplate(name);
    if (chosen?.[1].dataStream) {
      throw bad(
        `cannot create index with name [${name}], because it matches with template [${chosen[0]}] that creates ` +
          'data streams only, use create data stream api instead',
      );
    }
    return chosen?.[1].mappings ?? {};
  }

  function chosenTemplate(name: string) {
    const matching = [...templates].filter(([, t]) =>
      t.patterns.some((p) =>
        new RegExp(
          `^${p
            .split('*')
            .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        ).test(name),
      ),
    );
    matching.sort((a, b) => b[1].priority - a[1].priority);
    return matching[0];
  }

  function putTemplate(name: string, body: Record<string, unknown>): unknown {
    for (const k of Object.keys(body)) {
      if (!['index_patterns', 'priority', 'template', '_meta', 'version'].includes(k))
        throw bad(`[index_template] unknown field [${k}]`, 'x_content_parse_exception');
    }
    const template = (body.template ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(template))
      if (k !== 'mappings' && k !== 'settings') throw bad(`stand-in: unsupported template part [${k}]`);
    const patterns = body.index_patterns;
    if (!Array.isArray(patterns) || patterns.length === 0)
      throw bad('Validation Failed: 1: index patterns are missing;', 'action_request_validation_exception');
    checkMappings((template.mappings ?? {}) as Record<string, unknown>);
    const priority = Number(body.priority ?? 0);
    // As MetadataIndexTemplateService: no two composable templates of one priority may match one index name.
    const overlapping = [...templates].filter(
      ([other, t]) =>
        other !== name &&
        t.priority === priority &&
        t.patterns.some((p) => (patterns as string[]).some((q) => globsOverlap(p, q))),
    );
    if (overlapping.length > 0) {
      throw bad(
        `index template [${name}] has index patterns [${(patterns as string[]).join(', ')}] matching patterns from ` +
          `existing templates [${overlapping.map(([n]) => n).join(',')}] with patterns (${overlapping
            .map(([n, t]) => `${n} => [${t.patterns.join(', ')}]`)
            .join(',')}) that have the same priority [${priority}], multiple index templates may not match during ` +
          'index creation, please use a different priority',
      );
    }
    templates.set(name, {
      patterns: patterns as string[],
      priority,
      mappings: (template.mappings ?? {}) as Record<string, unknown>,
    });
    return { acknowledged: true };
  }

  function createIndex(name: string, body: Record<string, unknown>): unknown {
    if (indexes.has(name))
      throw bad(`index [${name}/standin-uuid] already exists`, 'resource_already_exists_exception');
    for (const k of Object.keys(body))
      if (k !== 'settings' && k !== 'mappings') throw bad(`unknown key [${k}] for create index`, 'parsing_exception');
    const idx = newIndex(name);
    applySettings(idx, (body.settings ?? {}) as Record<string, unknown>);
    const fromTemplate = templateFor(name); // refuses a name only data streams may take, mappings given or not
    applyMappings(idx, body.mappings === undefined ? fromTemplate : (body.mappings as Record<string, unknown>));
    if (idx.fields.size > idx.totalFieldsLimit)
      throw bad(`Limit of total fields [${idx.totalFieldsLimit}] has been exceeded`);
    indexes.set(name, idx);
    return { acknowledged: true, shards_acknowledged: true, index: name };
  }

  function checkMappings(mappings: Record<string, unknown>): void {
    for (const k of Object.keys(mappings)) {
      if (!['dynamic', 'date_detection', 'properties', 'dynamic_templates', '_meta'].includes(k))
        throw bad(`stand-in: unsupported mapping parameter [${k}]`, 'mapper_parsing_exception');
    }
  }

  function applyMappings(idx: StandinIndex, mappings: Record<string, unknown>): void {
    checkMappings(mappings);
    if (mappings.dynamic !== undefined) idx.dynamic = parseDynamic(mappings.dynamic);
    if (mappings.date_detection !== undefined) idx.dateDetection = Boolean(mappings.date_detection);
    for (const entry of (mappings.dynamic_templates ?? []) as Record<
      string,
      { match_mapping_type?: string; path_match?: string; match?: string; mapping: { type: FieldType } }
    >[]) {
      for (const [tname, t] of Object.entries(entry)) {
        const keys = Object.keys(t);
        if (
          !t.match_mapping_type ||
          keys.some((k) => !['match_mapping_type', 'mapping', 'path_match', 'match'].includes(k))
        ) {
          throw bad(
            `stand-in: dynamic template [${tname}] may only use match_mapping_type, path_match, match and mapping`,
            'mapper_parsing_exception',
          );
        }
        idx.dynamicTemplates.push({
          matchMappingType: t.match_mapping_type,
          pathMatch: t.path_match,
          match: t.match,
          mapping: t.mapping,
        });
      }
    }
    addProperties(idx, '', (mappings.properties ?? {}) as Record<string, Record<string, unknown>>);
  }

  function addProperties(idx: StandinIndex, prefix: string, props: Record<string, Record<string, unknown>>): void {
    const types: FieldType[] = ['object', 'keyword', 'text', 'date', 'long', 'double', 'float', 'boolean', 'integer'];
    for (const [key, def] of Object.entries(props)) {
      const path = prefix + key;
      const type = (def.type ?? (def.properties ? 'object' : undefined)) as FieldType | undefined;
      if (!type || !types.includes(type))
        throw bad(
          `stand-in: no handler for type [${String(def.type)}] declared on field [${key}]`,
          'mapper_parsing_exception',
        );
      const field: Field = { type };
      if (def.ignore_above !== undefined) field.ignoreAbove = Number(def.ignore_above);
      if (def.ignore_malformed === true) field.ignoreMalformed = true;
      if (def.dynamic !== undefined) field.dynamic = parseDynamic(def.dynamic);
      if (def.enabled === false) field.enabled = false;
      idx.fields.set(path, field);
      if (def.properties) addProperties(idx, `${path}.`, def.properties as Record<string, Record<string, unknown>>);
      for (const [sub, sdef] of Object.entries((def.fields ?? {}) as Record<string, Record<string, unknown>>)) {
        idx.fields.set(`${path}.${sub}`, {
          type: sdef.type as FieldType,
          source: path,
          ignoreAbove: sdef.ignore_above as number | undefined,
        });
      }
    }
  }

  /** The index's mapping as GET _mapping shows it: nested properties, multi-fields under `fields`. */
  function mappingOf(idx: StandinIndex): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    const nodeAt = (path: string): Record<string, unknown> => {
      const parts = path.split('.');
      let props = root;
      for (const [i, p] of parts.entries()) {
        const node = (props[p] ?? {}) as { properties?: Record<string, unknown> };
        props[p] = node;
        if (i === parts.length - 1) return node as Record<string, unknown>;
        node.properties ??= {};
        props = node.properties;
      }
      return props;
    };
    for (const [path, f] of idx.fields) {
      const def: Record<string, unknown> = f.type === 'object' ? {} : { type: f.type };
      if (f.ignoreAbove !== undefined) def.ignore_above = f.ignoreAbove;
      if (f.ignoreMalformed) def.ignore_malformed = true;
      // ES shows `dynamic` as a string
      if (f.dynamic !== undefined) def.dynamic = String(f.dynamic);
      if (f.enabled === false) def.enabled = false;
      if (f.source !== undefined) {
        const parent = nodeAt(f.source);
        parent.fields = { ...(parent.fields as object), [path.slice(f.source.length + 1)]: def };
      } else Object.assign(nodeAt(path), def);
    }
    return {
      ...(idx.dynamic === true ? {} : { dynamic: String(idx.dynamic) }),
      ...(idx.dateDetection ? {} : { date_detection: false }),
      ...(Object.keys(root).length > 0 ? { properties: root } : {}),
    };
  }

  function putSettings(idx: StandinIndex, body: Record<string, unknown>): unknown {
    applySettings(idx, (body.settings as Record<string, unknown>) ?? body);
    return { acknowledged: true };
  }

  function applySettings(idx: StandinIndex, settings: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(flatten(settings))) {
      const k = key.startsWith('index.') ? key : `index.${key}`;
      if (k === 'index.mapping.total_fields.limit') idx.totalFieldsLimit = Number(value);
      else if (k !== 'index.number_of_shards' && k !== 'index.number_of_replicas')
        throw bad(`stand-in: unsupported setting [${k}]`);
    }
  }

  function bulk(text: string, defaultIndex: string | undefined, refresh: string | null): unknown {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const items: unknown[] = [];
    const touched = new Set<StandinIndex>();
    // Elasticsearch validates every item before it runs any: one id over 512 bytes refuses the whole request.
    // OpenSearch does so from 2.9 (OpenSearch#6595); 1.x let such ids through a bulk request.
    const tooLong: string[] = [];
    const targets: { op: string; index: string; exists: boolean }[] = [];
    for (let i = 0; i < lines.length; i++) {
      const [op, meta] =
        Object.entries(JSON.parse(lines[i]!) as Record<string, { _id?: string; _index?: string }>)[0] ?? [];
      const index = meta?._index ?? defaultIndex ?? '';
      targets.push({ op: op ?? '', index, exists: indexes.has(index) });
      const bytes = Buffer.byteLength(meta?._id ?? '');
      if (bytes > 512 && flavour !== 'opensearch-1')
        tooLong.push(
          `${tooLong.length + 1}: id [${meta!._id}] is too long, must be no longer than 512 bytes but was: ${bytes};`,
        );
      if (op !== 'delete') i++;
    }
    if (tooLong.length > 0) throw bad(`Validation Failed: ${tooLong.join('')}`, 'action_request_validation_exception');
    // Security checks every item before any runs: an index to auto-create, the shard request, the item's own action.
    const refusals = bulkItemRefusals(flavour, targets, options.deniedActions ?? [], options.grantedActions);
    let ordinal = -1;
    for (let i = 0; i < lines.length; i++) {
      const action = JSON.parse(lines[i]!) as Record<string, { _index?: string; _id?: string }>;
      const [op, meta] = Object.entries(action)[0] ?? [];
      if (!op || !meta || !['index', 'create', 'update', 'delete'].includes(op))
        throw bad(`Malformed action/metadata line [${i + 1}]`);
      for (const k of Object.keys(meta))
        if (!['_index', '_id'].includes(k)) throw bad(`stand-in: unsupported bulk metadata [${k}]`);
      const name = meta._index ?? defaultIndex;
      if (!name) throw bad('Validation Failed: 1: index is missing;', 'action_request_validation_exception');
      const id = meta._id;
      const source = op === 'delete' ? {} : (JSON.parse(lines[++i] ?? '{}') as Record<string, unknown>);
      const refused = refusals[++ordinal];
      if (refused) {
        const error = { type: refused.type, reason: refused.message };
        items.push({ [op]: { _index: name, _id: id, status: refused.status, error } });
        continue;
      }
      const fault = id ? options.bulkItemFault?.({ index: name, id }) : undefined;
      if (fault) {
        items.push({
          [op]: { _index: name, _id: id, status: fault.status, error: { type: fault.type, reason: fault.reason } },
        });
        continue;
      }
      const idx = indexes.get(name) ?? autoCreate(name);
      touched.add(idx);
      if (!id && op !== 'index' && op !== 'create')
        throw bad('Validation Failed: 1: id is missing;', 'action_request_validation_exception');
      const docId = id ?? `auto-${++seqNo}`;
      let item: Record<string, unknown>;
      if (op === 'delete') {
        const existed = idx.docs.delete(docId);
        item = { _index: name, _id: docId, result: existed ? 'deleted' : 'not_found', status: existed ? 200 : 404 };
      } else if (op === 'update') {
        item = update(idx, docId, source);
      } else {
        item = write(idx, op as 'index' | 'create', docId, source);
      }
      items.push({ [op]: item });
    }
    if (refreshes(refresh)) for (const idx of touched) idx.visible = new Map(idx.docs);
    return { took: 1, errors: items.some((it) => Object.values(it as object)[0].error), items };
  }

  function update(idx: StandinIndex, id: string, body: Record<string, unknown>): Record<string, unknown> {
    for (const k of Object.keys(body))
      if (k !== 'doc' && k !== 'doc_as_upsert') throw bad(`stand-in: unsupported update key [${k}]`);
    const current = idx.docs.get(id);
    if (!current && !body.doc_as_upsert) {
      return {
        _index: idx.name,
        _id: id,
        status: 404,
        error: { type: 'document_missing_exception', reason: `[${id}]: document missing` },
      };
    }
    const merged = deepMerge(current?.source ?? {}, (body.doc ?? {}) as Record<string, unknown>);
    return write(idx, 'index', id, merged);
  }

  function write(
    idx: StandinIndex,
    op: 'index' | 'create',
    id: string,
    source: Record<string, unknown>,
  ): Record<string, unknown> & { status: number } {
    const current = idx.docs.get(id);
    if (op === 'create' && current) {
      return {
        _index: idx.name,
        _id: id,
        status: 409,
        error: {
          type: 'version_conflict_engine_exception',
          reason: `[${id}]: version conflict, document already exists (current version [${current.version}])`,
        },
      } as never;
    }
    const mapped = mapDocument(idx, source, id);
    if ('error' in mapped) return { _index: idx.name, _id: id, status: 400, error: mapped.error } as never;
    for (const [path, field] of mapped.added) idx.fields.set(path, field);
    const doc = { source, version: (current?.version ?? 0) + 1, seqNo: ++seqNo };
    idx.docs.set(id, doc);
    return {
      _index: idx.name,
      _id: id,
      _version: doc.version,
      result: current ? 'updated' : 'created',
      _seq_no: doc.seqNo,
      _primary_term: 1,
      status: current ? 200 : 201,
    };
  }

  /** Dynamic mapping: the fields this document would add, or ES's refusal. */
  function mapDocument(idx: StandinIndex, source: Record<string, unknown>, id: string) {
    const added = new Map<string, Field>();
    let failure: { type: string; reason: string; caused_by?: { type: string; reason: string } } | undefined;
    // As FieldMapper words it: the field, its type and the value in `reason`, the parser's own complaint (which names
    // neither) in `caused_by`. Elasticsearch 8 and later call it document_parsing_exception and say where.
    const parseFailure = (field: string, type: FieldType, value: unknown) => {
      const [kind, where] =
        flavour === 'elasticsearch-7' || flavour.startsWith('opensearch') ? ['mapper', ''] : ['document', '[1:1] '];
      return {
        type: `${kind}_parsing_exception`,
        reason: `${where}failed to parse field [${field}] of type [${type}] in document with id '${id}'. Preview of field's value: '${String(value)}'`,
        caused_by: parserComplaint(type, value),
      };
    };
    const visit = (prefix: string, value: unknown, dynamic: boolean | 'strict'): void => {
      if (failure || value === null || value === undefined) return;
      if (Array.isArray(value)) {
        for (const v of value) visit(prefix, v, dynamic);
        return;
      }
      const known = idx.fields.get(prefix) ?? added.get(prefix);
      if (known) {
        if (known.type === 'object') {
          if (known.enabled === false) return;
          if (typeof value !== 'object') {
            failure = {
              type: 'document_parsing_exception',
              reason: `[1:1] object mapping for [${prefix}] tried to parse field [${prefix}] as object, but found a concrete value`,
            };
            return;
          }
          const d = known.dynamic ?? dynamic;
          for (const [k, v] of Object.entries(value as object)) visit(`${prefix}.${k}`, v, d);
        } else if (malformed(known, value) && !known.ignoreMalformed) {
          failure = parseFailure(prefix, known.type, value);
        }
        return;
      }
      if (dynamic === false) return;
      if (dynamic === 'strict') {
        failure = {
          type: 'strict_dynamic_mapping_exception',
          reason: `[1:1] mapping set to strict, dynamic introduction of [${prefix}] within [_doc] is not allowed`,
        };
        return;
      }
      // the first template whose conditions all hold, as ES picks one
      const template = (t: string) =>
        idx.dynamicTemplates.find(
          (x) =>
            (x.matchMappingType === t || x.matchMappingType === '*') &&
            (x.pathMatch === undefined || glob(x.pathMatch).test(prefix)) &&
            (x.match === undefined || glob(x.match).test(prefix.split('.').pop()!)),
        );
      if (typeof value === 'object') {
        added.set(prefix, { type: 'object' });
        for (const [k, v] of Object.entries(value as object)) visit(`${prefix}.${k}`, v, dynamic);
      } else if (typeof value === 'boolean') {
        added.set(prefix, { type: 'boolean' });
      } else if (typeof value === 'number') {
        const kind = Number.isInteger(value) ? 'long' : 'double';
        added.set(prefix, { type: template(kind)?.mapping.type ?? (kind === 'long' ? 'long' : 'float') });
      } else {
        const s = String(value);
        const t = template('string');
        const field: Field | undefined = t && {
          type: t.mapping.type,
          ignoreAbove: t.mapping.ignore_above,
          ignoreMalformed: t.mapping.ignore_malformed,
        };
        if (field && malformed(field, value) && !field.ignoreMalformed) {
          failure = parseFailure(prefix, field.type, value);
        } else if (field) added.set(prefix, field);
        else if (idx.dateDetection && /^\d{4}[-/]\d{2}[-/]\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s))
          added.set(prefix, { type: 'date' });
        else {
          added.set(prefix, { type: 'text' });
          added.set(`${prefix}.keyword`, { type: 'keyword', source: prefix, ignoreAbove: 256 });
        }
      }
    };
    for (const [k, v] of Object.entries(source)) visit(k, v, idx.dynamic);
    if (failure) return { error: failure };
    const total = idx.fields.size + added.size;
    if (added.size > 0 && total > idx.totalFieldsLimit) {
      const reason = `Limit of total fields [${idx.totalFieldsLimit}] has been exceeded while adding new fields [${added.size}]`;
      return {
        error: {
          type: 'document_parsing_exception',
          reason: `[1:1] failed to parse: ${reason}`,
          caused_by: { type: 'illegal_argument_exception', reason },
        },
      };
    }
    return { added };
  }

  // ---- search ----

  function search(idx: StandinIndex, body: Record<string, unknown>, allowPartial: boolean): unknown {
    const allowed = ['query', 'size', 'from', 'sort', 'search_after', '_source', 'track_total_hits'];
    for (const k of Object.keys(body)) {
      if (!allowed.includes(k)) throw bad(`Unknown key for a START_OBJECT in [${k}].`, 'parsing_exception');
    }
    const size = body.size === undefined ? 10 : Number(body.size);
    const from = body.from === undefined ? 0 : Number(body.from);
    if (from + size > MAX_RESULT_WINDOW) {
      throw bad(
        `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
      );
    }
    const query = (body.query ?? { match_all: {} }) as Record<string, unknown>;
    const sort = parseSort(idx, body.sort);
    // Two shards, documents placed by id; a failed one leaves its documents out of a 200 answer unless asked not to.
    const failed = options.shardFailure?.(idx.name) === true;
    const failure = {
      shard: 1,
      index: idx.name,
      reason: { type: 'no_shard_available_action_exception', reason: null },
    };
    if (failed && !allowPartial) {
      throw new EsError(503, 'search_phase_execution_exception', 'Partial shards failure');
    }
    const onLiveShard = (id: string) => !failed || shardOf(id) === 0;
    let hits = [...idx.visible.entries()]
      .filter(([id, d]) => onLiveShard(id) && matches(idx, d.source, query))
      .map(([id, d]) => ({ id, d, sort: sort.map((s) => sortValue(idx, d.source, s.field)) }));
    const total = hits.length;
    if (sort.length > 0) hits.sort((a, b) => compareTuples(a.sort, b.sort, sort));
    if (body.search_after !== undefined) {
      const after = body.search_after as unknown[];
      if (!Array.isArray(after) || after.length !== sort.length) {
        throw bad(`search_after has ${Array.isArray(after) ? after.length : 0} value(s) but sort has ${sort.length}.`);
      }
      if (from !== 0) throw bad('`from` parameter must be set to 0 when `search_after` is used.');
      hits = hits.filter((h) => compareTuples(h.sort, after, sort) > 0);
    }
    const page = hits.slice(from, from + size);
    const trackAll = body.track_total_hits === true;
    return {
      took: 1,
      timed_out: false,
      _shards: failed
        ? { total: 2, successful: 1, skipped: 0, failed: 1, failures: [failure] }
        : { total: 2, successful: 2, skipped: 0, failed: 0 },
      hits: {
        ...(body.track_total_hits === false
          ? {}
          : {
              total:
                trackAll || total <= 10_000 ? { value: total, relation: 'eq' } : { value: 10_000, relation: 'gte' },
            }),
        max_score: null,
        hits: page.map((h) => ({
          _index: idx.name,
          _id: h.id,
          _score: sort.length > 0 ? null : 1,
          ...(body._source === false ? {} : { _source: filterSource(h.d.source, body._source) }),
          ...(sort.length > 0 ? { sort: h.sort } : {}),
        })),
      },
    };
  }

  function parseSort(idx: StandinIndex, raw: unknown): { field: string; desc: boolean }[] {
    if (raw === undefined) return [];
    const list = Array.isArray(raw) ? raw : [raw];
    return list.map((entry) => {
      let field: string;
      let order: unknown = 'asc';
      let unmapped: string | undefined;
      if (typeof entry === 'string') field = entry;
      else {
        const [f, spec] = Object.entries(entry as object)[0] ?? [];
        field = f as string;
        if (typeof spec === 'string') order = spec;
        else if (spec && typeof spec === 'object') {
          for (const k of Object.keys(spec))
            if (k !== 'order' && k !== 'unmapped_type') throw bad(`stand-in: unsupported sort option [${k}]`);
          order = (spec as { order?: string }).order ?? 'asc';
          unmapped = (spec as { unmapped_type?: string }).unmapped_type;
        }
      }
      if (order !== 'asc' && order !== 'desc')
        throw bad(`stand-in: sort order must be asc or desc, got [${String(order)}]`);
      const mapped = idx.fields.get(field);
      if (!mapped && unmapped !== undefined) return { field, desc: order === 'desc' }; // every hit sorts as missing
      if (!mapped) throw bad(`No mapping found for [${field}] in order to sort on`, 'query_shard_exception');
      if (mapped.type === 'text' || mapped.type === 'object') {
        throw bad(
          `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
        );
      }
      return { field, desc: order === 'desc' };
    });
  }

  function sortValue(idx: StandinIndex, source: Record<string, unknown>, field: string): unknown {
    const mapped = idx.fields.get(field);
    if (!mapped) return null;
    const values = fieldValues(idx, source, field);
    const v = values[0];
    if (v === undefined) return null;
    if (mapped.type === 'date') return Date.parse(String(v));
    if (mapped.type === 'keyword') return String(v);
    return v;
  }

  function compareTuples(a: unknown[], b: unknown[], sort: { desc: boolean }[]): number {
    for (let i = 0; i < sort.length; i++) {
      const x = a[i];
      const y = b[i];
      if (x === y) continue;
      if (x === null || x === undefined) return 1; // missing values sort last either way
      if (y === null || y === undefined) return -1;
      const c = (x as number | string) < (y as number | string) ? -1 : 1;
      return sort[i]!.desc ? -c : c;
    }
    return 0;
  }

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        templates,
        url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
        indexes,
        requests,
        setDown: (value) => {
          down = value;
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

// ---- query DSL (the subset Spot uses) ----

function matches(idx: StandinIndex, source: Record<string, unknown>, query: Record<string, unknown>): boolean {
  const entries = Object.entries(query);
  if (entries.length !== 1) throw bad('[_na] query malformed, must start with start_object', 'parsing_exception');
  const [kind, spec] = entries[0] as [string, Record<string, unknown>];
  switch (kind) {
    case 'match_all':
      return true;
    case 'bool': {
      for (const k of Object.keys(spec)) {
        if (!['filter', 'must', 'must_not', 'should', 'minimum_should_match'].includes(k))
          throw bad(`[bool] query does not support [${k}]`, 'parsing_exception');
      }
      const list = (k: string) =>
        spec[k] === undefined
          ? []
          : Array.isArray(spec[k])
            ? (spec[k] as Record<string, unknown>[])
            : [spec[k] as Record<string, unknown>];
      if (![...list('filter'), ...list('must')].every((q) => matches(idx, source, q))) return false;
      if (list('must_not').some((q) => matches(idx, source, q))) return false;
      const should = list('should');
      const needed =
        spec.minimum_should_match !== undefined
          ? Number(spec.minimum_should_match)
          : list('filter').length + list('must').length > 0
            ? 0
            : should.length > 0
              ? 1
              : 0;
      return should.filter((q) => matches(idx, source, q)).length >= needed;
    }
    case 'term': {
      const [field, v] = Object.entries(spec)[0] ?? [];
      const value = v !== null && typeof v === 'object' ? (v as { value: unknown }).value : v;
      return termMatch(idx, source, field as string, [value]);
    }
    case 'terms': {
      const [field, values] = Object.entries(spec)[0] ?? [];
      if (!Array.isArray(values)) throw bad('[terms] query does not support a lookup here', 'parsing_exception');
      return termMatch(idx, source, field as string, values);
    }
    case 'ids':
      throw bad('stand-in: [ids] is not supported', 'parsing_exception');
    case 'exists':
      return fieldValues(idx, source, String(spec.field)).length > 0;
    case 'range': {
      const [field, bounds] = Object.entries(spec)[0] as [string, Record<string, unknown>];
      for (const k of Object.keys(bounds))
        if (!['gte', 'gt', 'lte', 'lt', 'format'].includes(k))
          throw bad(`[range] query does not support [${k}]`, 'parsing_exception');
      const mapped = idx.fields.get(field);
      if (!mapped) return false;
      const num = (x: unknown) =>
        mapped.type === 'date' ? (typeof x === 'number' ? x : Date.parse(String(x))) : Number(x);
      return fieldValues(idx, source, field).some((raw) => {
        const v = num(raw);
        return (
          (bounds.gte === undefined || v >= num(bounds.gte)) &&
          (bounds.gt === undefined || v > num(bounds.gt)) &&
          (bounds.lte === undefined || v <= num(bounds.lte)) &&
          (bounds.lt === undefined || v < num(bounds.lt))
        );
      });
    }
    default:
      throw bad(`unknown query [${kind}]`, 'parsing_exception');
  }
}

/** Term matching as ES does it: exact on keyword, against analyzed tokens on text, by value on numbers and dates. */
function termMatch(idx: StandinIndex, source: Record<string, unknown>, field: string, wanted: unknown[]): boolean {
  const mapped = idx.fields.get(field);
  if (!mapped) return false;
  const values = fieldValues(idx, source, field);
  if (mapped.type === 'text') {
    const tokens = new Set(
      values.flatMap((v) =>
        String(v)
          .toLowerCase()
          .split(/[^\p{L}\p{N}_]+/u)
          .filter(Boolean),
      ),
    );
    return wanted.some((w) => tokens.has(String(w)));
  }
  if (mapped.type === 'date')
    return values.some((v) => wanted.some((w) => Date.parse(String(v)) === Date.parse(String(w))));
  if (mapped.type === 'keyword') return values.some((v) => wanted.some((w) => String(v) === String(w)));
  return values.some((v) => wanted.some((w) => v === w || Number(v) === Number(w)));
}

/** Values indexed for a field: from its own source path (or its parent's, for a multi-field), arrays flattened. */
function fieldValues(idx: StandinIndex, source: Record<string, unknown>, field: string): unknown[] {
  const mapped = idx.fields.get(field);
  const parts = (mapped?.source ?? field).split('.');
  const out: unknown[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      for (const v of value) walk(v, depth);
      return;
    }
    if (depth === parts.length) {
      if (mapped?.ignoreAbove === undefined || String(value).length <= mapped.ignoreAbove) out.push(value);
      return;
    }
    if (typeof value === 'object') walk((value as Record<string, unknown>)[parts[depth]!], depth + 1);
  };
  walk(source, 0);
  return out;
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

/** What the field type's own parser says of a value it cannot take. */
function parserComplaint(type: FieldType, value: unknown): { type: string; reason: string } {
  switch (type) {
    case 'boolean':
      return {
        type: 'illegal_argument_exception',
        reason: `Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`,
      };
    case 'date':
      return {
        type: 'illegal_argument_exception',
        reason: `failed to parse date field [${String(value)}] with format [strict_date_optional_time||epoch_millis]`,
      };
    default:
      return { type: 'number_format_exception', reason: `For input string: "${String(value)}"` };
  }
}

/** Which of two shards a document is on, by its id. */
const shardOf = (id: string): number => [...id].reduce((n, c) => n + c.charCodeAt(0), 0) % 2;

/** A value the field's type cannot take (ES parses numbers and booleans from strings too). */
function malformed(field: Field, value: unknown): boolean {
  if (typeof value === 'object') return false;
  switch (field.type) {
    case 'date':
      return typeof value === 'boolean' || (typeof value === 'string' && !Number.isFinite(Date.parse(value)));
    case 'long':
    case 'integer':
    case 'double':
    case 'float':
      return (
        typeof value === 'boolean' ||
        (typeof value === 'string' && (value.trim() === '' || !Number.isFinite(Number(value))))
      );
    case 'boolean':
      return (
        typeof value === 'number' ||
        (typeof value === 'string' && value !== 'true' && value !== 'false' && value !== '')
      );
    default:
      return false;
  }
}

function filterSource(source: Record<string, unknown>, spec: unknown): Record<string, unknown> {
  if (spec === undefined || spec === true) return source;
  const includes = Array.isArray(spec) ? (spec as string[]) : typeof spec === 'string' ? [spec] : undefined;
  if (!includes) throw bad('stand-in: only a list of paths is supported for _source filtering', 'parsing_exception');
  const out: Record<string, unknown> = {};
  for (const path of includes) {
    const parts = path.split('.');
    let from: unknown = source;
    for (const p of parts) from = from && typeof from === 'object' ? (from as Record<string, unknown>)[p] : undefined;
    if (from === undefined) continue;
    let to = out;
    for (const p of parts.slice(0, -1)) {
      to[p] ??= {};
      to = to[p] as Record<string, unknown>;
    }
    to[parts[parts.length - 1]!] = from;
  }
  return out;
}

// ---- protocol details ----

function allowParams(q: URLSearchParams, allowed: string[], path: string): void {
  for (const k of q.keys()) {
    if (!allowed.includes(k)) throw bad(`request [${path}] contains unrecognized parameter: [${k}]`);
  }
}

const refreshes = (v: string | null) => v === 'true' || v === '' || v === 'wait_for';

function parseDynamic(v: unknown): boolean | 'strict' {
  if (v === 'strict') return 'strict';
  return v === true || v === 'true';
}

function flatten(o: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object' && !Array.isArray(v))
      Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[prefix + k] = v;
  }
  return out;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]>): void {
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('content-type', typeof body === 'string' ? 'text/plain; charset=UTF-8' : 'application/json');
  res.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
}

/** Whether some index name matches both wildcard patterns (`*` only), as the cluster's automaton intersection asks. */
export function globsOverlap(a: string, b: string): boolean {
  const seen = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = seen.get(key);
    if (known !== undefined) return known;
    seen.set(key, false);
    let ok = false;
    if (i === a.length && j === b.length) ok = true;
    else if (a[i] === '*') ok = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (b[j] === '*') ok = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else ok = i < a.length && j < b.length && a[i] === b[j] && go(i + 1, j + 1);
    seen.set(key, ok);
    return ok;
  };
  return go(0, 0);
}
