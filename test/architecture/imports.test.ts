import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../support/paths.js';
import { ended, HANG_GUARD } from '../support/spawn.js';

// `npm run check:imports`: dependency-cruiser with .dependency-cruiser.cjs, run as a real child process on a
// small tree laid out like the repository, with deliberate wrong imports beside allowed ones.

const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/**
 * The violations found in a tree of `files`, and the exit status of the check as `npm run check:imports` runs
 * it (its text report; the JSON report used for the details always exits 0).
 */
function cruise(files: Record<string, string>): { status: number | null; violations: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'spot-imports-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const run = (...extra: string[]) =>
      spawnSync(process.execPath, [DEPCRUISE, 'src', 'models', '--config', CONFIG, ...extra], {
        cwd: dir,
        encoding: 'utf8',
        ...HANG_GUARD,
      });
    const json = run('--output-type', 'json');
    assert.ok(json.stdout, ended(json));
    const report = JSON.parse(json.stdout) as { summary: { violations: Violation[] } };
    const violations = report.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    const text = run();
    // Killed, it has no status, which the wrong-imports test would take for a failed check.
    assert.equal(text.signal, null, ended(text));
    return { status: text.status, violations: [...new Set(violations)].sort() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A module importing each of `imports` (paths relative to the tree's root, .ts files). */
function importing(from: string, ...imports: string[]): string {
  const up = '../'.repeat(from.split('/').length - 1);
  return (
    imports.map((to, i) => `import * as m${i} from '${up}${to.replace(/\.ts$/, '.js')}';\nvoid m${i};\n`).join('') +
    'export const x = 1;\n'
  );
}

const LEAVES = [
  'src/types.ts',
  'src/common/json.ts',
  'src/store/types.ts',
  'src/store/sqlite.ts',
  'src/crawl/app.ts',
  'src/advisor/advise.ts',
];

describe('import boundaries (npm run check:imports)', () => {
  test('the allowed directions pass, and the check exits 0', () => {
    const files: Record<string, string> = Object.fromEntries(LEAVES.map((f) => [f, 'export const x = 1;\n']));
    Object.assign(files, {
      'src/documents/build.ts': importing(
        'src/documents/build.ts',
        'src/enceladus/classification.ts',
        'src/common/json.ts',
        'src/types.ts',
      ),
      'src/enceladus/classification.ts': importing('src/enceladus/classification.ts', 'src/common/json.ts'),
      // The crawl drives the phases after it: the documents' builder and the store's interfaces.
      'src/crawl/app.ts': importing('src/crawl/app.ts', 'src/documents/build.ts', 'src/store/types.ts'),
      'src/submit/plan.ts': importing(
        'src/submit/plan.ts',
        'src/advisor/advise.ts',
        'src/crawl/app.ts',
        'src/store/types.ts',
      ),
      'models/fit.ts': importing('models/fit.ts', 'src/types.ts'),
      'src/cli/store.ts': importing('src/cli/store.ts', 'src/store/sqlite.ts', 'src/report/index.ts'),
      'src/compose.ts': importing('src/compose.ts', 'src/store/sqlite.ts'),
      'src/report/index.ts': importing('src/report/index.ts', 'src/store/types.ts', 'src/findings/index.ts'),
      'src/findings/index.ts': 'export const x = 1;\n',
    });
    const r = cruise(files);
    assert.deepEqual(r.violations, []);
    assert.equal(r.status, 0);
  });

  test('each wrong import fails the check, named by its rule', () => {
    const files: Record<string, string> = Object.fromEntries(LEAVES.map((f) => [f, 'export const x = 1;\n']));
    Object.assign(files, {
      // documents back into the crawl, and enceladus into documents: against the flow
      'src/documents/agg.ts': importing('src/documents/agg.ts', 'src/crawl/app.ts'),
      'src/enceladus/runs.ts': importing('src/enceladus/runs.ts', 'src/documents/agg.ts'),
      // a circle through one type
      'src/documents/build.ts': "import type { Ctx } from './raw.js';\nexport type Build = Ctx;\nexport const x = 1;\n",
      'src/documents/raw.ts': "import type { Build } from './build.js';\nexport type Ctx = Build | string;\n",
      // building documents calls the network
      'src/metrics/index.ts': "import { request } from 'node:http';\nvoid request;\n",
      'models/fit.ts': importing('models/fit.ts', 'src/store/types.ts'),
      'src/submit/plan.ts': importing('src/submit/plan.ts', 'src/store/sqlite.ts'),
      'src/report/index.ts': importing('src/report/index.ts', 'src/crawl/app.ts'),
      'src/advisor/rules.ts': importing('src/advisor/rules.ts', 'src/findings/index.ts'),
      'src/findings/index.ts': 'export const x = 1;\n',
      'src/common/units.ts': importing('src/common/units.ts', 'src/documents/agg.ts'),
      'src/store/open.ts': importing('src/store/open.ts', 'src/cli/main.ts'),
      'src/cli/main.ts': 'export const x = 1;\n',
    });
    const r = cruise(files);
    assert.deepEqual(r.violations, [
      'cli-only-from-bin: src/store/open.ts → src/cli/main.ts',
      'concrete-store-only-in-composition-root: src/submit/plan.ts → src/store/sqlite.ts',
      'documents-ask-nobody: src/metrics/index.ts → http',
      'flow-advisor: src/advisor/rules.ts → src/findings/index.ts',
      'flow-documents: src/documents/agg.ts → src/crawl/app.ts',
      'flow-sources: src/enceladus/runs.ts → src/documents/agg.ts',
      'flow-store: src/store/open.ts → src/cli/main.ts',
      'leaf-stays-leaf: src/common/units.ts → src/documents/agg.ts',
      'models-only-types: models/fit.ts → src/store/types.ts',
      'no-circular: src/documents/build.ts → src/documents/raw.ts',
      'readers-only-from-cli: src/advisor/rules.ts → src/findings/index.ts',
      'readers-write-nothing: src/report/index.ts → src/crawl/app.ts',
    ]);
    assert.notEqual(r.status, 0);
  });

  test("the repository's own tree passes", () => {
    const r = spawnSync(process.execPath, [DEPCRUISE, 'src', 'models', '--config', CONFIG], {
      cwd: ROOT,
      encoding: 'utf8',
      ...HANG_GUARD,
    });
    assert.equal(r.status, 0, `${r.stdout}${ended(r)}`);
  });
});
