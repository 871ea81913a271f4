/* global module */
// Module boundaries, checked by `npm run deps` and as a step of `npm test`.
//
// server/ holds a neutral core (top-level files such as clock.ts, errors.ts, config.ts,
// canonical-json.ts, plus server/http/ and server/db/) and domain folders (auth, users, cases,
// evidence, notifications, exports, dossier, imports, ...) built on top of it.
// Type-only imports count: `tsPreCompilationDeps` keeps them in the graph, because a type
// shared across a cycle is still a coupling.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-domain-folder-cycles',
      comment:
        'Domain folders under server/ must form a hierarchy: move what two folders share ' +
        'into the lower one (or a neutral module) instead of importing in both directions.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^server/[^/]+' },
      to: { path: '^server/[^/]+', circular: true },
    },
    {
      name: 'no-module-cycles',
      comment: 'No import cycles between modules anywhere.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'http-is-domain-free',
      comment:
        'server/http/ is the shared HTTP plumbing (router, problem details, idempotency, ' +
        'OpenAPI); it may use the neutral core (server/*.ts, server/db/) but no domain folder.',
      severity: 'error',
      from: { path: '^server/http/' },
      to: { path: '^server/[^/]+/', pathNot: '^server/(http|db)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import the cruiser cannot resolve would hide the edges above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    // NodeNext with `.ts` specifiers (allowImportingTsExtensions): resolved as written, and
    // packages through their `exports` maps.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
