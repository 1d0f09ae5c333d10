import { KnoxCallError } from '../errors.js';
import { type Endpoints, fields, NO_BODY, path, type RequestOptions } from '../resources/define/index.js';
import { type ManagementRequestOptions, NOT_MODIFIED } from '../management-plane/management-request.js';
import { unwrap } from '../transport/pagination.js';
import { VERSION } from '../version.js';
import { manifestEtag } from './manifest-etag.js';
import type {
  EgressObservation,
  EgressObservationsReport,
  EscrowWrapCredentialInput,
  EscrowWrapCredentialResponse,
  GatewayUrlInput,
  GatewayUrlResponse,
  InterceptManifest,
  InterceptManifestOptions,
  ReportEgressObservationsOptions,
  RevokeGatewayTokenResult,
  WrapGatewayToken,
} from './types.js';

/** The server takes at most this many observations per report. */
export const MAX_OBSERVATIONS_PER_REPORT = 200;

/** The `sdk` tag reports carry unless told otherwise. */
export const DEFAULT_SDK_TAG = `node/${VERSION}`;

/** The management half of `client.wrap` (the `/v1/wrap/*` endpoints). */
export interface WrapManagement {
  /** Escrows a provider key with KnoxCall, pinned to `hosts`. The value is never returned. */
  escrow(input: EscrowWrapCredentialInput, opts?: RequestOptions): Promise<EscrowWrapCredentialResponse>;
  /** A URL that reaches `host` with the escrowed credential injected, behind a revocable token. */
  gatewayUrl(input: GatewayUrlInput, opts?: RequestOptions): Promise<GatewayUrlResponse>;
  listGatewayTokens(opts?: RequestOptions): Promise<WrapGatewayToken[]>;
  revokeGatewayToken(id: string, opts?: RequestOptions): Promise<RevokeGatewayTokenResult>;
  /** The routes interceptors may use; `null` when `ifNoneMatch` names the current version (304). */
  interceptManifest(options?: InterceptManifestOptions): Promise<InterceptManifest | null>;
  /** Reports header NAMES seen on traffic that bypassed KnoxCall (at most 200 per call). */
  reportEgressObservations(observations: EgressObservation[], options?: ReportEgressObservationsOptions): Promise<EgressObservationsReport>;
}

type Requester = (opts: ManagementRequestOptions) => Promise<unknown>;

/** GET the manifest through `request` (a client's, or the root's for the shared store). */
export async function fetchInterceptManifest(request: Requester, options: InterceptManifestOptions = {}): Promise<InterceptManifest | null> {
  const opts: ManagementRequestOptions = { method: 'GET', path: '/v1/wrap/intercept-manifest' };
  if (options.environment !== undefined) opts.query = { environment: options.environment };
  if (options.signal !== undefined) opts.signal = options.signal;
  if (options.ifNoneMatch !== undefined) {
    opts.headers = { 'if-none-match': manifestEtag(options.ifNoneMatch) };
    opts.allowNotModified = true;
  }
  const body = await request(opts);
  if (body === NOT_MODIFIED) return null;
  return unwrap<InterceptManifest>(body);
}

export function createWrapManagement(api: Endpoints, request: Requester): WrapManagement {
  return {
    escrow: (input, opts) => api.mutate('POST', '/v1/wrap/credentials', fields(input), opts),
    gatewayUrl: (input, opts) =>
      api.mutate(
        'POST',
        '/v1/wrap/tokens',
        fields({ secret: input.secret, host: input.host, ttl_seconds: input.ttlSeconds, label: input.label, style: input.style }),
        opts,
      ),
    listGatewayTokens: async (opts) => (await api.getOne<{ tokens?: WrapGatewayToken[] }>('/v1/wrap/tokens', undefined, opts)).tokens ?? [],
    revokeGatewayToken: (id, opts) => api.mutate('DELETE', path`/v1/wrap/tokens/${id}`, NO_BODY, opts),
    interceptManifest: (options) => fetchInterceptManifest(request, options),
    reportEgressObservations: async (observations, options = {}) => {
      if (!Array.isArray(observations) || observations.length > MAX_OBSERVATIONS_PER_REPORT) {
        throw new KnoxCallError(`reportEgressObservations takes an array of at most ${MAX_OBSERVATIONS_PER_REPORT} observations; split larger batches`);
      }
      const body = { sdk: options.sdk ?? DEFAULT_SDK_TAG, observations };
      return api.mutate('POST', '/v1/wrap/egress-observations', body, options.signal ? { signal: options.signal } : undefined);
    },
  };
}
