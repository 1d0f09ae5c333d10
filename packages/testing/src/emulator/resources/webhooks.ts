import { deliverWebhook } from '../../deliver-webhook.js';
import type { WebhookHmacFormat } from '../../signer/index.js';
import { ApiError } from '../errors.js';
import { newId, opaqueToken } from '../ids.js';
import { ok, paginate } from '../reply.js';
import type { HandlerContext, RouteRegistration } from '../router.js';
import type { EmulatorState } from '../state.js';
import type { SeedWebhook } from '../types.js';
import { validate } from '../validate.js';

/**
 * `webhooks` (resources.md §3): `secret_key` only in the create result; `auth_config` and
 * `request_headers` write-only; `test` really delivers a signed `webhook.test` event (via the
 * sibling deliverWebhook) when the URL is loopback, and logs the attempt.
 */

const FORMATS = ['legacy', 'stripe', 'github', 'slack', 'aws-sns', 'custom'] as const;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH'];
const AUTH_TYPES = ['none', 'bearer', 'hmac', 'basic', 'header'];

interface WebhookLogRow {
  id: string;
  http_method: string | null;
  target_url: string | null;
  source_ip: string | null;
  response_status: number | null;
  response_time_ms: number | null;
  executed_at: string;
  success: boolean;
  error_message: string | null;
}

interface WebhookRow {
  id: string;
  name: string;
  description: string | null;
  url: string;
  method: string;
  event_types: string[];
  auth_type: string;
  auth_config: Record<string, unknown> | null;
  request_headers: Record<string, unknown> | null;
  route_filter: string[] | null;
  include_request_body: boolean;
  include_response_body: boolean;
  include_headers: boolean;
  timeout_seconds: number;
  retry_on_failure: boolean;
  max_retries: number;
  enabled: boolean;
  hmac_key_id: string | null;
  hmac_format: string | null;
  hmac_header_name: string | null;
  secret_key: string;
  last_triggered_at: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  trigger_count: number;
  success_count: number;
  failure_count: number;
  created_at: string;
  logs: WebhookLogRow[];
}

export const EVENT_TYPES = [
  { value: 'request.received', label: 'Request received', description: 'A proxied request arrived.' },
  { value: 'request.success', label: 'Request succeeded', description: 'The upstream answered 2xx.' },
  { value: 'request.redirect', label: 'Redirect', description: 'The upstream answered 3xx.' },
  { value: 'request.client_error', label: 'Client error', description: 'The upstream answered 4xx.' },
  { value: 'request.server_error', label: 'Server error', description: 'The upstream answered 5xx.' },
  { value: 'request.timeout', label: 'Timeout', description: 'The upstream did not answer in time.' },
  { value: 'request.error', label: 'Error', description: 'The request failed before an answer.' },
  { value: 'request.completed', label: 'Completed', description: 'Any finished request.' },
  { value: 'audit.event', label: 'Audit event', description: 'An audit-log entry was written.' },
  { value: 'webhook.test', label: 'Test', description: 'Synthetic event sent by POST /v1/webhooks/{id}/test.' },
  { value: 'vault.token.expiring', label: 'Card token expiring', description: 'A card token’s card expires in 60 or 30 days.' },
];

const HMAC_FORMATS = [
  { value: 'legacy', label: 'KnoxCall (legacy)', description: 'sha256=<hex> over the raw body', headers: ['X-Webhook-Signature'], requires_header_name: false },
  { value: 'stripe', label: 'Stripe', description: 't=<unix>,v1=<hex> over "<t>.<body>"', headers: ['Stripe-Signature'], requires_header_name: false },
  { value: 'github', label: 'GitHub', description: 'sha256=<hex> over the raw body', headers: ['X-Hub-Signature-256'], requires_header_name: false },
  {
    value: 'slack',
    label: 'Slack',
    description: 'v0=<hex> over "v0:<ts>:<body>"',
    headers: ['X-Slack-Signature', 'X-Slack-Request-Timestamp'],
    requires_header_name: false,
  },
  {
    value: 'aws-sns',
    label: 'AWS SNS style',
    description: 'base64 HMAC-SHA256 over the raw body',
    headers: ['x-amz-sns-signature'],
    requires_header_name: false,
  },
  { value: 'custom', label: 'Custom header', description: 'sha256=<hex> in a header you name', headers: [], requires_header_name: true },
];

