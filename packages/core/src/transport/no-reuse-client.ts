/**
 * Deno's fetch re-sends a request by itself when a reused keep-alive connection turns out
 * to be closed (its HTTP client treats that as "never sent"), even when the server had
 * already read it — so a POST can reach the upstream twice, where the contract says a
 * mutating data-plane request is never replayed. A request on a FRESH connection is not
 * re-sent, so non-idempotent data-plane requests go through an HTTP client that keeps no
 * idle connections. Elsewhere (Node, Bun, workerd) there is nothing to do: undefined.
 */

interface DenoHttpApi {
  createHttpClient?: (options: { poolMaxIdlePerHost?: number }) => unknown;
}

let client: unknown;

/** Extra fetch init that keeps the runtime from re-sending this request, or undefined. */
export function noRuntimeReplayInit(): { client: unknown } | undefined {
  const deno = (globalThis as { Deno?: DenoHttpApi }).Deno;
  if (typeof deno?.createHttpClient !== 'function') return undefined;
  // One client for the process: it holds no connections between requests.
  client ??= deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  return { client };
}
