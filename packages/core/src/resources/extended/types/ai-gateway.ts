/**
 * AI gateway response and input types (contract resources §16, §21.13). Wire names stay
 * snake_case; enumerations are open so a new server value never breaks compilation; objects
 * are returned exactly as parsed, so members the server adds later are still there at runtime.
 */

import type { JsonObject } from '../../common-types.js';

/** Free string from the server's provider catalogue; do not validate client-side. */
export type AIProviderId =
  | 'anthropic'
  | 'openai'
  | 'gemini'
  | 'cohere'
  | 'azure-openai'
  | 'ollama'
  | 'groq'
  | 'together'
  | 'mistral'
  | 'deepseek'
  | 'fireworks'
  | 'xai'
  | 'bedrock'
  | 'openai-compatible'
  | (string & {});

/** Gateways accept only `block` / `warn`; agents also `fallback`. */
export type GatewayBudgetOverageAction = 'block' | 'warn' | (string & {});
export type AgentBudgetOverageAction = 'block' | 'warn' | 'fallback' | (string & {});
export type AIGatewayStatus = 'active' | 'paused' | 'archived' | (string & {});
export type PiiRequestMode = 'off' | 'tokenize' | (string & {});
export type PiiResponseMode = 'redact' | 'detokenize' | (string & {});
export type PiiStreamingMode = 'holdback' | 'buffer' | 'monitor' | (string & {});
export type AICacheMode = 'off' | 'exact' | 'semantic' | (string & {});
export type OutputValidationAction = 'block' | 'retry' | 'warn' | (string & {});
export type DataResidencyRegion = 'us' | 'eu' | 'uk' | 'ca' | 'au' | 'jp' | 'in' | (string & {});
/** `off` when unset — never a boolean. */
export type GuardrailWebhookMode = 'off' | 'request' | 'response' | 'both' | (string & {});
export type GuardrailWebhookFailureAction = 'fail_open' | 'fail_closed' | (string & {});
export type McpTransport = 'streamable_http' | 'sse' | (string & {});
export type McpServerType = 'upstream' | 'collection' | (string & {});
export type McpServerStatus = 'active' | 'paused' | (string & {});
export type McpGrantStatus = 'active' | 'revoked' | (string & {});
export type AIGatewayTokenKind = 'agent' | 'read' | 'tool' | 'oneshot' | (string & {});
export type FirewallAction = 'block' | 'warn' | 'tag' | (string & {});
export type FirewallRuleKind = 'regex' | 'keyword' | (string & {});
export type PiiAction = 'redact' | 'tokenize' | 'warn' | 'whitelist' | (string & {});
export type PiiRecognizerKind =
  | 'regex'
  | 'aho_corasick'
  | 'presidio_pattern'
  | 'presidio_ner'
  | 'presidio_custom'
  | (string & {});
export type AIGatewayUsagePeriod = '7d' | '30d' | '90d' | (string & {});
/** `user` / `team` / `agent` / `model` / `provider`, or `tag:<key>`. */
export type AIGatewayUsageGroupBy = 'user' | 'team' | 'agent' | 'model' | 'provider' | `tag:${string}` | (string & {});

// ── Gateways ────────────────────────────────────────────────────────────────────────────

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

// ── Agents ──────────────────────────────────────────────────────────────────────────────

