import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forPrefix, readSavedObjects, type SavedObject } from '../../src/kibana/saved-objects.js';
import { spot } from '../support/cli.js';

// `spot kibana export` through the compiled CLI (npm test builds first), and the prefix rewrite itself.

const parse = (text: string): SavedObject[] =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as SavedObject);

/** Every reference points at an object of the same export, and no (type, id) appears twice. */
function assertSelfContained(objects: SavedObject[]): void {
  const keys = objects.map((o) => `${o.type}/${o.id}`);
  assert.equal(new Set(keys).size, keys.length, 'no duplicate objects');
  for (const o of objects)
    for (const r of o.references ?? [])
      assert.ok(keys.includes(`${r.type}/${r.id}`), `${o.id} refers to missing ${r.type}/${r.id}`);
}

test('spot kibana export writes every shipped object for the configured prefix', async () => {
  const home = mkdtempSync(join(tmpdir(), 'spot-kibana-'));
  try {
    writeFileSync(join(home, '.spotrc.yml'), 'elasticsearch:\n  indexPrefix: Analytics\n');
    const r = await spot(home, ['kibana', 'export', '--out', 'dash.ndjson']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /5 dashboards, \d+ visualizations, 1 saved search, 5 index patterns for analytics_\*/);
    const objects = parse(readFileSync(join(home, 'dash.ndjson'), 'utf8'));
    assert.equal(objects.length, readSavedObjects().length);
    assert.deepEqual(
      objects
        .filter((o) => o.type === 'index-pattern')
        .map((o) => o.attributes.title)
        .sort(),
      [
        'analytics_agg_*',
        'analytics_err_*',
        'analytics_yarn_apps_*',
        'analytics_yarn_cluster_*',
        'analytics_yarn_scheduler_*',
      ],
    );
    assert.ok(
      objects.every((o) => o.id.startsWith('analytics-')),
      'ids carry the prefix',
    );
    assertSelfContained(objects);

    const flag = await spot(home, ['kibana', 'export', '--out', 'other.ndjson', '--index-prefix', 'spot']);
    assert.equal(flag.code, 0, flag.stderr);
    const defaults = parse(readFileSync(join(home, 'other.ndjson'), 'utf8'));
    const piped = await spot(home, ['kibana', 'export', '--out', '-', '--index-prefix', 'spot']);
    assert.equal(piped.code, 0, piped.stderr);
    assert.deepEqual(parse(piped.stdout), readSavedObjects(), '--out - writes the objects to standard output only');
    assert.deepEqual(defaults, readSavedObjects(), 'the default prefix writes the shipped objects unchanged');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('without --out it is a usage error; a file in a folder that is not there is one line and exit 2', async () => {
  const home = mkdtempSync(join(tmpdir(), 'spot-kibana-'));
  try {
    assert.equal((await spot(home, ['kibana', 'export'])).code, 2);
    // A prefix no index name can start with is refused before anything is written.
    for (const prefix of ['team b', '', '_spot', 'a:b']) {
      const bad = await spot(home, ['kibana', 'export', '--out', 'x.ndjson', '--index-prefix', prefix]);
      assert.equal(bad.code, 2, prefix);
      assert.match(bad.stderr, /^spot: --index-prefix must (be part of an index name|not start with)/, prefix);
      assert.equal(existsSync(join(home, 'x.ndjson')), false);
    }
    const r = await spot(home, ['kibana', 'export', '--out', join(home, 'no', 'such', 'dir', 'x.ndjson')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^spot: cannot write the saved objects to .*x\.ndjson: no such folder: .*\n$/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('the shipped objects are self-contained, and stay so for any prefix', () => {
  const shipped = readSavedObjects();
  assertSelfContained(shipped);
  assertSelfContained(forPrefix(shipped, 'team_a'));
  const titles = forPrefix(shipped, 'team_a')
    .filter((o) => o.type === 'index-pattern')
    .map((o) => o.attributes.title);
  assert.ok(titles.includes('team_a_agg_*') && titles.includes('team_a_yarn_apps_*'), titles.join(', '));
  // Dashboards and visualizations of two prefixes are told apart in Kibana's lists; the default's keep their titles.
  const dashboards = (objects: SavedObject[]) =>
    objects.filter((o) => o.type === 'dashboard').map((o) => String(o.attributes.title));
  const own = dashboards(forPrefix(shipped, 'spot'));
  assert.deepEqual(
    dashboards(forPrefix(shipped, 'team_a')),
    own.map((t) => `${t} [team_a]`),
  );
  assert.deepEqual(own, dashboards(shipped));
});
