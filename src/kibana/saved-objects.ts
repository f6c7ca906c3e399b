import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Kibana saved objects shipped in `kibana/*.ndjson` at the package root, written out for one index prefix.
// Index-pattern titles (`spot_agg_*`) follow the prefix; for any prefix but the default every object id
// gets it too (and other titles end in `[prefix]`), with references to match, so two prefixes' dashboards
// live side by side in one Kibana instead of the second import overwriting the first.

export interface SavedObject {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  references?: { type: string; id: string; name: string }[];
  [key: string]: unknown;
}

const DEFAULT_PREFIX = 'spot';

/** The `kibana/` folder of this package, found upwards from this module (it runs from src/ and dist/src/). */
function kibanaDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'kibana')) && existsSync(join(dir, 'package.json'))) return join(dir, 'kibana');
    const up = dirname(dir);
    if (up === dir) throw new Error('the kibana/ folder of the spot package is missing');
    dir = up;
  }
}

/** Every saved object of every file, in file-name order; an object in two files is kept once. */
export function readSavedObjects(dir = kibanaDir()): SavedObject[] {
  const seen = new Set<string>();
  const out: SavedObject[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .sort()) {
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        let o: SavedObject;
        try {
          o = JSON.parse(line) as SavedObject;
        } catch {
          throw new Error(`${file}:${i + 1} is not JSON`);
        }
        if (typeof o.type !== 'string' || typeof o.id !== 'string') return; // an export's summary line
        const key = `${o.type}/${o.id}`;
        if (seen.has(key)) return;
        seen.add(key);
        out.push(o);
      });
  }
  return out;
}

/** The objects for `prefix`: titles of index patterns, and for a non-default prefix ids and references. */
export function forPrefix(objects: SavedObject[], prefix: string): SavedObject[] {
  const p = prefix.toLowerCase(); // index names are lowercase (mappings.ts)
  const id = (x: string) => (p === DEFAULT_PREFIX ? x : `${p}-${x}`);
  const ids = new Set(objects.map((o) => `${o.type}/${o.id}`));
  return objects.map((o) => {
    const copy: SavedObject = { ...o, id: id(o.id), attributes: { ...o.attributes } };
    if (o.type === 'index-pattern' && typeof o.attributes.title === 'string') {
      copy.attributes.title = o.attributes.title.replace(new RegExp(`^${DEFAULT_PREFIX}_`), `${p}_`);
    } else if (p !== DEFAULT_PREFIX && typeof o.attributes.title === 'string') {
      // Two prefixes' dashboards side by side in Kibana's lists: the prefix tells them apart.
      copy.attributes.title = `${o.attributes.title} [${p}]`;
    }
    if (o.references)
      copy.references = o.references.map((r) => (ids.has(`${r.type}/${r.id}`) ? { ...r, id: id(r.id) } : r));
    return copy;
  });
}

export const toNdjson = (objects: SavedObject[]): string => `${objects.map((o) => JSON.stringify(o)).join('\n')}\n`;