/** Fields both create and update accept (the server's updatable agent columns). */
export interface AgentWritableFields {
  description?: string | null;
  primary_route_id?: string | null;
  fallback_route_ids?: string[];
  model_allowlist?: string[] | null;
  model_denylist?: string[] | null;
  default_model?: string | null;
  model_rewrite?: Record<string, string>;
  budget_daily_usd?: number | null;
  budget_monthly_usd?: number | null;
  budget_per_call_max_tokens?: number | null;
  budget_overage_action?: AgentBudgetOverageAction;
  fallback_agent_id?: string | null;
  pii_redact_policy_id?: string | null;
  /** Legacy alias of `pii_response_mode`; contradicting it is a 400. */
  pii_detokenize_response?: boolean;
  pii_request_mode?: PiiRequestMode;
  pii_response_mode?: PiiResponseMode;
  pii_streaming_holdback_chars?: number;
  pii_streaming_mode?: PiiStreamingMode;
  tags?: Record<string, string>;
  cache_mode?: AICacheMode;
  cache_ttl_seconds?: number;
  cache_similarity_threshold?: number;
  cache_embedding_model?: string | null;
  streaming_enabled?: boolean;
  firewall_policy_id?: string | null;
  tool_allowlist?: string[];
  output_schema?: JsonObject | null;
  output_validation_action?: OutputValidationAction;
  data_residency_region?: DataResidencyRegion | null;
  cmek_key_id?: string | null;
  routing_policy?: JsonObject;
  guardrail_webhook_url?: string | null;
  guardrail_webhook_secret_id?: string | null;
  guardrail_webhook_mode?: GuardrailWebhookMode;
  guardrail_webhook_timeout_ms?: number;
  guardrail_webhook_failure_action?: GuardrailWebhookFailureAction;
}

export interface CreateAgentInput extends AgentWritableFields {
  name: string;
  slug: string;
  /** Give `provider` (+ `upstream_secret_id`) OR `primary_route_id`, never both. Create-only. */
  provider?: AIProviderId;
  /** Create-only. */
  upstream_secret_id?: string;
  /** Provider-specific upstream description, passed through verbatim. Create-only. */
  upstream?: JsonObject;
}

/** Every updatable column; `provider`, `upstream_secret_id` and `upstream` are create-only. */
export interface UpdateAgentInput extends AgentWritableFields {
  name?: string;
  /** Renames the agent and MOVES its data-plane URL. */
  slug?: string;
}

export interface AIAgent {
  id: string;
  tenant_id: string;
  gateway_id: string;
  name: string;
  slug: string;
  description: string | null;
  primary_route_id: string | null;
  fallback_route_ids: string[];
  model_allowlist: string[] | null;
  model_denylist: string[] | null;
  default_model: string | null;
  model_rewrite: Record<string, string>;
  budget_daily_usd: number | null;
  budget_monthly_usd: number | null;
  budget_per_call_max_tokens: number | null;
  budget_overage_action: AgentBudgetOverageAction;
  fallback_agent_id: string | null;
  pii_redact_policy_id: string | null;
  /** Read-only mirror of `pii_response_mode`. */
  pii_detokenize_response: boolean;
  pii_request_mode: PiiRequestMode;
  pii_response_mode: PiiResponseMode;
  pii_streaming_holdback_chars: number;
  pii_streaming_mode: PiiStreamingMode;
  tags: Record<string, string>;
  /** Null renders as "custom" (the agent is wired to a route). */
  provider: AIProviderId | null;
  cache_mode: AICacheMode;
  cache_ttl_seconds: number;
  /** The wire value may be a decimal STRING such as `"0.950"`. */
  cache_similarity_threshold: number | string | null;
  cache_embedding_model: string | null;
  streaming_enabled: boolean;
  firewall_policy_id: string | null;
  tool_allowlist: string[];
  output_schema: JsonObject | null;
  output_validation_action: OutputValidationAction;
  data_residency_region: DataResidencyRegion | null;
  cmek_key_id: string | null;
  status: AIGatewayStatus;
  paused_reason: string | null;
  routing_policy: JsonObject;
  guardrail_webhook_url: string | null;
  guardrail_webhook_secret_id: string | null;
  guardrail_webhook_mode: GuardrailWebhookMode;
  guardrail_webhook_timeout_ms: number;
  guardrail_webhook_failure_action: GuardrailWebhookFailureAction;
  /** `https://{tenant}.knoxcall.com/v1/ai/{slug}`; `""` when the tenant is unknown. */
  agent_url: string;
  created_at: string;
  updated_at: string;
  created_by: string | null;
}

// ── MCP servers, tools, grants ──────────────────────────────────────────────────────────

