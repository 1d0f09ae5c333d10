/**
 * What a contract app needs at run time, with nothing from node: or vitest, so an app
 * bundled for workerd, Deno or Bun can import it (the package root also holds the cases and
 * the control server).
 */
export { CONTRACT_PATHS } from '../types.js';
export { CONTROL_PATHS, type RemoteAppConfig, type ReplayStoreInterface, resolveRequestHeaders } from './protocol.js';
export { type WrapFetchOutcome, wrapFetchProbe } from './wrap-fetch-probe.js';
