import { ApiError } from '../errors.js';
import { newId, opaqueToken } from '../ids.js';
import { omit } from '../omit.js';
import { ok } from '../reply.js';
import type { HandlerContext, RouteRegistration } from '../router.js';
import { validate } from '../validate.js';

/** `agents` (resources.md §10): `agent_secret` once, create meta `{secret_shown_once: true}` without request_id. */

interface AgentRow {
  id: string;
  name: string;
  agent_id: string;
  status: 'active' | 'revoked';
  require_verified_build: boolean;
  last_seen_at: string | null;
  last_session_issued_at: string | null;
  created_at: string;
  has_tamper_events: boolean;
}

const agents = (ctx: HandlerContext) => ctx.state.store('agents', () => new Map<string, AgentRow>());

function agentOr404(ctx: HandlerContext): AgentRow {
  const ref = ctx.params['id'] ?? '';
  const row = agents(ctx).get(ref) ?? [...agents(ctx).values()].find((a) => a.agent_id === ref);
  if (!row) throw ApiError.notFound('Agent');
  return row;
}

export const agentRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/agents', handler: (ctx) => ok(ctx, [...agents(ctx).values()]) },
  {
    method: 'POST',
    path: '/v1/agents',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const name = v.string('name', { required: true });
      v.done();
      const row: AgentRow = {
        id: newId(),
        name: name!,
        agent_id: opaqueToken('agt_', 8),
        status: 'active',
        require_verified_build: false,
        last_seen_at: null,
        last_session_issued_at: null,
        created_at: ctx.nowIso(),
        has_tamper_events: false,
      };
      agents(ctx).set(row.id, row);
      ctx.state.audit('agent.created', 'agent', row.id, { name: row.name });
      const created = omit(row, 'has_tamper_events', 'last_seen_at', 'last_session_issued_at');
      return { status: 201, body: { data: { ...created, agent_secret: opaqueToken('ags_', 24) }, meta: { secret_shown_once: true } } };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/agents/:id',
    handler: (ctx) => {
      const row = agentOr404(ctx);
      row.status = 'revoked';
      ctx.state.audit('agent.revoked', 'agent', row.id);
      return ok(ctx, { revoked: true });
    },
  },
  {
    method: 'GET',
    path: '/v1/agents/:id/tamper-events',
    handler: (ctx) => {
      agentOr404(ctx);
      // The emulator never observes agent binaries, so there are no tamper events to report.
      return ok(ctx, []);
    },
  },
];
