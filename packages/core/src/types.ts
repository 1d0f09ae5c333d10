/**
 * `@knoxcall/core/types` — every public type of the client, with no runtime code, for
 * code that only needs to name them (e.g. shared type packages, d.ts-only consumers).
 */
export type * from './public-api.js';
