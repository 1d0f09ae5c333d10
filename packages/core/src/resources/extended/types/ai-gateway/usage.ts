/** AI gateway types: usage (see ../ai-gateway.ts for the conventions). */

export type AIGatewayUsagePeriod = '7d' | '30d' | '90d' | (string & {});
/** `user` / `team` / `agent` / `model` / `provider`, or `tag:<key>`. */
export type AIGatewayUsageGroupBy = 'user' | 'team' | 'agent' | 'model' | 'provider' | `tag:${string}` | (string & {});

export interface AIGatewayUsageParams {
  /** The server default is disputed (7d or 30d): send it when it matters. */
  period?: AIGatewayUsagePeriod;
  agent_id?: string;
}

export interface AIGatewayUsageExportParams extends AIGatewayUsageParams {
  group_by: AIGatewayUsageGroupBy;
}

export interface AIGatewayUsageTotals {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  unpriced_requests: number;
}

export interface AIGatewayUsageByModel extends AIGatewayUsageTotals {
  provider: string;
  model: string;
}

export interface AIGatewayUsage {
  period_days: number;
  by_model: AIGatewayUsageByModel[];
  totals: AIGatewayUsageTotals;
}

export interface AIGatewayUsageExportRow extends AIGatewayUsageTotals {
  group: string | null;
}

export interface AIGatewayUsageExport {
  group_by: AIGatewayUsageGroupBy;
  period_days: number;
  rows: AIGatewayUsageExportRow[];
}
