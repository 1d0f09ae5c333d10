import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { authenticate } from './auth.js';
import { isJsonContentType, readBody } from './body.js';
import { EmulatorCore } from './core.js';
import { handleEphemeralProxy, handleRouteProxy } from './data-plane.js';
import { ApiError } from './errors.js';
import { newRequestId } from './ids.js';
import { decideDevice, handleAuthorize, handleDeviceAuthorization, handleRevoke } from './oauth-login.js';
import { handleTokenRequest } from './oauth-token.js';
import { OAuthError } from './errors.js';
import type { Reply } from './reply.js';
import { allRoutes } from './resources/index.js';
import { type AuthContext, type EmulatorServices, type HandlerContext, Router } from './router.js';
import { resolveSeed } from './seed.js';
import { type MintSubjectTokenOptions, mintTestSubjectToken } from './test-issuers.js';
import type { EmulatorCredentials, EmulatorOptions, RecordedRequest, ScriptStep } from './types.js';
import { type DeliverWebhookOptions, type DeliverWebhookResult, deliverWebhook } from '../deliver-webhook.js';
import { completePendingSignup } from './resources/signup.js';
import { type EmulatorWrap, emulatorWrap } from './resources/extended/wrap/emulator-wrap.js';
import { handleGatewayUrl } from './resources/extended/wrap/upstream-auth.js';

/** A running emulator (see README for every member). */
export interface Emulator {
  /** Management / OAuth base, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Data-plane base to use verbatim as `proxyBaseUrl` (the same server). */
  readonly proxyUrl: string;
  /** Tenant slug. */
  readonly tenant: string;
  readonly credentials: EmulatorCredentials;
  requests(): RecordedRequest[];
  clearRequests(): void;
  script(method: string, pathPattern: string, steps: readonly ScriptStep[]): void;
  reset(): void;
  /** Marks a pending signup as confirmed so `POST /v1/signup/claim` returns the starter key. */
  completeSignup(claimHandle: string): void;
  /** Real id of the public CLI client (`knoxcall-cli` is its alias); token responses carry it. */
  readonly cliClientId: string;
  /** Mints a single-use refresh token (for credentials-file tests); default client: the CLI client. */
  issueRefreshToken(options?: { clientId?: string; scope?: string }): string;
  /** Resolves once every background webhook delivery (request.* events) has finished. */
  idle(): Promise<void>;
  /** Approves (or with `false` denies) a pending device login by its user code. */
  approveDevice(userCode: string, approve?: boolean): void;
  /**
   * A signed OIDC ID token from a platform's test issuer (default GitHub Actions, audience
   * `knoxcall:api`), which this emulator's token exchanges accept; expiry by the emulator's clock.
   */
  mintSubjectToken(options?: MintSubjectTokenOptions): string;
  /** Rotates the server's DPoP nonce (the old one is then refused with `use_dpop_nonce`). */
  rotateDpopNonce(): string;
  deliverWebhook(url: string, options: DeliverWebhookOptions): Promise<DeliverWebhookResult>;
  /** The `wrap` state: reported egress observations, the intercept manifest's TTL. */
  readonly wrap: EmulatorWrap;
  close(): Promise<void>;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The dated API contract this emulator implements (transport.md §0). */
export const API_VERSION = '2026-08-05';

/** Known = a well-formed date not after API_VERSION (unknown versions get 400, transport.md §3.2). */
function isSupportedApiVersion(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) && v <= API_VERSION;
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function recordHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.now ?? Date.now;
  const resolved = resolveSeed(options.seed ?? {}, now());
  const core = new EmulatorCore(resolved, {
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    deviceIntervalSeconds: options.deviceIntervalSeconds ?? 5,
    requireDpop: options.requireDpop ?? false,
    dpopNonces: options.dpopNonces ?? false,
    now,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
  });
  const router = new Router(allRoutes);
  let baseUrl = '';
  const services: EmulatorServices = {
    baseUrl: () => baseUrl,
    deliverWebhook: (url, opts) => deliverWebhook(url, opts),
    signups: () => core.signups,
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    handle(core, router, services, req, res).catch((e: unknown) => {
      // Last line of defence: a bug in a handler answers 500, it never takes the server down.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { type: 'internal_error', message: e instanceof Error ? e.message : 'internal error', request_id: res.getHeader('x-request-id') },
          }),
        );
      } else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    proxyUrl: baseUrl,
    tenant: resolved.account.slug,
    credentials: { ...resolved.credentials },
    requests: () => core.log.map((r) => ({ ...r, query: { ...r.query }, headers: { ...r.headers } })),
    clearRequests: () => {
      core.log.length = 0;
    },
    script: (method, pathPattern, steps) => core.faults.add(method, pathPattern, steps),
    reset: () => core.reset(),
    completeSignup: (claimHandle) => completePendingSignup(core, claimHandle),
    cliClientId: resolved.cliClientId,
    issueRefreshToken: (opts = {}) => {
      const token = `kc_rt_${crypto.randomUUID().replace(/-/g, '')}`;
      const clientId = opts.clientId === undefined || opts.clientId === 'knoxcall-cli' ? resolved.cliClientId : opts.clientId;
      core.state.refreshTokens.set(token, { token, client_id: clientId, scope: opts.scope ?? '', used: false });
      return token;
    },
    approveDevice: (userCode, approve = true) => decideDevice(core, userCode, approve),
    idle: () => core.idle(),
    rotateDpopNonce: () => core.rotateDpopNonce(),
    mintSubjectToken: (opts = {}) => mintTestSubjectToken({ now: core.now(), ...opts }),
    deliverWebhook: (url, opts) => deliverWebhook(url, opts),
    wrap: emulatorWrap(() => core.state),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