/** Policy and guardrail fields shared by MCP server create and update. */
export interface McpServerPolicyFields {
  pii_redact_policy_id?: string | null;
  firewall_policy_id?: string | null;
  guardrail_webhook_url?: string | null;
  guardrail_webhook_secret_id?: string | null;
  guardrail_webhook_mode?: GuardrailWebhookMode;
  guardrail_webhook_timeout_ms?: number;
  guardrail_webhook_failure_action?: GuardrailWebhookFailureAction;
}

/** e.g. `{headers: {Authorization: 'Bearer {{secret_id:<uuid>}}'}, environment_name?}`. */
export interface McpServerAuth {
  /** Every value must reference a secret; literal credentials are refused (422). */
  headers?: Record<string, string>;
  environment_name?: string;
  [key: string]: unknown;
}

export interface CreateMcpServerInput extends McpServerPolicyFields {
  name: string;
  slug: string;
  /** Public `https://` only. */
  upstream_url: string;
  description?: string;
  /** Default `streamable_http`. */
  transport?: McpTransport;
  /** EMPTY (the default) advertises NOTHING; `[]` is sent as given. */
  allowed_tools?: string[];
  pii_inspection?: boolean;
  auth?: McpServerAuth;
}

export interface UpdateMcpServerInput extends McpServerPolicyFields {
  name?: string;
  description?: string | null;
  upstream_url?: string;
  transport?: McpTransport;
  allowed_tools?: string[];
  pii_inspection?: boolean;
  auth?: McpServerAuth;
  status?: McpServerStatus;
}

export interface AIMcpServer {
  id: string;
  gateway_id: string | null;
  name: string;
  slug: string | null;
  description: string | null;
  server_type: McpServerType;
  transport: McpTransport | null;
  upstream_url: string | null;
  allowed_tools: string[];
  pii_inspection: boolean;
  /** Secret references only. */
  auth: JsonObject;
  pii_redact_policy_id?: string | null;
  firewall_policy_id?: string | null;
  guardrail_webhook_url?: string | null;
  guardrail_webhook_secret_id?: string | null;
  guardrail_webhook_mode?: GuardrailWebhookMode;
  guardrail_webhook_timeout_ms?: number;
  guardrail_webhook_failure_action?: GuardrailWebhookFailureAction;
  /** Read-only. */
  sandbox?: boolean;
  status: McpServerStatus;
  created_at: string;
  updated_at: string;
  /** Where an MCP client points (tenant data-plane host). */
  connect_url: string;
  /** RFC 8707 value (api host) a token must be bound to — intentionally not `connect_url`. */
  resource: string;
}

export interface UpsertMcpToolInput {
  tool_name: string;
  description?: string | null;
  input_schema?: JsonObject;
  enabled?: boolean;
}

export interface UpdateMcpToolInput {
  description?: string | null;
  input_schema?: JsonObject;
  enabled?: boolean;
}

