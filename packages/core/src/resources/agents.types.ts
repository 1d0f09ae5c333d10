/** Input and response types of `client.agents` (contract resources §10, §21.8). */

export type AgentStatus = 'active' | 'revoked' | (string & {});

/** `agents.create` input (named apart from the AI gateway's `CreateAgentInput`). */
export interface AgentCreateInput {
  name: string;
}

export interface Agent {
  id: string;
  name: string;
  agent_id: string;
  status: AgentStatus;
  require_verified_build: boolean;
  last_seen_at: string | null;
  last_session_issued_at: string | null;
  created_at: string;
  has_tamper_events: boolean;
}

/** Python `AgentCreateResult`. */
export interface CreateAgentResponse {
  id: string;
  name: string;
  agent_id: string;
  status: AgentStatus;
  require_verified_build: boolean;
  created_at: string;
  /** Shown once. */
  agent_secret: string;
}

/** Python `TamperEvent`. */
export interface AgentTamperEvent {
  id: string;
  version_reported: string | null;
  build_sig_reported: string | null;
  src_ip: string | null;
  action_taken: string | null;
  detected_at: string;
}
