import { knoxProject } from '../../vitest.shared.js';

const project = knoxProject('nest');

// Vitest passes `ssr.resolve.conditions` to Node as `--conditions` for external modules.
// The shared list includes `import`, which makes Node's own `require()` pick the ESM entry
// of dual packages (e.g. `is-promise`, required by Express 5's router, which Nest's Express
// platform loads natively) — so Node, which adds `import`/`require` itself, gets only ours.
project.ssr = { ...project.ssr, resolve: { ...project.ssr?.resolve, conditions: ['knoxcall-source', 'node'] } };

export default project;
