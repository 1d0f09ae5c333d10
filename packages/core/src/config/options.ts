import type { AuthOptions } from '../auth/auth-options.js';
import { KnoxCallError } from '../errors.js';
import type { HeaderBag } from '../http/headers.js';
import type { JsonReplacer } from '../transport/request-body.js';
import { DEFAULT_RETRY, type RetrySettings } from '../transport/retry-policy.js';
import type { TelemetryHooks } from '../transport/telemetry.js';
import { VERSION } from '../version.js';

export const API_VERSION = '2026-08-05';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_USER_AGENT = `knoxcall-node/${VERSION}`;

export interface RetryOptions {
  /** Total attempts including the first; an integer ≥ 1. Default 3. */
  maxAttempts?: number | undefined;
  /** Backoff base in ms. Default 100. */
  baseDelayMs?: number | undefined;
  /** Backoff cap in ms (does not cap Retry-After). Default 5000. */
  maxDelayMs?: number | undefined;
}

export interface TimeoutOptions {
  /** Per-attempt timeout in ms. Default 30 000. */
  total?: number | undefined;
}

/** Options of `new KnoxCall(options)` and `new Session(options)` (contract transport §1.2). */
export interface KnoxCallOptions extends AuthOptions {
  /** Tenant slug; env `KNOXCALL_TENANT`; else discovered on the first data-plane call. */
  tenant?: string | undefined;
  /** Default data-plane environment; env `KNOXCALL_ENVIRONMENT`. */
  environment?: string | undefined;
  /** Management base; env `KNOXCALL_BASE_URL`; default `https://api.knoxcall.com`. */
  baseUrl?: string | undefined;
  /** Data-plane base; env `KNOXCALL_PROXY_BASE_URL`; default derived from `baseUrl` and the tenant. */
  proxyBaseUrl?: string | undefined;
  /** Only literal `true` counts: sandbox base URL and `sandbox-{tenant}` data-plane host. */
  sandbox?: boolean | undefined;
  retry?: RetryOptions | undefined;
  /** Per-attempt timeout: `{ total: ms }` (a bare number of ms is accepted too). */
  timeout?: TimeoutOptions | number | undefined;
  /** Sent as `KnoxCall-Version`. Default `2026-08-05`. */
  apiVersion?: string | undefined;
  /** Default `knoxcall-node/<version>`. */
  userAgent?: string | undefined;
  /** Used for every request (management, token endpoint, data plane). Default `globalThis.fetch`. */
  fetchImpl?: typeof fetch | undefined;
  telemetry?: TelemetryHooks | undefined;
  /** `false` stops the `X-KnoxCall-Telemetry` header. Default true. */
  telemetryHeader?: boolean | undefined;
  /** Runs before the built-in JSON conversions for object bodies. */
  jsonReplacer?: JsonReplacer | undefined;
}

/** The per-view defaults `withOptions()` sets; every call of that view starts from them. */
export interface WithOptions {
  /** Headers added to every call (management and data plane); per-call headers win. */
  headers?: Readonly<Record<string, string | undefined>> | undefined;
  /** Default data-plane environment of the view. */
  environment?: string | undefined;
  /** Per-attempt timeout in ms. */
  timeout?: number | undefined;
  /** Aborts every call made through the view. */
  signal?: AbortSignal | undefined;
}

/** What every call of a client or view starts from (implemented by `ViewDefaults`, call-defaults.ts). */
export interface CallDefaults {
  readonly headers: HeaderBag | undefined;
  readonly environment: string | undefined;
  readonly timeoutMs: number | undefined;
  /** Read only when a call starts: a view may make it then (see LAZY_VIEW_SIGNAL). */
  readonly signal: AbortSignal | undefined;
}

/** Options after defaults, env fallbacks and validation; shared by a client and its views. */
export interface ResolvedConfig {
  readonly environment: string | undefined;
  readonly sandbox: boolean;
  readonly retry: RetrySettings;
  readonly timeoutMs: number;
  readonly apiVersion: string;
  readonly userAgent: string;
  readonly fetchImpl: typeof fetch | undefined;
  readonly telemetry: TelemetryHooks | undefined;
  readonly telemetryHeader: boolean;
  readonly jsonReplacer: JsonReplacer | undefined;
  readonly scope: readonly string[];
}

function nonNegativeNumber(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new KnoxCallError(`${name} must be a number ≥ 0 (milliseconds), got ${String(value)}`);
  }
  return value;
}

export function resolveRetry(retry: RetryOptions | undefined): RetrySettings {
  if (retry === undefined || retry === null) return DEFAULT_RETRY;
  if (typeof retry !== 'object') {
    throw new KnoxCallError('retry must be an object { maxAttempts?, baseDelayMs?, maxDelayMs? }');
  }
  const { maxAttempts } = retry;
  if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new KnoxCallError(
      `retry.maxAttempts must be an integer ≥ 1 (total attempts, the first included), got ${String(maxAttempts)}; use 1 to disable retries`,
    );
  }
  return {
    maxAttempts: maxAttempts ?? DEFAULT_RETRY.maxAttempts,
    baseDelayMs: nonNegativeNumber(retry.baseDelayMs, 'retry.baseDelayMs', DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: nonNegativeNumber(retry.maxDelayMs, 'retry.maxDelayMs', DEFAULT_RETRY.maxDelayMs),
  };
}

/** Validates a timeout in ms: a positive number (Infinity = no timer). */
export function validateTimeoutMs(value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new KnoxCallError(`${name} must be a positive number of milliseconds, got ${String(value)}`);
  }
  return value;
}

export function resolveTimeoutMs(timeout: KnoxCallOptions['timeout']): number {
  if (timeout === undefined || timeout === null) return DEFAULT_TIMEOUT_MS;
  if (typeof timeout === 'number') return validateTimeoutMs(timeout, 'timeout');
  if (typeof timeout !== 'object') {
    throw new KnoxCallError(`timeout must be { total: milliseconds }, got ${String(timeout)}`);
  }
  return timeout.total === undefined ? DEFAULT_TIMEOUT_MS : validateTimeoutMs(timeout.total, 'timeout.total');
}

/** Empty strings count as unset (contract transport §1.2 / §8.1). */
export function nonEmpty(value: string | undefined | null): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : value;
}