/** Bounds a delivery by the webhook's `timeout_seconds`, so a hanging receiver never hangs the emulator. */
function withTimeout<T>(p: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`receiver did not answer within ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const webhookStore = (state: EmulatorState) => state.store('webhooks', () => new Map<string, WebhookRow>());
const webhooks = (ctx: HandlerContext) => webhookStore(ctx.state);

function newRow(state: EmulatorState, input: Partial<WebhookRow> & { name: string; url: string }): WebhookRow {
  return {
    id: input.id ?? newId(),
    description: null,
    method: 'POST',
    event_types: [],
    auth_type: 'none',
    auth_config: null,
    request_headers: null,
    route_filter: null,
    include_request_body: false,
    include_response_body: false,
    include_headers: false,
    timeout_seconds: 10,
    retry_on_failure: true,
    max_retries: 3,
    enabled: true,
    hmac_key_id: null,
    hmac_format: null,
    hmac_header_name: null,
    secret_key: opaqueToken('whsec_', 24),
    last_triggered_at: null,
    last_success_at: null,
    last_failure_at: null,
    trigger_count: 0,
    success_count: 0,
    failure_count: 0,
    created_at: state.nowIso(),
    logs: [],
    ...input,
  };
}

/** Loads seeded webhooks (called when the state is built). */
export function seedWebhooks(state: EmulatorState, seeds: readonly SeedWebhook[]): void {
  for (const w of seeds) {
    const row = newRow(state, {
      name: w.name,
      url: w.url,
      ...(w.id !== undefined ? { id: w.id } : {}),
      event_types: w.event_types ?? ['request.completed'],
      ...(w.secret_key !== undefined ? { secret_key: w.secret_key } : {}),
      hmac_format: w.hmac_format ?? null,
      hmac_header_name: w.hmac_header_name ?? null,
      enabled: w.enabled ?? true,
    });
    webhookStore(state).set(row.id, row);
  }
}

function listView(w: WebhookRow) {
  return {
    id: w.id,
    name: w.name,
    description: w.description,
    url: w.url,
    method: w.method,
    event_types: w.event_types,
    auth_type: w.auth_type,
    enabled: w.enabled,
    last_triggered_at: w.last_triggered_at,
    trigger_count: w.trigger_count,
    success_count: w.success_count,
    failure_count: w.failure_count,
    created_at: w.created_at,
  };
}

function detailView(w: WebhookRow) {
  return {
    ...listView(w),
    route_filter: w.route_filter,
    include_request_body: w.include_request_body,
    include_response_body: w.include_response_body,
    include_headers: w.include_headers,
    timeout_seconds: w.timeout_seconds,
    retry_on_failure: w.retry_on_failure,
    max_retries: w.max_retries,
    last_success_at: w.last_success_at,
    last_failure_at: w.last_failure_at,
  };
}

function webhookOr404(ctx: HandlerContext): WebhookRow {
  const row = webhooks(ctx).get(ctx.params['id'] ?? '');
  if (!row) throw ApiError.notFound('Webhook');
  return row;
}

/** Reads create/update fields; on create `name`, `url`, `event_types` are required. */
function readFields(ctx: HandlerContext, creating: boolean): Partial<WebhookRow> {
  const v = validate(ctx.json());
  const out: Partial<WebhookRow> = {};
  const set = <K extends keyof WebhookRow>(k: K, val: WebhookRow[K] | undefined) => {
    if (val !== undefined) out[k] = val;
  };
  set('name', v.string('name', { required: creating }));
  set('url', v.url('url', { required: creating }));
  set('event_types', v.stringArray('event_types', { required: creating }));
  set('description', v.nullableString('description'));
  set('method', v.string('method', { oneOf: METHODS }));
  set('auth_type', v.string('auth_type', { oneOf: AUTH_TYPES }));
  set('auth_config', v.object('auth_config'));
  set('request_headers', v.object('request_headers'));
  const filter = ctx.json<Record<string, unknown>>()['route_filter'];
  if (typeof filter === 'string') out.route_filter = [filter];
  else if (Array.isArray(filter)) out.route_filter = filter.map(String);
  else if (filter === null) out.route_filter = null;
  set('include_request_body', v.bool('include_request_body'));
  set('include_response_body', v.bool('include_response_body'));
  set('include_headers', v.bool('include_headers'));
  set('timeout_seconds', v.int('timeout_seconds', { min: 1, max: 60 }));
  set('retry_on_failure', v.bool('retry_on_failure'));
  set('max_retries', v.int('max_retries', { min: 0, max: 10 }));
  set('enabled', v.bool('enabled'));
  set('hmac_key_id', v.nullableString('hmac_key_id'));
  set('hmac_format', v.string('hmac_format', { oneOf: FORMATS }));
  set('hmac_header_name', v.nullableString('hmac_header_name'));
  if (out.hmac_format === 'custom' && !out.hmac_header_name) v.error('hmac_header_name', 'is required for the custom format');
  v.done();
  return out;
}

function isLoopback(url: string): boolean {
  try {
    const u = new URL(url);
    return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

export const webhookRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/webhooks', handler: (ctx) => paginate(ctx, [...webhooks(ctx).values()].map(listView)) },
  { method: 'GET', path: '/v1/webhooks/event-types', handler: (ctx) => ok(ctx, { event_types: EVENT_TYPES }) },
  { method: 'GET', path: '/v1/webhooks/hmac-formats', handler: (ctx) => ok(ctx, { hmac_formats: HMAC_FORMATS }) },
  { method: 'GET', path: '/v1/webhooks/:id', handler: (ctx) => ok(ctx, detailView(webhookOr404(ctx))) },
  {
    method: 'POST',
    path: '/v1/webhooks',
    handler: (ctx) => {
      const fields = readFields(ctx, true);
      const row = newRow(ctx.state, fields as Partial<WebhookRow> & { name: string; url: string });
      webhooks(ctx).set(row.id, row);
      ctx.state.audit('webhook.created', 'webhook', row.id, { name: row.name });
      return ok(
        ctx,
        {
          id: row.id,
          name: row.name,
          description: row.description,
          url: row.url,
          method: row.method,
          event_types: row.event_types,
          auth_type: row.auth_type,
          enabled: row.enabled,
          hmac_key_id: row.hmac_key_id,
          hmac_format: row.hmac_format,
          hmac_header_name: row.hmac_header_name,
          created_at: row.created_at,
          secret_key: row.secret_key,
        },
        201,
      );
    },
  },
  {
    method: 'PATCH',
    path: '/v1/webhooks/:id',
    handler: (ctx) => {
      const row = webhookOr404(ctx);
      Object.assign(row, readFields(ctx, false));
      ctx.state.audit('webhook.updated', 'webhook', row.id);
      const { id, name, description, url, method, event_types, auth_type, enabled, created_at } = row;
      return ok(ctx, { id, name, description, url, method, event_types, auth_type, enabled, created_at });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/webhooks/:id',
    handler: (ctx) => {
      const row = webhookOr404(ctx);
      webhooks(ctx).delete(row.id);
      ctx.state.audit('webhook.deleted', 'webhook', row.id);
      return ok(ctx, { deleted: true });
    },
  },
  { method: 'GET', path: '/v1/webhooks/:id/logs', handler: (ctx) => paginate(ctx, [...webhookOr404(ctx).logs].reverse()) },
  {
    method: 'POST',
    path: '/v1/webhooks/:id/test',
    handler: async (ctx) => {
      const row = webhookOr404(ctx);
      const log = startDeliveryLog(row, ctx.nowIso());
      let result: { success: boolean; response_time_ms: number; status?: number; error?: string };
      if (!isLoopback(row.url)) {
        result = { success: false, response_time_ms: 0, error: 'The emulator delivers test events only to loopback URLs (127.0.0.1 / localhost)' };
      } else {
        try {
          const format = (row.hmac_format ?? 'legacy') as WebhookHmacFormat;
          const delivery = ctx.services.deliverWebhook(row.url, {
            event: {
              event: 'webhook.test',
              data: { message: 'This is a test event from the KnoxCall emulator', webhook_id: row.id },
              webhook_id: row.id,
              webhook_name: row.name,
            },
            secret: row.secret_key,
            format,
            ...(row.hmac_header_name ? { headerName: row.hmac_header_name } : {}),
            // No timestamp: the receiver checks it against its own (real) clock, not the emulator's.
          });
          const answer = await withTimeout(delivery, row.timeout_seconds);
          const success = answer.status >= 200 && answer.status < 300;
          result = { success, response_time_ms: Math.round(answer.durationMs), status: answer.status };
        } catch (e) {
          result = { success: false, response_time_ms: 0, error: e instanceof Error ? e.message : String(e) };
        }
      }
      log.success = result.success;
      log.response_status = result.status ?? null;
      log.response_time_ms = result.response_time_ms;
      log.error_message = result.error ?? null;
      countDelivery(row, log);
      return ok(ctx, result);
    },
  },
];

/** What the data plane reports about one proxied call. */
export interface ProxiedCall {
  routeId: string;
  routeName: string;
  routeSlug: string | null;
  environment: string | null;
  method: string;
  path: string;
  ip: string | null;
  /** Upstream status, or null when it never answered. */
  status: number | null;
  latencyMs: number | null;
  timedOut: boolean;
}

function outcomeEvent(call: ProxiedCall): string {
  if (call.status === null) return call.timedOut ? 'request.timeout' : 'request.error';
  if (call.status >= 500) return 'request.server_error';
  if (call.status >= 400) return 'request.client_error';
  if (call.status >= 300) return 'request.redirect';
  return 'request.success';
}

/**
 * Sends the `request.*` events of a proxied call to every enabled loopback webhook subscribed to
 * them (one delivery per matching event type), signed with the webhook's secret and format like
 * the real server. Deliveries run in the background; `track` receives each promise so the
 * emulator can offer `idle()`.
 */
export function emitRequestEvents(state: EmulatorState, call: ProxiedCall, track: (p: Promise<void>) => void): void {
  const types = ['request.received', outcomeEvent(call), 'request.completed'];
  for (const hook of webhookStore(state).values()) {
    if (!hook.enabled || !isLoopback(hook.url)) continue;
    if (hook.route_filter && !hook.route_filter.some((f) => f === call.routeId || f === call.routeSlug || f === call.routeName)) continue;
    for (const type of types.filter((t) => hook.event_types.includes(t))) {
      track(deliverOne(state, hook, type, call));
    }
  }
}

/** Opens the log row of one delivery attempt and counts it on the webhook (test and real events alike). */
function startDeliveryLog(hook: WebhookRow, now: string): WebhookLogRow {
  const log: WebhookLogRow = {
    id: newId(),
    http_method: 'POST',
    target_url: hook.url,
    source_ip: null,
    response_status: null,
    response_time_ms: null,
    executed_at: now,
    success: false,
    error_message: null,
  };
  hook.logs.push(log);
  hook.trigger_count += 1;
  hook.last_triggered_at = log.executed_at;
  return log;
}

/** Counts a finished delivery attempt on the webhook as a success or a failure. */
function countDelivery(hook: WebhookRow, log: WebhookLogRow): void {
  if (log.success) {
    hook.success_count += 1;
    hook.last_success_at = log.executed_at;
  } else {
    hook.failure_count += 1;
    hook.last_failure_at = log.executed_at;
  }
}

async function deliverOne(state: EmulatorState, hook: WebhookRow, type: string, call: ProxiedCall): Promise<void> {
  const log = startDeliveryLog(hook, state.nowIso());
  try {
    const delivery = deliverWebhook(hook.url, {
      event: {
        event: type,
        webhook_id: hook.id,
        webhook_name: hook.name,
        data: {
          route_id: call.routeId,
          route_name: call.routeName,
          environment: call.environment,
          request: { method: call.method, path: call.path, ip: call.ip },
          response: { status: type === 'request.received' ? null : call.status, latency_ms: type === 'request.received' ? null : call.latencyMs },
        },
      },
      secret: hook.secret_key,
      format: (hook.hmac_format ?? 'legacy') as WebhookHmacFormat,
      ...(hook.hmac_header_name ? { headerName: hook.hmac_header_name } : {}),
    });
    const answer = await withTimeout(delivery, hook.timeout_seconds);
    log.response_status = answer.status;
    log.response_time_ms = Math.round(answer.durationMs);
    log.success = answer.status >= 200 && answer.status < 300;
  } catch (e) {
    log.error_message = e instanceof Error ? e.message : String(e);
  }
  countDelivery(hook, log);
}
