// One-off generator for the adapter/testing package.json skeletons (kept for reference).
import { writeFileSync } from 'node:fs';
const entry = (src, out) => ({
  'knoxcall-source': `./src/${src}.ts`,
  import: { types: `./dist/${out}.d.ts`, default: `./dist/${out}.js` },
  require: { types: `./dist/${out}.d.cts`, default: `./dist/${out}.cjs` },
});
const pkg = (name, description, exportsMap, extra) => ({
  name: `@knoxcall/${name}`,
  version: '0.1.0',
  description,
  license: 'Apache-2.0',
  type: 'module',
  engines: { node: '>=20.19' },
  sideEffects: false,
  files: ['dist', 'src', 'README.md', 'CHANGELOG.md', 'LICENSE'],
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.cts',
  exports: { ...exportsMap, './package.json': './package.json' },
  scripts: {
    build: 'tsup',
    typecheck: 'tsc --noEmit -p tsconfig.json',
    test: 'vitest run',
    check: 'publint --strict && attw --pack --profile node16',
  },
  ...extra,
});
const write = (dir, p) => writeFileSync(`packages/${dir}/package.json`, `${JSON.stringify(p, null, 2)}\n`);
write('testing', pkg('testing', 'KnoxCall emulator (a real HTTP server) and webhook signing helpers for tests', {
  '.': entry('index', 'index'),
  './signer': entry('signer/index', 'signer'),
}, { bin: { 'knoxcall-emulator': './dist/cli.js' }, dependencies: {} }));
write('express', pkg('express', 'KnoxCall for Express: webhook verification middleware and req.knox', {
  '.': entry('index', 'index'),
  './augment': { ...entry('augment', 'augment') },
}, {
  sideEffects: ['./dist/augment.*', './src/augment.ts'],
  dependencies: { '@knoxcall/core': 'workspace:*' },
  peerDependencies: { express: '^4.21.0 || ^5.0.0' },
  devDependencies: { '@knoxcall/testing': 'workspace:*', '@knoxcall/adapter-contract': 'workspace:*', express: '^5.3.0', express4: 'npm:express@^4.21.2', '@types/express': '^5.0.3', supertest: '^7.3.2', '@types/supertest': '^6.0.3' },
}));
write('fastify', pkg('fastify', 'KnoxCall for Fastify: knoxCall and knoxWebhook plugins', { '.': entry('index', 'index') }, {
  dependencies: { '@knoxcall/core': 'workspace:*', 'fastify-plugin': '^5.1.0' },
  peerDependencies: { fastify: '^5.0.0' },
  devDependencies: { '@knoxcall/testing': 'workspace:*', '@knoxcall/adapter-contract': 'workspace:*', fastify: '^5.12.8' },
}));
write('hono', pkg('hono', 'KnoxCall for Hono: edge-safe webhook verification and c.var.knox', {
  '.': entry('index', 'index'),
  './augment': entry('augment', 'augment'),
}, {
  sideEffects: ['./dist/augment.*', './src/augment.ts'],
  dependencies: { '@knoxcall/core': 'workspace:*' },
  peerDependencies: { hono: '^4.6.0' },
  devDependencies: { '@knoxcall/testing': 'workspace:*', '@knoxcall/adapter-contract': 'workspace:*', hono: '^4.13.19', '@hono/node-server': '^1.19.0', esbuild: '^0.25.0' },
}));
write('nest', pkg('nest', 'KnoxCall for NestJS: KnoxCallModule, webhook guard and decorators', { '.': entry('index', 'index') }, {
  dependencies: { '@knoxcall/core': 'workspace:*' },
  peerDependencies: { '@nestjs/common': '^11.0.0 || ^12.0.0', '@nestjs/core': '^11.0.0 || ^12.0.0', 'reflect-metadata': '^0.2.0', rxjs: '^7.8.0' },
  devDependencies: {
    '@knoxcall/testing': 'workspace:*', '@knoxcall/adapter-contract': 'workspace:*',
    '@nestjs/common': '^12.0.0', '@nestjs/core': '^12.0.0', '@nestjs/platform-express': '^12.0.0', '@nestjs/platform-fastify': '^12.0.0', '@nestjs/testing': '^12.0.0', 'reflect-metadata': '^0.2.2', rxjs: '^7.8.2',
  },
}));
writeFileSync('packages/adapter-contract/package.json', `${JSON.stringify({
  name: '@knoxcall/adapter-contract', version: '0.0.0', private: true,
  description: 'The cases every KnoxCall framework adapter must pass (not published)',
  type: 'module', main: './src/index.ts', exports: { '.': './src/index.ts' },
  scripts: { typecheck: 'tsc --noEmit -p tsconfig.json' },
  dependencies: { '@knoxcall/core': 'workspace:*', '@knoxcall/testing': 'workspace:*' },
  peerDependencies: { vitest: '^4.0.0' },
}, null, 2)}\n`);
