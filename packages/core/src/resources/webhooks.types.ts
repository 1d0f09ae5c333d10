/** Input and response types of the `client.webhooks` management methods (contract resources §3, §21.4). */
import type { WebhookHmacFormat } from '../webhooks/verify-options.js';
import type { JsonObject } from './common-types.js';

export type WebhookHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | (string & {});
export type WebhookAuthType = 'none' | 'bearer' | 'hmac' | 'basic' | 'header' | (string & {});

export interface UpdateWebhookInput {
  name?: string;
  url?: string;
  /** Event names (`webhooks.md` §8; the list is open). */
  event_types?: string[];
  description?: string | null;
  method?: WebhookHttpMethod;
  auth_type?: WebhookAuthType;
  /** Write-only: never echoed by `get`. */
  auth_config?: JsonObject;
  /** Write-only: never echoed by `get`. */
  request_headers?: Record<string, string>;
  /** Sent exactly as given (the official SDKs disagree between a string and a list). */
  route_filter?: string | string[] | null;
  include_request_body?: boolean;
  include_response_body?: boolean;
  include_headers?: boolean;
  timeout_seconds?: number;
  retry_on_failure?: boolean;
  max_retries?: number;
  enabled?: boolean;
  /** Sign with a crypto-service key instead of a generated `secret_key`. */
  hmac_key_id?: string | null;
  hmac_format?: WebhookHmacFormat | (string & {});
  /** The header for `hmac_format: "custom"`. */
  hmac_header_name?: string | null;
}

export interface CreateWebhookInput extends UpdateWebhookInput {
  name: string;
  url: string;
  event_types: string[];
}

/** List row. */
export interface Webhook {
  id: string;
  name: string;
  description: string | null;
  url: string;
  method: WebhookHttpMethod;
  event_types: string[];
  auth_type: WebhookAuthType;
  enabled: boolean;
  last_triggered_at: string | null;
  trigger_count: number;
  success_count: number;
  failure_count: number;
  created_at: string;
}

/** `get` result — deliberately without `request_headers`, `auth_config`, `secret_key`. */
export interface WebhookDetail {
  id: string;
  name: string;
  description: string | null;
  url: string;
  method: WebhookHttpMethod;
  event_types: string[];
  auth_type: WebhookAuthType;
  route_filter: string[] | null;
  include_request_body: boolean;
  include_response_body: boolean;
  include_headers: boolean;
  timeout_seconds: number;
  retry_on_failure: boolean;
  max_retries: number;
  enabled: boolean;
  last_triggered_at: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  trigger_count: number;
  success_count: number;
  failure_count: number;
  created_at: string;
}

/** Python `WebhookCreateResult`: the only place `secret_key` appears. */
export interface CreateWebhookResponse {
  id: string;
  name: string;
  description: string | null;
  url: string;
  method: WebhookHttpMethod;
  event_types: string[];
  auth_type: WebhookAuthType;
  enabled: boolean;
  hmac_key_id: string | null;
  hmac_format: string | null;
  hmac_header_name: string | null;
  created_at: string;
  /** The HMAC signing secret, shown once. */
  secret_key: string;
}

export interface UpdateWebhookResponse {
  id: string;
  name: string;
  description: string | null;
  url: string;
  method: WebhookHttpMethod;
  event_types: string[];
  auth_type: WebhookAuthType;
  enabled: boolean;
  created_at: string;
}

export interface WebhookLogEntry {
  id: string;
  http_method: string | null;
  target_url: string | null;
  /** Always null today. */
  source_ip: string | null;
  response_status: number | null;
  response_time_ms: number | null;
  executed_at: string;
  success: boolean;
  error_message: string | null;
}

/** Python `WebhookEventTypeInfo`. */
export interface WebhookEventType {
  value: string;
  label: string;
  description: string;
}

export interface WebhookEventTypeList {
  event_types: WebhookEventType[];
}

export interface WebhookHmacFormatInfo {
  value: WebhookHmacFormat | (string & {});
  label: string;
  description: string;
  headers: string[];
  requires_header_name: boolean;
}

export interface WebhookHmacFormatList {
  hmac_formats: WebhookHmacFormatInfo[];
}

export interface WebhookTestResult {
  success: boolean;
  response_time_ms: number;
  status?: number;
  error?: string;
}