async function handle(core: EmulatorCore, router: Router, services: EmulatorServices, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  res.setHeader('x-request-id', requestId);
  if (core.options.dpopNonces) res.setHeader('dpop-nonce', core.dpopNonce);
  const method = (req.method ?? 'GET').toUpperCase();
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://emulator.invalid');
  } catch {
    url = new URL('http://emulator.invalid/');
  }
  const path = url.pathname;
  const { body, tooLarge } = await readBody(req, core.options.maxBodyBytes);
  core.log.push({ method, path, query: Object.fromEntries(url.searchParams), headers: recordHeaders(req), body: body.toString('utf8') });

  const step = core.faults.take(method, path);
  // A delay is served inside dispatch (after auth and idempotency bookkeeping), so a delayed
  // mutating request is genuinely "in flight" for a concurrent duplicate.
  let delayMs = 0;
  if (step) {
    if ('reset' in step) {
      req.socket.destroy();
      return;
    }
    if ('delayMs' in step) delayMs = step.delayMs;
    else if ('rawBody' in step)
      return send(res, method, { status: step.status ?? 200, headers: { 'content-type': 'application/json', ...(step.headers ?? {}) }, text: step.rawBody });
    else
      return send(res, method, {
        status: step.status,
        headers: step.headers ?? {},
        ...(typeof step.body === 'string' ? { text: step.body, contentType: 'application/json' } : step.body === undefined ? {} : { body: step.body }),
      });
  }

  let reply: Reply;
  try {
    if (tooLarge) throw new ApiError(413, 'payload_too_large', `Request body exceeds ${core.options.maxBodyBytes} bytes`);
    reply = await dispatch(core, router, services, req, method, url, body, requestId, delayMs);
  } catch (e) {
    reply = errorReply(e, requestId);
  }
  send(res, method, reply);
}

function errorReply(e: unknown, requestId: string): Reply {
  if (e instanceof ApiError) return { status: e.status, headers: e.headers, body: e.body(requestId) };
  const message = e instanceof Error ? e.message : String(e);
  return { status: 500, body: { error: { type: 'internal_error', message, request_id: requestId } } };
}

function send(res: ServerResponse, method: string, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload: Buffer | undefined;
  if (reply.raw !== undefined) payload = Buffer.from(reply.raw);
  else if (reply.text !== undefined) {
    payload = Buffer.from(reply.text, 'utf8');
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
  }
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (payload !== undefined) res.setHeader('content-length', String(payload.length));
  res.statusCode = reply.status;
  const noBody = method === 'HEAD' || reply.status === 204 || reply.status === 304;
  res.end(noBody ? undefined : payload);
}

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());

