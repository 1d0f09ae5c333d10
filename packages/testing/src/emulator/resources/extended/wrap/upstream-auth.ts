import type { IncomingMessage } from 'node:http';
import type { EmulatorCore } from '../../../core.js';
import { withoutGatewayHeaders } from '../../../data-plane.js';
import { ApiError } from '../../../errors.js';
import { forward, forwardableRequestHeaders } from '../../../forward.js';
import type { Reply } from '../../../reply.js';
import type { EmulatorState } from '../../../state.js';
import { type EscrowedCredential, credentialByName, hostAllowed, wrapStore } from './store.js';

/** `Authorization` value for an escrowed credential under `scheme` (default Bearer; `none` = the raw value). */
function authorizationFor(credential: EscrowedCredential, scheme: string | undefined): string {
  const s = scheme ?? 'Bearer';
  return s.toLowerCase() === 'none' ? credential.value : `${s} ${credential.value}`;
}

/**
 * The upstream `Authorization` for `X-Knox-Upstream-Auth-Secret: <name>` on the ephemeral
 * proxy: an escrowed wrap credential, refused (403) for a host it is not pinned to.
 * `undefined` when no wrap credential has that name (the caller may then try tenant secrets).
 */
export function escrowedAuthorization(state: EmulatorState, name: string, scheme: string | undefined, url: URL): string | undefined {
  const credential = credentialByName(state, name);
  if (credential === undefined) return undefined;
  if (!hostAllowed(credential, url)) {
    throw ApiError.forbidden(`Wrap credential "${name}" is pinned to ${credential.allowed_hosts.join(', ')}; ${url.host} is not allowed`, 'host_not_allowed');
  }
  return authorizationFor(credential, scheme);
}

const GATEWAY_PATH = /^\/wg\/([^/]+)\/([^/]+)(\/.*)?$/;

/**
 * A gateway URL (`/wg/<token>/<host>/<path>`, the path style of `wrap.gatewayUrl`): the
 * token is the only credential; a revoked or expired token is a 401. The escrowed secret is
 * injected as `Authorization: Bearer …` and the request goes to `http://<host><path>`
 * (loopback only, like every emulator upstream).
 */
export async function handleGatewayUrl(core: EmulatorCore, req: IncomingMessage, url: URL, body: Buffer): Promise<Reply> {
  const m = GATEWAY_PATH.exec(url.pathname);
  if (!m) throw ApiError.notFound('Gateway URL');
  const [, token, host, rest] = m;
  const store = wrapStore(core.state);
  const row = [...store.tokens.values()].find((t) => t.token === token);
  if (!row || row.revoked_at !== null || Date.parse(row.expires_at) <= core.now()) {
    throw new ApiError(401, 'invalid_gateway_token', 'The gateway token is unknown, revoked or expired');
  }
  if (host!.toLowerCase() !== row.host) throw ApiError.forbidden(`This gateway token is for ${row.host}`, 'host_not_allowed');
  const credential = store.credentials.get(row.secret_id);
  if (!credential) throw new ApiError(401, 'invalid_gateway_token', 'The credential behind this gateway token was removed');
  const target = new URL(`http://${row.host}${rest ?? '/'}${url.search}`);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
    throw ApiError.badRequest('The emulator only proxies to 127.0.0.1 or localhost upstreams', 'destination_not_allowed');
  }
  const headers = forwardableRequestHeaders(req.headers, (k) => k === 'authorization' || k.startsWith('x-knox'));
  headers['authorization'] = authorizationFor(credential, undefined);
  const method = (req.method ?? 'GET').toUpperCase();
  try {
    const answer = await forward(target, method, headers, body.length ? body : undefined, 30_000);
    return {
      status: answer.status,
      headers: { ...withoutGatewayHeaders(answer.headers), 'x-knox-destination-status': String(answer.status) },
      raw: answer.body,
    };
  } catch (e) {
    throw new ApiError(502, 'upstream_unreachable', `Destination could not be reached: ${e instanceof Error ? e.message : String(e)}`);
  }
}
