/**
 * The emulator's route table.
 *
 * REGISTRATION API (used by every file in `resources/`, including the extended tier in
 * `resources/extended/`): a resource family exports an array of `RouteRegistration`s and
 * `resources/index.ts` concatenates them.
 *
 *   import type { RouteRegistration } from '../router.js';         // '../../router.js' from extended/
 *   import { ok, paginate } from '../reply.js';
 *   import { ApiError } from '../errors.js';
 *
 *   export const widgetRoutes: RouteRegistration[] = [
 *     { method: 'GET', path: '/v1/widgets', handler: (ctx) => paginate(ctx, [...widgets(ctx).values()]) },
 *     { method: 'POST', path: '/v1/widgets/:id/run', handler: (ctx) => {
 *         const body = ctx.json();                                  // {} when no body; 400/415 on bad input
 *         const w = widgets(ctx).get(ctx.params['id'] ?? '');
 *         if (!w) throw ApiError.notFound('Widget');               // Shape-A 404 envelope
 *         return ok(ctx, w);                                        // {data, meta: {request_id}}
 *     } },
 *   ];
 *   // per-tenant storage that reset() clears:
 *   const widgets = (ctx: HandlerContext) => ctx.state.store('widgets', () => new Map<string, Widget>());
 *
 * Rules:
 * - `path` has literal segments and `:name` parameters (values percent-decoded). When several
 *   patterns match, the one with a literal segment at the first differing position wins, so
 *   `/v1/webhooks/event-types` beats `/v1/webhooks/:id` whatever the registration order.
 * - `auth` defaults to `'management'`: the request must carry a valid `kc_` credential (Bearer or
 *   DPoP); `ctx.auth` then describes it. `'none'` skips authentication (signup, claim).
 * - Mutating requests are covered by server-side idempotency (`X-Idempotency-Key`) automatically.
 * - Return a `Reply` (see reply.ts: `ok`, `bare`, `paginate`, `text`) or throw `ApiError`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { DeliverWebhookOptions, DeliverWebhookResult } from '../deliver-webhook.js';
import { ApiError } from './errors.js';
import type { Reply } from './reply.js';
import type { EmulatorState } from './state.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Who made a management request. */
export interface AuthContext {
  kind: 'access_token' | 'api_key';
  /** OAuth client id (access tokens) or API-key row id. */
  subject: string;
  scope: string;
  token: string;
  /** DPoP thumbprint the credential is bound to, if any. */
  jkt: string | null;
}

/** Emulator-level services a handler may need beyond the tenant state. */
export interface EmulatorServices {
  /** http://127.0.0.1:PORT */
  baseUrl(): string;
  /** Delivers a signed webhook (the sibling deliver-webhook module). */
  deliverWebhook(url: string, options: DeliverWebhookOptions): Promise<DeliverWebhookResult>;
  /** Pending signups, shared with `completeSignup()`. */
  signups(): Map<string, unknown>;
}

export interface HandlerContext {
  method: string;
  /** Decoded-free raw path (no query). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  rawBody: Buffer;
  requestId: string;
  state: EmulatorState;
  /** Null only on `auth: 'none'` routes. */
  auth: AuthContext | null;
  services: EmulatorServices;
  /** Clock in epoch ms (the emulator's injectable `now`). */
  now(): number;
  nowIso(): string;
  /** The JSON request body as an object (`{}` when there is no body). Throws 400/415 envelopes. */
  json<T extends object = Record<string, unknown>>(): T;
}

export interface RouteRegistration {
  method: HttpMethod;
  path: string;
  auth?: 'management' | 'none';
  handler(ctx: HandlerContext): Reply | Promise<Reply>;
}

interface CompiledRoute {
  reg: RouteRegistration;
  segments: Array<{ literal: string } | { param: string }>;
}

export interface RouteMatch {
  reg: RouteRegistration;
  params: Record<string, string>;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s, i) => i > 0 || s !== '');
}

/** Compiles path patterns and resolves (method, path) to a registration. */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  constructor(registrations: readonly RouteRegistration[]) {
    for (const reg of registrations) this.add(reg);
  }

  add(reg: RouteRegistration): void {
    const segments = splitPath(reg.path).map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { literal: s }));
    this.routes.push({ reg, segments });
  }

  /** `undefined` = no such path; `'method'` = the path exists for other methods (405). */
  match(method: string, path: string): RouteMatch | 'method' | undefined {
    const parts = splitPath(path);
    let best: { route: CompiledRoute; params: Record<string, string>; score: string } | undefined;
    let pathExists = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathExists = true;
      if (route.reg.method !== method && !(method === 'HEAD' && route.reg.method === 'GET')) continue;
      // Literal segments score '1', params '0'; the lexicographically larger score is more specific.
      const score = route.segments.map((s) => ('literal' in s ? '1' : '0')).join('');
      if (!best || score > best.score) best = { route, params, score };
    }
    if (best) return { reg: best.route.reg, params: best.params };
    return pathExists ? 'method' : undefined;
  }
}

function matchSegments(segments: CompiledRoute['segments'], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const part = parts[i]!;
    if ('literal' in seg) {
      if (seg.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      try {
        params[seg.param] = decodeURIComponent(part);
      } catch {
        throw ApiError.badRequest(`Malformed percent-encoding in path segment "${part}"`);
      }
    }
  }
  return params;
}

/**
 * Matches a fault-script pattern: `*` as method matches any; in the path, `:name` and `*` match
 * one segment and a trailing `**` matches the rest.
 */
export function matchesPattern(methodPattern: string, pathPattern: string, method: string, path: string): boolean {
  if (methodPattern !== '*' && methodPattern.toUpperCase() !== method) return false;
  const pat = splitPath(pathPattern);
  const parts = splitPath(path);
  for (let i = 0; i < pat.length; i++) {
    const p = pat[i]!;
    if (p === '**') return true;
    const part = parts[i];
    if (part === undefined) return false;
    if (p === '*' || p.startsWith(':')) continue;
    if (p !== part) return false;
  }
  return pat.length === parts.length;
}
