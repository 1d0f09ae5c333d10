import { knoxProject } from '../../vitest.shared.js';

const project = knoxProject('example-nest');

// As in packages/nest: Node must not get the `import` condition for require() inside CJS
// dependencies (Express 5's router, loaded by Nest's Express platform, would break).
project.ssr = { ...project.ssr, resolve: { ...project.ssr?.resolve, conditions: ['knoxcall-source', 'node'] } };

export default project;
