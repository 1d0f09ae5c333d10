/** AI gateway types: agents (see ../ai-gateway.ts for the conventions). */
import type { JsonObject } from '../../../common-types.js';
import type { AIGatewayStatus, GuardrailWebhookFailureAction, GuardrailWebhookMode } from './shared-settings.js';

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
export type AgentBudgetOverageAction = 'block' | 'warn' | 'fallback' | (string & {});
export type PiiRequestMode = 'off' | 'tokenize' | (string & {});
export type PiiResponseMode = 'redact' | 'detokenize' | (string & {});
export type PiiStreamingMode = 'holdback' | 'buffer' | 'monitor' | (string & {});
export type AICacheMode = 'off' | 'exact' | 'semantic' | (string & {});
export type OutputValidationAction = 'block' | 'retry' | 'warn' | (string & {});
export type DataResidencyRegion = 'us' | 'eu' | 'uk' | 'ca' | 'au' | 'jp' | 'in' | (string & {});

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
