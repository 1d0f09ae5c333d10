/** AI gateway types: mCP servers, tools, grants (see ../ai-gateway.ts for the conventions). */
import type { JsonObject } from '../../../common-types.js';
import type { GuardrailWebhookFailureAction, GuardrailWebhookMode } from './shared-settings.js';

export type McpTransport = 'streamable_http' | 'sse' | (string & {});
export type McpServerType = 'upstream' | 'collection' | (string & {});
export type McpServerStatus = 'active' | 'paused' | (string & {});
export type McpGrantStatus = 'active' | 'revoked' | (string & {});

/** Policy and guardrail fields of an MCP server: as read, and as sent by create and update. */
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

export interface AIMcpServer extends McpServerPolicyFields {
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
