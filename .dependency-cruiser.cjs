// The layer check (docs/ARCHITECTURE.md, "Layers"): dependency-cruiser rules
// for the core, the shared module and the renderer. test/architecture/
// layers.test.ts runs them in `npm test`; by hand:
//   npx depcruise electron shared renderer/src --config .dependency-cruiser.cjs
//
// Layers, top to bottom. A file may import its own layer (a service another
// service's index, where that makes no cycle) and any layer below, never one
// above.
const LAYERS = [
  ['entry', '^electron/(main|preload)\\.ts$|^electron/shell/|^electron/core/cli/'],
  ['app', '^electron/core/app/'],
  ['services', '^electron/core/(host|profiles|recording|sim|probe)/'],
  ['pipeline', '^electron/core/pipeline/'],
  // The core's session state per plane: the pipeline answers views from it;
  // it takes the connection engine's events.
  ['monitor', '^electron/core/monitor/'],
  ['connection', '^electron/core/connection/'],
  ['store', '^electron/core/store/'],
  ['protocol', '^electron/core/protocol/'],
  // The command line's flag tables, parser, usage error and exit codes: plain
  // data and node:util, used by the CLI, app/ (start-up options) and the
  // services (durations, the token variable, exit codes).
  ['args', '^electron/core/args/'],
  ['shared', '^shared/'],
];

// The services may use one another in this order only (each the ones after
// it), so no two of them import each other: with the layers this keeps the
// folders free of cycles. probe/ (a plane's conformance report) comes last:
// the CLI and the profile manager's Test button use it, it uses no service.
const SERVICE_ORDER = ['recording', 'profiles', 'sim', 'host', 'probe'];

const upward = [];
for (let lower = 1; lower < LAYERS.length; lower++) {
  for (let upper = 0; upper < lower; upper++) {
    upward.push({
      name: 'no-upward',
      comment: `${LAYERS[lower][0]} sits below ${LAYERS[upper][0]}: imports point down only`,
      severity: 'error',
      from: { path: LAYERS[lower][1] },
      to: { path: LAYERS[upper][1] },
    });
  }
}
const serviceCycles = [];
for (let later = 1; later < SERVICE_ORDER.length; later++) {
  serviceCycles.push({
    name: 'no-service-cycle',
    comment: `${SERVICE_ORDER[later]} may not import ${SERVICE_ORDER.slice(0, later).join(', ')} (services in order: ${SERVICE_ORDER.join(' > ')})`,
    severity: 'error',
    from: { path: `^electron/core/${SERVICE_ORDER[later]}/` },
    to: { path: `^electron/core/(${SERVICE_ORDER.slice(0, later).join('|')})/` },
  });
}

/** A module's path that is no folder's public entry. */
const PRIVATE_CORE = '^electron/core/[^/]+/(?!index\\.ts$)';

module.exports = {
  forbidden: [
    ...upward,
    ...serviceCycles,
    {
      name: 'entry-apart',
      comment: 'the entry points (desktop shell, CLI) do not import each other; electron/main.ts uses the shell',
      severity: 'error',
      from: { path: '^electron/(shell|core/cli)/' },
      to: { path: '^electron/(main|preload)\\.ts$|^electron/(shell|core/cli)/', pathNot: '^electron/$1/' },
    },
    {
      name: 'no-private-import',
      comment: "a core folder imports another folder's index.ts only",
      severity: 'error',
      from: { path: '^electron/core/([^/]+)/' },
      to: { path: PRIVATE_CORE, pathNot: '^electron/core/$1/' },
    },
    {
      name: 'no-private-import',
      comment: "outside the core, only a core folder's index.ts may be imported",
      severity: 'error',
      from: { pathNot: '^electron/core/' },
      to: { path: PRIVATE_CORE },
    },
    {
      name: 'no-private-import',
      comment: 'the shared module is imported through shared/index.ts only',
      severity: 'error',
      from: { pathNot: '^shared/' },
      to: { path: '^shared/(?!index\\.ts$)' },
    },
    {
      name: 'no-circular',
      comment: 'no cycle between files (type-only imports count)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'renderer-not-core',
      comment: 'the renderer sees the core only through the shared module',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/' },
    },
    {
      name: 'renderer-shared-by-alias',
      comment: 'the renderer imports the shared module as @shared, never by a relative path',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^shared/', dependencyTypesNot: ['aliased-tsconfig-paths'] },
    },
    {
      name: 'shared-self-contained',
      comment: 'the shared module imports nothing of the core or the renderer',
      severity: 'error',
      from: { path: '^shared/' },
      // (Node built-ins are shared-no-node's.)
      to: { pathNot: '^shared/|(^|/)node_modules/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'shared-no-node',
      comment: 'both sides bundle the shared module: no Node built-in',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-not-electron',
      comment: 'the core and the shared module never import Electron (one core, two hosts)',
      severity: 'error',
      from: { path: '^(electron/core|shared)/' },
      to: { path: '^electron$|node_modules/electron/' },
    },
    {
      name: 'core-not-renderer',
      comment: 'nothing in the main process imports the page',
      severity: 'error',
      from: { path: '^(electron|shared)/' },
      to: { path: '^renderer/' },
    },
  ],
  options: {
    // Type-only imports are dependencies too: a type-only circle is still a circle.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.tsx?$|\\.d\\.ts$' },
    // Resolves the renderer's @shared alias (renderer/tsconfig.json paths).
    tsConfig: { fileName: 'renderer/tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
