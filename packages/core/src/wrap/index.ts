/** `client.wrap` and the routing utilities it is built from (public). */
export { DEFAULT_SDK_TAG, MAX_OBSERVATIONS_PER_REPORT, type WrapManagement } from './management.js';
export { manifestEtag } from './manifest-etag.js';
export { interceptKillSwitch } from './kill-switch.js';
export { DEFAULT_ROUTE_AROUND, type RouteAroundRule } from './route-around.js';
export {
  type InterceptDecision,
  type InterceptReason,
  type ResolveInterceptInput,
  rebaseInterceptPath,
  resolveIntercept,
} from './resolve-intercept.js';
export {
  InterceptManifestStore,
  type InterceptManifestStoreOptions,
  type ManifestRefreshInfo,
  type ManifestStoreListener,
} from './manifest-store.js';
export type { WrapCredential, WrapFetchOptions, WrappedFetch, WrapRequestInfo } from './options.js';
export type * from './types.js';
export type { Wrap } from './wrap.js';
export type { InterceptHandle, InterceptOptions, InterceptStack } from './intercept.js';
export type { HostSettings } from './wrap-router.js';
export {
  CREDENTIAL_HEADER_ALLOWLIST,
  CREDENTIAL_HEADER_SUFFIXES,
  credentialHeaderName,
  isCredentialHeaderName,
} from './egress/credential-headers.js';
export {
  firstSegmentLooksLikeCredential,
  observationFirstSegment,
  observationFor,
  observeUncoveredDisabledByEnv,
} from './egress/observation.js';
export { EgressObservationReporter, type EgressObservationReporterOptions } from './egress/reporter.js';
