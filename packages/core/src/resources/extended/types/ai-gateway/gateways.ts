/** AI gateway types: gateways (see ../ai-gateway.ts for the conventions). */
import type { AIGatewayStatus } from './shared-settings.js';

/** Gateways accept only `block` / `warn`; agents also `fallback`. */
export type GatewayBudgetOverageAction = 'block' | 'warn' | (string & {});

export interface AIGateway {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  budget_daily_usd: number | null;
  budget_monthly_usd: number | null;
  budget_overage_action: GatewayBudgetOverageAction;
  created_at: string;
  updated_at: string;
  // The official SDKs disagree on these, so each may be absent.
  tenant_id?: string;
  status?: AIGatewayStatus;
  paused_reason?: string | null;
  created_by?: string | null;
  sandbox?: boolean;
}

export interface CreateGatewayInput {
  name: string;
  slug: string;
  description?: string;
  budget_daily_usd?: number;
  budget_monthly_usd?: number;
  /** Server default `block`. */
  budget_overage_action?: GatewayBudgetOverageAction;
}

export interface UpdateGatewayInput {
  name?: string;
  description?: string | null;
  budget_daily_usd?: number | null;
  budget_monthly_usd?: number | null;
  budget_overage_action?: GatewayBudgetOverageAction;
}

/** Soft delete of a gateway, agent or MCP server: `status` is `archived`. */
export interface AIGatewayArchiveResult {
  id: string;
  status: 'archived' | 'deleted' | (string & {});
}
