/** Input and response types of `client.auditLogs` (contract resources §9, §21.8). */
import type { JsonObject } from './common-types.js';

export interface ListAuditLogsParams {
  page?: number;
  per_page?: number;
  /** Exact action, e.g. `secret.created`. */
  action?: string;
  /** Exact resource type. */
  resource_type?: string;
}

export interface AuditLogEventsParams {
  /** Opaque; omit to start. */
  cursor?: string;
  limit?: number;
  /** Exact action. */
  action?: string;
  /** A whole family, e.g. `ai_gateway.` (includes actions added later). */
  action_prefix?: string;
  resource_type?: string;
}

export interface AuditLogEntry {
  id: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  /** Always sanitised server-side; `{}` when `details_redacted`. */
  details: JsonObject;
  ip_address: string | null;
  created_at: string;
  details_redacted?: boolean;
}
