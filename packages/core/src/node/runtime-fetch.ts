/**
 * Whether `globalThis.fetch` is still Node's own fetch. Test tools that mock HTTP by
 * replacing it (msw, nock 14, `vi.stubGlobal('fetch', …)`, a hand-written wrapper) must keep
 * seeing every management call, so the dispatcher carries a call only while fetch is Node's.
 *
 * Identity captured when this module loads is not enough: an interceptor installed before
 * the SDK is imported (a test setup file) would be taken for the original. Node's own fetch
 * is recognised by its source instead: it lazily loads Node's internal undici bundle, which
 * no user-land function can `require`. A Proxy around fetch, or a future Node whose fetch
 * reads differently, is "not Node's": such calls go through fetch, which is always correct.
 */
// (The module name alone: spelled as a require call it would read as an import of this build.)
const NODE_FETCH_MARK = 'internal/deps/undici/undici';

// The answer for the fetch last looked at: one identity check per call on the warm path.
let lastFetch: unknown;
let lastIsNodeFetch = false;

export function isNodeOwnFetch(fetchFunction: unknown): boolean {
  if (fetchFunction !== lastFetch) {
    lastFetch = fetchFunction;
    lastIsNodeFetch = typeof fetchFunction === 'function' && Function.prototype.toString.call(fetchFunction).includes(NODE_FETCH_MARK);
  }
  return lastIsNodeFetch;
}
