import { ApiError } from '../../../errors.js';
import { newId, opaqueToken } from '../../../ids.js';
import { ok } from '../../../reply.js';
import type { HandlerContext, RouteRegistration } from '../../../router.js';
import { validate } from '../../../validate.js';
import { found } from '../patch.js';
import { type EgressObservationRow, type GatewayTokenRow, credentialByName, manifestRoutes, manifestVersion, wrapStore } from './store.js';

/**
 * `/v1/wrap/*` (resources.md §19.1): escrow a provider credential (pinned to hosts, never
 * returned), gateway URLs backed by revocable tokens, the intercept manifest with its ETag,
 * and the egress observations SDKs report about traffic that bypassed KnoxCall.
 */

const MAX_OBSERVATIONS_PER_CALL = 200;
const DEFAULT_GATEWAY_TTL_SECONDS = 3600;

function escrow(ctx: HandlerContext) {
  const v = validate(ctx.json());
  const provider = v.string('provider', { required: true });
  const name = v.string('name', { required: true });
  const value = v.string('value', { required: true });
  const hosts = v.stringArray('hosts', { required: true });
  if (hosts !== undefined && hosts.length === 0) v.error('hosts', 'must name at least one host');
  v.done();
  const store = wrapStore(ctx.state);
  const existing = credentialByName(ctx.state, name!);
  const row = {
    secret_id: existing?.secret_id ?? newId(),
    name: name!,
    provider: provider!,
    allowed_hosts: hosts!.map((h) => h.toLowerCase()),
    sandbox: ctx.state.defaultEnvironment()?.sandbox ?? false,
    value: value!,
  };
  store.credentials.set(row.secret_id, row);
  const { value: _never, ...shown } = row;
  return ok(ctx, shown, existing ? 200 : 201);
}

function publicToken(row: GatewayTokenRow): Omit<GatewayTokenRow, 'token'> & { token_prefix: string; revoked: boolean } {
  const { token, ...rest } = row;
  return { ...rest, token_prefix: token.slice(0, 8), revoked: row.revoked_at !== null };
}

function createToken(ctx: HandlerContext) {
  const v = validate(ctx.json());
  const secretRef = v.string('secret', { required: true });
  const hostGiven = v.string('host');
  const ttl = v.int('ttl_seconds', { min: 1, max: 30 * 24 * 3600 });
  const label = v.string('label');
  const style = v.string('style', { oneOf: ['path', 'subdomain'] }) as 'path' | 'subdomain' | undefined;
  v.done();
  const store = wrapStore(ctx.state);
  const credential = store.credentials.get(secretRef!) ?? credentialByName(ctx.state, secretRef!);
  if (!credential) throw ApiError.notFound(`Wrap credential "${secretRef}"`);
  const host = (hostGiven ?? credential.allowed_hosts[0]!).toLowerCase();
  if (!credential.allowed_hosts.includes(host)) {
    throw ApiError.badRequest(`Host ${host} is not among the credential's allowed hosts`, 'host_not_allowed');
  }
  const now = ctx.now();
  const row: GatewayTokenRow = {
    id: newId(),
    token: opaqueToken('wgt_'),
    label: label ?? null,
    host,
    secret_id: credential.secret_id,
    style: style ?? 'path',
    created_at: new Date(now).toISOString(),
    expires_at: new Date(now + (ttl ?? DEFAULT_GATEWAY_TTL_SECONDS) * 1000).toISOString(),
    revoked_at: null,
  };
  store.tokens.set(row.id, row);
  // The path form is served by this emulator (/wg/<token>/<host>/…); the subdomain form only names the URL.
  const baseUrl = row.style === 'path' ? `${ctx.services.baseUrl()}/wg/${row.token}/${host}` : `https://${row.token}.wg.knoxcall.com`;
  return ok(
    ctx,
    {
      id: row.id,
      token: row.token,
      base_url: baseUrl,
      host,
      secret_id: row.secret_id,
      sandbox: credential.sandbox,
      expires_at: row.expires_at,
      base_url_style: row.style,
    },
    201,
  );
}

