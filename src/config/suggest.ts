import { configSchema } from './schema.js';

// "Did you mean": an unknown config key is most often a known one mistyped, and the message should say which.

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

/** Edits (insert, delete, substitute, swap of neighbours) between two keys, case ignored. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++)
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[s.length]![t.length]!;
}

/** The known key at `path` closest to an unknown `key`, when it is close enough to be a typo of it. */
export function suggestKey(path: PropertyKey[], key: string): string | undefined {
  const limit = Math.max(2, Math.floor(key.length / 3));
  const best = keysAt(path)
    .map((k) => ({ k, d: distance(key, k) }))
    .filter((c) => c.d <= limit)
    .sort((a, b) => a.d - b.d)[0];
  return best?.k;
}
