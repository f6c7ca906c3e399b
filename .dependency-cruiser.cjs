// The import rules of ARCHITECTURE.md, checked by `npm run check:imports` (dependency-cruiser).
//
// Data flows one way: history, eventlog, yarn, enceladus (the sources) → crawl → documents → store → models →
// advisor → submit. A module imports from modules to its left, never to its right; `src/types.ts`,
// `src/format.ts`, `src/config/` and the leaf `src/common/` may be imported from anywhere and import only each
// other. The crawl is the one driver in the middle: it hands what it fetched to the documents' pure builder and
// stores the result through the store's interfaces, and neither imports it back. findings, report, monitor and
// kibana read the store and are read only by the CLI. Only the CLI (and the composition root, `src/compose.ts`)
// picks concrete implementations. No cycles anywhere.
//
// Exceptions are named, narrow (a file to a module) and say why.

const LEAF = '^src/(types[.]ts|format[.]ts|config/|common/)';
const READERS = '^src/(findings|report|monitor|kibana)/';
const COMPOSITION_ROOT = '^src/(cli/|compose[.]ts$)';
const APPS = '^src/(cli|demo)/|^src/compose[.]ts$';
const CRAWL = '^src/crawl/';

/** Layers in the order data flows; each may import the leaf and the layers before it. */
const LAYERS = [
  ['sources', '^src/(history|eventlog|yarn|enceladus|simulator)/'],
  ['crawl', CRAWL],
  ['documents', '^src/(documents|metrics)/'],
  ['store', '^src/store/'],
  ['models', '^models/'],
  ['advisor', '^src/advisor/'],
  ['submit', '^src/submit/'],
];

/**
 * By design, not debt: the crawl drives the two phases after it, and they never import it back. It tells the store's
 * errors apart (a write refused for want of privilege stops it instead of failing each app).
 */
const CRAWL_DRIVES = ['^src/documents/build[.]ts$', '^src/store/(types|crawl-leases|errors)[.]ts$'];
const DRIVEN_BY_CRAWL = ['documents', 'store'];

/**
 * The ResourceManager crawler is a small pipeline of its own in one folder (client, documents, crawl): its
 * crawl, documents and error files stand where the crawl does (flow-yarn-pipeline), not among the sources.
 */
const YARN_PIPELINE = '^src/yarn/(crawl|documents|errors)[.]ts$';

/** What each layer must not import: every layer after it, the readers and the apps. */
function flowRules() {
  return LAYERS.slice(0, -1).map(([name, path], i) => {
    const later = LAYERS.slice(i + 1);
    const to = [...later.map(([, p]) => p), READERS, APPS];
    if (DRIVEN_BY_CRAWL.includes(name)) to.push(CRAWL);
    return {
      name: `flow-${name}`,
      comment: `${name} never imports what comes after it: ${later.map(([n]) => n).join(', ')}, readers, apps`,
      severity: 'error',
      from: name === 'sources' ? { path, pathNot: YARN_PIPELINE } : { path },
      to: name === 'crawl' ? { path: to, pathNot: CRAWL_DRIVES } : { path: to },
    };
  });
}

const yarnPipeline = {
  name: 'flow-yarn-pipeline',
  comment: "src/yarn's pipeline files use the crawl's error documents, the app classification and the YARN store",
  severity: 'error',
  from: { path: YARN_PIPELINE },
  to: {
    path: [...LAYERS.slice(1).map(([, p]) => p), READERS, APPS],
    pathNot: ['^src/crawl/error-doc[.]ts$', '^src/documents/classify[.]ts$', '^src/store/(types|yarn)[.]ts$'],
  },
};


module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules import each other in one direction only',
      severity: 'error',
      from: { path: '^(src|models)/' },
      to: { circular: true },
    },
    ...flowRules(),
    yarnPipeline,
    {
      name: 'leaf-stays-leaf',
      comment: 'types.ts, format.ts, config/ and common/ are imported from anywhere, so they import only each other',
      severity: 'error',
      from: { path: LEAF },
      to: { path: '^(src|models)/', pathNot: LEAF },
    },
    {
      name: 'models-only-types',
      comment: 'models/ is the model family alone: it imports nothing from src/ but src/types.ts',
      severity: 'error',
      from: { path: '^models/' },
      to: { path: '^src/', pathNot: '^src/types[.]ts$' },
    },
    {
      name: 'readers-write-nothing',
      comment: 'findings, report, monitor and kibana read the store: they fetch, crawl, advise on and launch nothing',
      severity: 'error',
      from: { path: READERS },
      to: {
        path: ['^src/(crawl|submit|demo|cli|simulator)/', '^src/(history|yarn|enceladus)/.*client[.]ts$', '^src/compose[.]ts$'],
      },
    },
    {
      name: 'readers-only-from-cli',
      comment: 'what findings, report, monitor and kibana draw is shown by the CLI; the data path never imports them',
      severity: 'error',
      from: { path: '^(src|models)/', pathNot: [COMPOSITION_ROOT, READERS] },
      to: { path: READERS },
    },
    {
      name: 'concrete-store-only-in-composition-root',
      comment: 'only the CLI (and the composition root) picks SQLite or Elasticsearch; everything else gets a RunStore',
      severity: 'error',
      from: {
        path: '^(src|models)/',
        pathNot: [
          COMPOSITION_ROOT,
          '^src/store/',
        ],
      },
      to: { path: '^src/store/(sqlite|elasticsearch|es/|sqlite/)' },
    },
    {
      name: 'clients-made-in-composition-root',
      comment: 'History Server, Menas and ResourceManager clients are built by the CLI and handed to the crawl',
      severity: 'error',
      from: {
        path: '^(src|models)/',
        pathNot: [
          COMPOSITION_ROOT,
          '^src/(history|enceladus|yarn|crawl|simulator)/',
        ],
      },
      to: { path: '^src/(history/client|enceladus/menas-client|yarn/client)[.]ts$' },
    },
    {
      name: 'documents-ask-nobody',
      comment: 'building documents is pure: no network, files or processes (the crawl fetches before, stores after)',
      severity: 'error',
      from: { path: ['^src/(documents|metrics)/', '^src/enceladus/'], pathNot: '^src/enceladus/menas-client[.]ts$' },
      to: {
        path: [
          '^(node:)?(fs|fs/promises|http|https|http2|net|tls|dgram|dns|child_process)$',
          'node_modules/(undici|execa|better-sqlite3)/',
          '^src/(history|yarn|enceladus)/.*client[.]ts$',
          '^src/history/(fetch-attempt|listing)[.]ts$',
        ],
      },
    },
    {
      name: 'cli-only-from-bin',
      comment: 'the commands are the top: nothing in src/ or models/ imports src/cli/',
      severity: 'error',
      from: { path: '^(src|models)/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'simulator-only-for-demo',
      comment: 'the simulated History Server serves tests, benchmarks and `spot demo`, never the real data path',
      severity: 'error',
      from: { path: '^(src|models)/', pathNot: ['^src/(cli|demo|simulator)/'] },
      to: { path: '^src/simulator/' },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API for dependency-cruiser; swc parses the sources (type imports included).
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
