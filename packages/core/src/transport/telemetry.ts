/**
 * Telemetry hooks (contract transport §9). They observe; they never change a request:
 * a hook that throws or rejects is ignored.
 */

export type Plane = 'management' | 'data';

export interface TelemetryRequestInfo {
  plane: Plane;
  /** Upper-case HTTP method. */
  method: string;
  /** Management: the full URL with query. Data plane: the URL WITHOUT its query string. */
  url: string;
  /** 1-based attempt number. */
  attempt: number;
  idempotencyKey?: string | undefined;
  tenantId?: string | undefined;
  /** Data plane: the route slug or id (`ephemeral()` has none). */
  route?: string | undefined;
}

export interface TelemetryResponseInfo extends TelemetryRequestInfo {
  status: number;
  durationMs: number;
  /** From the `x-request-id` response header. */
  requestId?: string | undefined;
}

export interface TelemetryRetryInfo extends TelemetryRequestInfo {
  status?: number | undefined;
  delayMs: number;
  /** The error message that caused the retry. */
  reason: string;
}

export interface TelemetryHooks {
  onRequest?(info: TelemetryRequestInfo): unknown;
  onResponse?(info: TelemetryResponseInfo): unknown;
  onRetry?(info: TelemetryRetryInfo): unknown;
}

/** Calls a hook, swallowing anything it throws or rejects with. */
export function fireHook<I>(hook: ((info: I) => unknown) | undefined, hooks: TelemetryHooks | undefined, info: I): void {
  if (!hook) return;
  try {
    const result = hook.call(hooks, info);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(undefined, () => {});
    }
  } catch {
    // A broken telemetry sink must never break the call it observes.
  }
}

/** The previous completed management request, for the `X-KnoxCall-Telemetry` header. */
export interface LastRequest {
  method: string;
  /** Path without its query string. */
  path: string;
  status: number;
  durationMs: number;
}

/** Compact JSON `{"lr":{"m","p","s","d"}}` (official Node shape). */
export function telemetryHeaderValue(last: LastRequest): string {
  // Assembled by hand (every management call sends one): the same text JSON.stringify gives
  // for the object, at a fraction of its cost. Status and duration are whole numbers.
  return `{"lr":{"m":${JSON.stringify(last.method)},"p":${JSON.stringify(last.path)},"s":${jsonNumber(last.status)},"d":${jsonNumber(last.durationMs)}}}`;
}

function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
