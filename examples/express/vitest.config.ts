import { knoxProject } from '../../vitest.shared.js';

// Same adjustment as packages/express: keep `import` out of the conditions Node receives,
// or Express 5's router loads an ESM build through require() and every route fails.
const config = knoxProject('example-express');
if (config.ssr?.resolve) config.ssr.resolve.conditions = ['knoxcall-source', 'node', 'development|production'];

export default config;
