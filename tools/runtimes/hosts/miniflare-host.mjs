// Serves a Workers-style module under miniflare (the local-dev simulator, with the older
// workerd it ships) and prints the address on the first line of stdout. Run under Node 22+.
// argv: <miniflare package dir> <module file> <compatibility date> <text bindings as JSON>
import { pathToFileURL } from 'node:url';

const [miniflareDir, scriptPath, compatibilityDate, bindingsJson] = process.argv.slice(2);
const bindings = JSON.parse(bindingsJson ?? '{}');
const { Miniflare } = await import(pathToFileURL(`${miniflareDir}/dist/src/index.js`).href);
// Every .js here is an ES module (miniflare's default rule takes .js as CommonJS).
const modulesRules = [{ type: 'ESModule', include: ['**/*.js', '**/*.mjs'] }];
const mf = new Miniflare({ modules: true, modulesRules, scriptPath, compatibilityDate, bindings, host: '127.0.0.1', port: 0 });
const url = await mf.ready;
console.log(`listening ${url.origin}`);
const stop = async () => {
  await mf.dispose();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
