// Serves a Workers-style module (`export default { fetch(request) }`) with Deno.serve and
// prints the address on the first line of stdout for the launcher to read.
const mod = await import(new URL(Deno.args[0], 'file://').href);
Deno.serve(
  {
    hostname: '127.0.0.1',
    port: 0,
    onListen: ({ port }) => console.log(`listening http://127.0.0.1:${port}`),
  },
  (request) => mod.default.fetch(request, {}),
);
