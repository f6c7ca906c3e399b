import { nearest } from '../common/nearest.js';
import { configSchema } from './schema.js';

// "Did you mean" for an unknown config key: the known keys where it was written (common/nearest.ts says which).

interface SchemaNode {
  shape?: Record<string, unknown>;
  def?: { innerType?: unknown };
}

/** The schema inside its defaults and optionals. */
function unwrap(node: SchemaNode): SchemaNode {
  let inner = node;
  while (inner.def?.innerType) inner = inner.def.innerType as SchemaNode;
  return inner;
}

/** The keys the schema allows at this path (an object's, through defaults and optionals); none if not an object. */
function keysAt(path: PropertyKey[]): string[] {
  let node = unwrap(configSchema as unknown as SchemaNode);
  for (const step of path) node = unwrap((node.shape?.[String(step)] ?? {}) as SchemaNode);
  return Object.keys(node.shape ?? {});
}

/** The known key at `path` closest to an unknown `key`, when it is close enough to be a typo of it. */
export function suggestKey(path: PropertyKey[], key: string): string | undefined {
  return nearest(key, keysAt(path));
}
