/** AI gateway types: capability tokens (see ../ai-gateway.ts for the conventions). */
import type { JsonObject } from '../../../common-types.js';

export type AIGatewayTokenKind = 'agent' | 'read' | 'tool' | 'oneshot' | (string & {});

export interface MintTokenInput {
  name?: string;
  kind?: AIGatewayTokenKind;
  dpop_required?: boolean;
  /** base64url SHA-256 JWK thumbprint. */
  dpop_jkt?: string;
  /** Default 30 days, clamped to [60 s, 90 d]. */
  expires_in_seconds?: number;
}

/** Every member may be absent. `token` is the plaintext, shown ONCE. */
export interface MintTokenResponse {
  id?: string;
  name?: string | null;
  kind?: AIGatewayTokenKind;
  prefix?: string;
  token?: string;
  dpop_required?: boolean;
  expires_at?: string | null;
}

/** A token row; never carries the plaintext `token`. */
export interface AIGatewayTokenListItem {
  id: string;
  name: string | null;
  kind: AIGatewayTokenKind;
  prefix: string;
  dpop_required: boolean;
  scope_jsonb?: JsonObject;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at?: string | null;
  created_at: string;
  /** On gateway-level listings; null for gateway-level tokens. */
  agent_id?: string | null;
}

export interface AIGatewayTokenRevokeResult {
  id: string;
  /** Always true in practice. */
  revoked: boolean;
}
