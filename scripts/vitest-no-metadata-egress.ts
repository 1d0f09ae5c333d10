/**
 * Every vitest project loads this first. No test may send a packet off the machine, and the
 * GCP metadata probe of credential auto-detection is the one request that would by default
 * (slot 4 is probed on every auto-detection that gets that far, even off-cloud). So:
 * - the process environment points `GCE_METADATA_HOST` at a closed loopback port (the probe is
 *   refused at once; tests that play GCP set their own local server), inherited by every child
 *   process a test spawns;
 * - any fetch of the real metadata host is refused AND recorded, and the test that caused it
 *   fails in `afterEach` — a probe's own error handling cannot hide it.
 */
import { afterEach, expect } from 'vitest';

export const CLOSED_LOOPBACK_METADATA_HOST = '127.0.0.1:9';
process.env.GCE_METADATA_HOST ??= CLOSED_LOOPBACK_METADATA_HOST;

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.google.internal.', '169.254.169.254']);
const attempts: string[] = [];
// Reachable from a test that proves the guard works (it drains what it provoked).
(globalThis as Record<symbol, unknown>)[Symbol.for('knoxcall.test.metadataAttempts')] = attempts;
const realFetch = globalThis.fetch;

globalThis.fetch = function guardedFetch(input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    // not absolute: the real fetch reports it
  }
  if (METADATA_HOSTS.has(host)) {
    attempts.push(url);
    return Promise.reject(new TypeError(`test guard: refused to contact the real cloud metadata server (${host})`));
  }
  return realFetch(input, init);
};

afterEach(() => {
  const seen = attempts.splice(0);
  expect(seen, 'a request to the real cloud metadata server was attempted: set GCE_METADATA_HOST to a local server in this test').toEqual([]);
});