async function dispatch(
  core: EmulatorCore,
  router: Router,
  services: EmulatorServices,
  req: IncomingMessage,
  method: string,
  url: URL,
  body: Buffer,
  requestId: string,
  delayMs: number,
): Promise<Reply> {
  const path = url.pathname;
  if (firstHeader(req, 'x-knoxcall-route') !== undefined) {
    await sleep(delayMs);
    return handleRouteProxy(core, req, path, url.search, body, requestId);
  }
  if (path === '/oauth/token') {
    await sleep(delayMs);
    return handleTokenRequest(core, req, path, body);
  }
  if (path === '/oauth/authorize' || path === '/oauth/device_authorization' || path === '/oauth/revoke') {
    await sleep(delayMs);
    try {
      if (path === '/oauth/authorize') return handleAuthorize(core, url);
      if (path === '/oauth/device_authorization') return handleDeviceAuthorization(core, req, body, services.baseUrl());
      return handleRevoke(core, req, body);
    } catch (e) {
      if (e instanceof OAuthError) return { status: e.status, headers: e.headers, body: e.body() };
      throw e;
    }
  }
  if (path.startsWith('/wg/')) return handleGatewayUrl(core, req, url, body);
  if (path === '/v1/proxy') {
    await sleep(delayMs);
    return handleEphemeralProxy(core, req, path, body);
  }

  const match = router.match(method, path);
  if (match === undefined) throw new ApiError(404, 'not_found', `No endpoint ${method} ${path}`);
  if (match === 'method') throw new ApiError(405, 'method_not_allowed', `Method ${method} is not allowed on ${path}`);

  const version = firstHeader(req, 'knoxcall-version');
  if (version !== undefined && !isSupportedApiVersion(version)) {
    throw ApiError.badRequest(
      `Unsupported KnoxCall-Version "${version}"; this server speaks ${API_VERSION} and earlier dated versions`,
      'unsupported_api_version',
    );
  }

  let auth: AuthContext | null = null;
  if ((match.reg.auth ?? 'management') === 'management') auth = authenticate(core, { req, method, path, plane: 'management' });

  let parsed: unknown;
  let parsedOnce = false;
  const ctx: HandlerContext = {
    method,
    path,
    query: url.searchParams,
    headers: req.headers,
    params: match.params,
    rawBody: body,
    requestId,
    state: core.state,
    auth,
    services,
    now: () => core.now(),
    nowIso: () => new Date(core.now()).toISOString(),
    json<T extends object>(): T {
      if (!parsedOnce) {
        parsed = parseJsonBody(req, body);
        parsedOnce = true;
      }
      return parsed as T;
    },
  };
  // Parse eagerly on mutating calls so bad JSON is a 400 even where the handler ignores the body.
  if (MUTATING.has(method)) ctx.json();

  const idemKey = firstHeader(req, 'x-idempotency-key');
  if (!idemKey || !MUTATING.has(method)) {
    await sleep(delayMs);
    return match.reg.handler(ctx);
  }

  const scope = auth ? `${auth.kind}:${auth.subject}` : 'anonymous';
  const fingerprint = `${method} ${path}`;
  const started = core.idempotency.begin(scope, idemKey, fingerprint);
  if (started.kind === 'replay') return { ...started.reply, headers: { ...(started.reply.headers ?? {}), 'idempotent-replayed': 'true' } };
  if (started.kind === 'in_progress') throw ApiError.conflict('A request with this idempotency key is still being processed', 'request_in_progress');
  if (started.kind === 'mismatch') {
    throw new ApiError(422, 'idempotency_key_reused', 'This idempotency key was already used for a different request', {
      fields: { 'X-Idempotency-Key': ['already used for another request'] },
    });
  }
  try {
    await sleep(delayMs);
    const reply = await match.reg.handler(ctx);
    // Replays carry the first body verbatim (its request id included), like the real server.
    core.idempotency.finish(scope, idemKey, fingerprint, { ...reply, body: structuredClone(reply.body) });
    return reply;
  } catch (e) {
    const r = errorReply(e, requestId);
    core.idempotency.finish(scope, idemKey, fingerprint, r);
    throw e;
  }
}

function parseJsonBody(req: IncomingMessage, body: Buffer): unknown {
  if (body.length === 0) return {};
  const ct = firstHeader(req, 'content-type');
  if (ct !== undefined && !isJsonContentType(ct)) {
    throw new ApiError(415, 'unsupported_media_type', `Content-Type must be application/json (got "${ct}")`);
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw ApiError.badRequest(`Malformed JSON body: ${e instanceof Error ? e.message : 'parse error'}`, 'invalid_json');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw ApiError.badRequest('The JSON body must be an object', 'invalid_json');
  return value;
}
