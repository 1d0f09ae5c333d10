/**
 * The one resolution of an adapter's static webhook options, done when the middleware /
 * plugin / guard / module is created: a misconfigured app fails at boot with the same
 * message in every adapter (and the verifier's own options with the same error as
 * `constructWebhookEvent`), never per delivery with a 500.
 */
import { type ResolvedOptions, resolveOptions, secretProblem } from '../webhooks/verify-options.js';
import type { ReplayStore } from './verify-delivery.js';
import { resolveMaxBodyBytes } from './read-body.js';
import { assertEventHandlers } from './webhook-handlers.js';

/** Default in-progress lease: far below any sender's retry schedule measured in minutes, far above a normal handler. */
export const DEFAULT_REPLAY_LEASE_SECONDS = 60;
/** Default deadline of each replay-store operation. */
export const DEFAULT_REPLAY_STORE_TIMEOUT_MS = 2000;

/** The static options as the processor uses them, checked. */
export interface ResolvedWebhookOptions {
  readonly verifyOptions: ResolvedOptions;
  readonly maxBodyBytes: number;
  readonly replayStore: ReplayStore | undefined;
  readonly replayLeaseSeconds: number;
  readonly replayStoreTimeoutMs: number;
}

/** The options this resolution reads (the rest — handlers, hooks — the processor reads itself). */
export interface StaticWebhookOptions {
  secret?: unknown;
  format?: unknown;
  headerName?: unknown;
  toleranceSeconds?: unknown;
  now?: unknown;
  on?: unknown;
  onError?: unknown;
  replayStore?: unknown;
  replayLeaseSeconds?: unknown;
  replayStoreTimeoutMs?: unknown;
  maxBodyBytes?: unknown;
}

export function resolveWebhookOptions(options: StaticWebhookOptions, where: string): ResolvedWebhookOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}(options): options must be an object with at least \`secret\``);
  }
  const problem = typeof options.secret === 'function' ? undefined : secretProblem(options.secret);
  if (problem !== undefined) throw new TypeError(`${where}: \`secret\` is required — ${problem}, or a function of the request returning one`);
  // format, headerName (custom), toleranceSeconds, now: exactly the verifier's own check and error.
  const verifyOptions = resolveOptions({
    format: options.format,
    headerName: options.headerName,
    toleranceSeconds: options.toleranceSeconds,
    now: options.now,
  });
  assertEventHandlers(options.on);
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new TypeError(`${where}: \`onError\` must be a function`);
  }
  return {
    verifyOptions,
    maxBodyBytes: resolveMaxBodyBytes(options.maxBodyBytes as number | undefined),
    replayStore: checkReplayStore(options.replayStore, where),
    replayLeaseSeconds: positive(options.replayLeaseSeconds, DEFAULT_REPLAY_LEASE_SECONDS, `${where}: \`replayLeaseSeconds\``),
    replayStoreTimeoutMs: positive(options.replayStoreTimeoutMs, DEFAULT_REPLAY_STORE_TIMEOUT_MS, `${where}: \`replayStoreTimeoutMs\``),
  };
}

function positive(value: unknown, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${what} must be a positive number, got ${String(value)}`);
  }
  return value;
}

function checkReplayStore(store: unknown, where: string): ReplayStore | undefined {
  if (store === undefined) return undefined;
  const methods = typeof store === 'object' && store !== null ? (store as Record<string, unknown>) : {};
  const has = (name: string) => typeof methods[name] === 'function';
  if (has('begin') && has('complete') && has('release')) return store as ReplayStore;
  if (has('claim') && has('release')) {
    // A store of the earlier one-step interface cannot tell a delivery still being processed
    // from one that was: using it would acknowledge retries of deliveries that may yet fail.
    throw new TypeError(
      `${where}: \`replayStore\` has the earlier claim/release interface: add begin(key, leaseSeconds) and complete(key, ttlSeconds) (see ReplayStore)`,
    );
  }
  throw new TypeError(`${where}: \`replayStore\` needs begin(key, leaseSeconds), complete(key, ttlSeconds) and release(key) (see ReplayStore)`);
}
