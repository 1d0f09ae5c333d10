/**
 * Result types shared by several resources (contract resources §21.1). Every response type
 * declares the known fields; objects are returned exactly as parsed, so fields a newer
 * server adds are still there at runtime.
 */

/** A free-form JSON object (`object` in the contract). */
export type JsonObject = { [key: string]: unknown };

/** Any JSON value (`any` in the contract): the server decides its shape. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** `{deleted: true}` of most deletes. */
export interface DeleteResult {
  deleted: boolean;
}

/** Deletes whose official sources disagree between `true` and the deleted name (vaults, route actions). */
export interface DeleteResultLoose {
  deleted: boolean | string;
}

/** `{deleted: "<name>"}` of dyn-db connection and role deletes. */
export interface NameDeleteResult {
  deleted: string;
}

/** `{revoked: true}` of revoke-is-delete endpoints (api keys, agents, oauth clients). */
export interface RevokeResult {
  revoked: boolean;
}
