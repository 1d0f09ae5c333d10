/**
 * Every vitest project loads this first. No test may send a packet off the machine, and the
 * GCP metadata probe of credential auto-detection is the one request that would by default
 * (slot 4 is probed on every auto-detection that gets that far, even off-cloud). So:
 * - the process environment points `GCE_METADATA_HOST` at a closed loopback port (the probe is
 *   refused at once; tests that play GCP set their own local server), inherited by every child
 *   process a test spawns;
 * - any request to the real metadata host is refused AND recorded, and the test that caused it
 *   fails in `afterEach` — a probe's own error handling cannot hide it.
 *
 * The refusal sits in the process's global undici dispatcher, under Node's fetch and under the
 * client's management calls (which use that dispatcher directly while fetch is Node's own),
 * so `globalThis.fetch` stays Node's own and tests see the transport users get. A refused
 * request is sent to a closed loopback port instead: a real connection failure, whichever
 * undici version (Node 20's or 24's) runs the dispatcher.
 */
import { afterEach, expect } from 'vitest';

export const CLOSED_LOOPBACK_METADATA_HOST = '127.0.0.1:9';
process.env.GCE_METADATA_HOST ??= CLOSED_LOOPBACK_METADATA_HOST;

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.google.internal.', '169.254.169.254']);
const attempts: string[] = [];
// Reachable from a test that proves the guard works (it drains what it provoked).
(globalThis as Record<symbol, unknown>)[Symbol.for('knoxcall.test.metadataAttempts')] = attempts;

type DispatchOptions = { origin?: string | URL; path: string };
type Dispatch = (options: DispatchOptions, handler: unknown) => boolean;
interface Dispatcher {
  compose(interceptor: (dispatch: Dispatch) => Dispatch): Dispatcher;
}

function refuseMetadataHosts(dispatch: Dispatch): Dispatch {
  return (options, handler) => {
    let host = '';
    try {
      host = new URL(String(options.origin)).hostname.toLowerCase();
    } catch {
      // no usable origin: undici reports it
    }
    if (!METADATA_HOSTS.has(host)) return dispatch(options, handler);
    attempts.push(`${String(options.origin).replace(/\/$/, '')}${options.path}`);
    return dispatch({ ...options, origin: `http://${CLOSED_LOOPBACK_METADATA_HOST}` }, handler);
  };
}

// Node registers its undici Agent when its fetch machinery first loads (touching Headers does).
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
void globalThis.Headers;
const registry = globalThis as Record<symbol, unknown>;
registry[GLOBAL_DISPATCHER] = (registry[GLOBAL_DISPATCHER] as Dispatcher).compose(refuseMetadataHosts);

afterEach(() => {
  const seen = attempts.splice(0);
  expect(seen, 'a request to the real cloud metadata server was attempted: set GCE_METADATA_HOST to a local server in this test').toEqual([]);
});
