/**
 * Credential sources (contract auth §1.2). Placeholder declarations so the client can
 * compile against them; the auth implementation owns this file.
 */
export type Bootstrap = unknown;