export interface AIMcpTool {
  id: string;
  tenant_id?: string;
  mcp_server_id: string;
  tool_name: string;
  route_id: string | null;
  description: string | null;
  input_schema: JsonObject;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface AIGatewayMcpToolDeleteResult {
  id: string;
  deleted: boolean;
}

export interface AIMcpGrant {
  id: string;
  attributed_user_id: string;
  external_id: string;
  display_name?: string | null;
  scopes: string[];
  status: McpGrantStatus;
  created_at: string;
  last_refreshed_at?: string | null;
  last_used_at?: string | null;
  /** Nothing ever returns the refresh token itself. */
  has_refresh_token: boolean;
}

export interface AIMcpGrantRevokeResult {
  id: string;
  status: McpGrantStatus;
}

export interface AIMcpGrantRevokeAllResult {
  id: string;
  /** How many grants were revoked. */
  revoked: number;
}

// ── Capability tokens ───────────────────────────────────────────────────────────────────

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

// ── Firewall policies ───────────────────────────────────────────────────────────────────

export interface FirewallRule {
  name: string;
  kind: FirewallRuleKind;
  pattern: string;
  /** Only `i m s g y`; default `i`; ignored for `keyword`. */
  flags?: string;
}

export interface FirewallPolicy {
  id: string;
  tenant_id: string;
  name: string;
  version: number;
  heuristics: FirewallRule[];
  canary_enabled: boolean;
  vector_classifier_enabled: boolean;
  lakera_enabled: boolean;
  model_classifier_id: string | null;
  action: FirewallAction;
  created_at: string;
}

export interface CreateFirewallPolicyInput {
  /** Re-using a name creates version N+1. */
  name: string;
  heuristics?: FirewallRule[];
  canary_enabled?: boolean;
  action?: FirewallAction;
}

export interface UpdateFirewallPolicyInput {
  heuristics?: FirewallRule[];
  canary_enabled?: boolean;
  action?: FirewallAction;
}

export interface TestFirewallRulesInput {
  text: string;
  heuristics?: FirewallRule[];
}

export interface FirewallTestMatch {
  rule: string;
  /** `[start, end]` offsets into `text`. */
  span: [number, number];
  matched: string;
}

export interface FirewallTestSkip {
  rule: string;
  reason: string;
}

export interface FirewallTestResult {
  matched: boolean;
  matches: FirewallTestMatch[];
  skipped: FirewallTestSkip[];
}

export interface AIGatewayFirewallDeleteResult {
  id: string;
  deleted: true;
}

// ── PII policies and recognizers ────────────────────────────────────────────────────────

export interface PiiPolicy {
  id: string;
  tenant_id: string;
  name: string;
  version: number;
  /** Empty = every enabled recognizer the tenant owns (the WIDEST policy). */
  recognizer_ids: string[];
  default_action: PiiAction;
  description: string | null;
  created_at: string;
}

export interface CreatePiiPolicyInput {
  /** 2–64 characters: letters, digits, space, `_`, `-`; unique per tenant. */
  name: string;
  /** `[]` IS sent (and means every enabled recognizer). */
  recognizer_ids?: string[];
  default_action?: PiiAction;
  description?: string | null;
}

export interface UpdatePiiPolicyInput {
  /** Replaces, does not merge. */
  recognizer_ids?: string[];
  default_action?: PiiAction;
  description?: string | null;
}

export interface AIGatewayPiiDeleteResult {
  id: string;
  deleted: true;
}

export interface PiiRecognizer {
  id: string;
  tenant_id: string;
  name: string;
  kind: PiiRecognizerKind;
  pattern: string;
  context_words: string[];
  confidence: number;
  action: PiiAction;
  /** Token template, only for `tokenize`. */
  format: string | null;
  enabled: boolean;
  created_at: string;
}

export interface CreatePiiRecognizerInput {
  name: string;
  kind: PiiRecognizerKind;
  pattern: string;
  context_words?: string[];
  /** 0–1, default 0.85. */
  confidence?: number;
  action?: PiiAction;
  format?: string | null;
  enabled?: boolean;
}

export interface UpdatePiiRecognizerInput {
  name?: string;
  kind?: PiiRecognizerKind;
  pattern?: string;
  context_words?: string[];
  confidence?: number;
  action?: PiiAction;
  format?: string | null;
  /** `false` mutes a recognizer a policy still lists (deleting it would be a 409). */
  enabled?: boolean;
}

export interface TestPiiRecognizerInput {
  pattern: string;
  text: string;
  kind?: PiiRecognizerKind;
  action?: PiiAction;
  context_words?: string[];
  name?: string;
}

export interface PiiRecognizerTestMatch {
  /** `[start, end)` offsets into `text`. */
  span: [number, number];
  matched: string;
  replacement: string;
  entity_type: string;
}

export interface PiiRecognizerTestResult {
  matched: boolean;
  matches: PiiRecognizerTestMatch[];
}

// ── Usage ───────────────────────────────────────────────────────────────────────────────

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