function revokeToken(ctx: HandlerContext) {
  const row = found(wrapStore(ctx.state).tokens, ctx.params['id'], 'Gateway token');
  const revoked = row.revoked_at === null;
  if (revoked) row.revoked_at = ctx.nowIso();
  return ok(ctx, { id: row.id, revoked });
}

function manifest(ctx: HandlerContext) {
  const requested = ctx.query.get('environment');
  const env = requested ?? ctx.state.defaultEnvironment()?.name ?? 'production';
  if (requested !== null && !ctx.state.environmentByName(requested)) throw ApiError.notFound(`Environment "${requested}"`, 'environment_not_found');
  const routes = manifestRoutes(ctx.state, env);
  const version = manifestVersion(routes, env);
  const etag = `W/"${version}"`;
  const ifNoneMatch = ctx.headers['if-none-match'];
  if (ifNoneMatch === etag || ifNoneMatch === `"${version}"`) return { status: 304, headers: { etag } };
  const data = {
    version,
    ttl_seconds: wrapStore(ctx.state).manifestTtlSeconds,
    environment: env,
    sandbox: ctx.state.environmentByName(env)?.sandbox ?? false,
    routes,
  };
  const reply = ok(ctx, data);
  return { ...reply, headers: { etag } };
}

const OBSERVATION_STRINGS = ['host', 'first_segment', 'method', 'header_name', 'first_seen', 'last_seen'] as const;

function looksLikeCredential(segment: string): boolean {
  return segment.length >= 20 && /[0-9]/.test(segment) && /[a-zA-Z]/.test(segment);
}

function observations(ctx: HandlerContext) {
  const body = ctx.json<{ sdk?: unknown; observations?: unknown }>();
  if (!Array.isArray(body.observations)) throw ApiError.validation({ observations: ['must be an array'] });
  if (body.observations.length > MAX_OBSERVATIONS_PER_CALL) {
    throw ApiError.validation({ observations: [`at most ${MAX_OBSERVATIONS_PER_CALL} per call`] });
  }
  const sdk = typeof body.sdk === 'string' ? body.sdk : 'unknown';
  const store = wrapStore(ctx.state);
  const reasons: Record<string, number> = {};
  let accepted = 0;
  let redacted = 0;
  for (const raw of body.observations as unknown[]) {
    const o = raw as Record<string, unknown>;
    const bad = typeof o !== 'object' || o === null || OBSERVATION_STRINGS.some((k) => typeof o[k] !== 'string') || typeof o['count'] !== 'number';
    if (bad) {
      reasons['malformed'] = (reasons['malformed'] ?? 0) + 1;
      continue;
    }
    let firstSegment = o['first_segment'] as string;
    if (looksLikeCredential(firstSegment.replace(/^\//, ''))) {
      firstSegment = '/';
      redacted += 1;
    }
    const row: EgressObservationRow = {
      sdk,
      host: o['host'] as string,
      first_segment: firstSegment,
      method: o['method'] as string,
      header_name: (o['header_name'] as string).toLowerCase(),
      count: o['count'] as number,
      first_seen: o['first_seen'] as string,
      last_seen: o['last_seen'] as string,
    };
    store.observations.push(row);
    accepted += 1;
  }
  const dropped = body.observations.length - accepted;
  return ok(ctx, { accepted, dropped, reasons, ...(redacted > 0 ? { redacted: { first_segment: redacted } } : {}) });
}

export const wrapRoutes: RouteRegistration[] = [
  { method: 'POST', path: '/v1/wrap/credentials', handler: escrow },
  { method: 'POST', path: '/v1/wrap/tokens', handler: createToken },
  {
    method: 'GET',
    path: '/v1/wrap/tokens',
    handler: (ctx) => ok(ctx, { tokens: [...wrapStore(ctx.state).tokens.values()].map(publicToken) }),
  },
  { method: 'DELETE', path: '/v1/wrap/tokens/:id', handler: revokeToken },
  { method: 'GET', path: '/v1/wrap/intercept-manifest', handler: manifest },
  { method: 'POST', path: '/v1/wrap/egress-observations', handler: observations },
];
