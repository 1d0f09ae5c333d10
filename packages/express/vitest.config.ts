import { knoxProject } from '../../vitest.shared.js';

// Vitest passes `ssr.resolve.conditions` to its workers as `node --conditions …`; the shared
// list holds `import`, which then also applies to require() inside CJS dependencies, so
// Express 5's router gets is-promise's ESM build and every route fails. Keep only the
// conditions that must reach Node (Vite adds import/require per import kind itself).
const config = knoxProject('express');
if (config.ssr?.resolve) config.ssr.resolve.conditions = ['knoxcall-source', 'node', 'development|production'];

export default config;
