import type { HandlerContext } from '../../../router.js';

/** In-memory AI-gateway state of one emulated tenant (resources.md §16). Rows are wire-shaped. */

export type Row = Record<string, unknown> & { id: string; created_at: string };

export interface TokenRow extends Row {
  /** Never returned by a list; only the mint answer carries it. */
  token: string;
  gateway_id: string | null;
  agent_id: string | null;
  mcp_server_id: string | null;
  revoked_at: string | null;
}

export interface AIGatewayStore {
  gateways: Map<string, Row>;
  agents: Map<string, Row>;
  mcpServers: Map<string, Row>;
  tools: Map<string, Row>;
  grants: Map<string, Row & { mcp_server_id: string }>;
  tokens: Map<string, TokenRow>;
  firewallPolicies: Map<string, Row>;
  piiPolicies: Map<string, Row>;
  recognizers: Map<string, Row>;
}

export function aiStore(ctx: HandlerContext): AIGatewayStore {
  return ctx.state.store<AIGatewayStore>('ext:ai-gateway', () => ({
    gateways: new Map(),
    agents: new Map(),
    mcpServers: new Map(),
    tools: new Map(),
    grants: new Map(),
    tokens: new Map(),
    firewallPolicies: new Map(),
    piiPolicies: new Map(),
    recognizers: new Map(),
  }));
}

/** Archived rows are kept (soft delete) but no longer listed. */
export const live = (row: Row) => row['status'] !== 'archived';

export const tenantHost = (ctx: HandlerContext) => `https://${ctx.state.account.slug}.knoxcall.com`;
