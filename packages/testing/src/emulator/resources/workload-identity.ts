import { ApiError } from '../errors.js';
import type { Reply } from '../reply.js';
import type { HandlerContext, RouteRegistration } from '../router.js';
import { type TestIssuerPlatform, mintTestSubjectToken, testIssuerJwks } from '../test-issuers.js';

/**
 * The test issuers' JWKS, and loopback imitations of the platforms' identity endpoints, so a
 * client's workload auto-detection runs end to end without a packet leaving the machine:
 * - GitHub Actions: point `ACTIONS_ID_TOKEN_REQUEST_URL` at `{url}/_platforms/github/token?api-version=2.0`
 *   (any non-empty `ACTIONS_ID_TOKEN_REQUEST_TOKEN`).
 * - GCP: set `GCE_METADATA_HOST` to the emulator's `host:port`.
 * - Azure: `IDENTITY_ENDPOINT={url}/_platforms/azure/identity`, any non-empty `IDENTITY_HEADER`.
 * Each answers like the real service (JSON `value`, plain text, JSON `access_token`) with a
 * token from that platform's test issuer for the requested audience.
 */

const mint = (ctx: HandlerContext, platform: TestIssuerPlatform, audience: string | null): string =>
  mintTestSubjectToken({ platform, audience: audience ?? 'knoxcall:api', now: ctx.now() });

const header = (ctx: HandlerContext, name: string): string => {
  const value = ctx.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

function github(ctx: HandlerContext): Reply {
  if (!/^Bearer \S+$/.test(header(ctx, 'authorization'))) throw new ApiError(401, 'unauthorized', 'Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN required');
  return { status: 200, body: { count: 1, value: mint(ctx, 'github-actions', ctx.query.get('audience')) } };
}

function gcp(ctx: HandlerContext): Reply {
  if (header(ctx, 'metadata-flavor') !== 'Google') throw new ApiError(403, 'forbidden', 'Missing Metadata-Flavor: Google header');
  return { status: 200, text: mint(ctx, 'gcp', ctx.query.get('audience')), contentType: 'application/text' };
}

function azure(ctx: HandlerContext): Reply {
  if (header(ctx, 'x-identity-header') === '') throw new ApiError(400, 'bad_request', 'X-IDENTITY-HEADER required');
  if (ctx.query.get('api-version') !== '2019-08-01') throw new ApiError(400, 'bad_request', 'api-version 2019-08-01 required');
  return { status: 200, body: { access_token: mint(ctx, 'azure', ctx.query.get('resource')), token_type: 'Bearer', resource: ctx.query.get('resource') } };
}

export const workloadIdentityRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/.well-known/test-issuers/jwks.json', auth: 'none', handler: () => ({ status: 200, body: testIssuerJwks() }) },
  { method: 'GET', path: '/_platforms/github/token', auth: 'none', handler: github },
  { method: 'GET', path: '/computeMetadata/v1/instance/service-accounts/default/identity', auth: 'none', handler: gcp },
  { method: 'GET', path: '/_platforms/azure/identity', auth: 'none', handler: azure },
];
