import type { Emulator } from '@knoxcall/testing';

/** One KnoxCall failure on `GET /v1/routes` and the HTTP status an adapter's error handler answers it with. */
export interface ErrorStatusCase {
  name: string;
  /** The emulator's scripted answer. */
  step: { status: number; headers?: Record<string, string>; body?: unknown };
  /** The status the app's client receives. */
  expected: number;
  /** The error type passed through to the client, where KnoxCall's own is kept. */
  type?: string;
}

/**
 * How every adapter's knoxErrorHandler answers a KnoxCall API failure in a handler: the
 * app's own credential problems and KnoxCall outages are a 502 for its client, a missing or
 * conflicting resource keeps its status and type. The `kc_leak` in the 401 message lets a
 * test check that nothing KnoxCall-secret-looking is echoed.
 */
export const ERROR_STATUS_CASES: readonly ErrorStatusCase[] = [
  { name: '401 → 502', step: { status: 401, body: { error: { type: 'invalid_token', message: 'bad token kc_leak' } } }, expected: 502 },
  { name: '403 → 502', step: { status: 403, body: { error: { type: 'forbidden', message: 'no' } } }, expected: 502 },
  { name: '404 → 404', step: { status: 404, body: { error: { type: 'route_not_found', message: 'gone' } } }, expected: 404, type: 'route_not_found' },
  { name: '409 → 409', step: { status: 409, body: { error: { type: 'policy_in_use', message: 'in use' } } }, expected: 409, type: 'policy_in_use' },
  { name: '500 → 502', step: { status: 500, body: { error: { type: 'internal_error', message: 'boom' } } }, expected: 502 },
  { name: '503 → 502', step: { status: 503, body: { error: { type: 'dependency_unavailable', message: 'db' } } }, expected: 502 },
];

/** The request id the scripted failures carry; the app's error body must name it. */
const SCRIPTED_REQUEST_ID = 'req_scripted';

/**
 * Scripts the emulator to answer the next `GET /v1/routes` with `step`, tagged with the
 * request id `req_scripted`. Two steps: a 401 may be re-sent once after re-authenticating.
 * Reset afterwards with `emulator.script('GET', '/v1/routes', [])`.
 */
export function scriptRoutesFailure(emulator: Emulator, step: ErrorStatusCase['step']): void {
  emulator.script('GET', '/v1/routes', [
    { ...step, headers: { ...step.headers, 'x-request-id': SCRIPTED_REQUEST_ID } },
    { ...step, headers: { ...step.headers, 'x-request-id': SCRIPTED_REQUEST_ID } },
  ]);
}
