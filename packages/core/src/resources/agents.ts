/** `client.agents` (contract resources §10). */
import type { Agent, AgentTamperEvent, AgentCreateInput, CreateAgentResponse } from './agents.types.js';
import type { RevokeResult } from './common-types.js';
import { type Endpoints, fields, NO_BODY, path, type RequestOptions } from './define/index.js';

export interface AgentsResource {
  list(opts?: RequestOptions): Promise<Agent[]>;
  /** Needs an explicit `agent:create` grant; the result carries the one-time `agent_secret`. */
  create(input: AgentCreateInput, opts?: RequestOptions): Promise<CreateAgentResponse>;
  /** The delete. */
  revoke(id: string, opts?: RequestOptions): Promise<RevokeResult>;
  /** The most recent 50. */
  getTamperEvents(id: string, opts?: RequestOptions): Promise<AgentTamperEvent[]>;
}

export function createAgents(api: Endpoints): AgentsResource {
  return {
    list: (opts) => api.plainArray('/v1/agents', undefined, opts),
    // The contract's body is `name` only.
    create: (input, opts) => api.mutate('POST', '/v1/agents', fields({ name: input.name }), opts),
    revoke: (id, opts) => api.mutate('DELETE', path`/v1/agents/${id}`, NO_BODY, opts),
    getTamperEvents: (id, opts) => api.plainArray(path`/v1/agents/${id}/tamper-events`, undefined, opts),
  };
}
