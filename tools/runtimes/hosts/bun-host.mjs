// Serves a Workers-style module (`export default { fetch(request) }`) with Bun.serve and
// prints the address on the first line of stdout for the launcher to read.
const mod = await import(process.argv[2]);
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (request) => mod.default.fetch(request, {}) });
console.log(`listening http://127.0.0.1:${server.port}`);
