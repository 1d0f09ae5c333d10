import { ApiError } from '../../../errors.js';
import { ok } from '../../../reply.js';
import type { HandlerContext, RouteRegistration } from '../../../router.js';
import { found } from '../patch.js';
import { aiStore } from './store.js';

/**
 * Usage (resources.md §16.7). The emulator runs no AI traffic, so every counter is zero —
 * the shapes and parameter rules are what it reproduces.
 */

const PERIODS: Record<string, number> = { '7d': 7, '30d': 30, '90d': 90 };
const GROUPS = ['user', 'team', 'agent', 'model', 'provider'];

function periodDays(ctx: HandlerContext): number {
  const period = ctx.query.get('period') ?? '7d';
  const days = PERIODS[period];
  if (days === undefined) throw ApiError.badRequest('period must be one of: 7d, 30d, 90d', 'invalid_parameter');
  const agentId = ctx.query.get('agent_id');
  if (agentId !== null) found(aiStore(ctx).agents, agentId, 'Agent');
  return days;
}

const ZERO = { requests: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, unpriced_requests: 0 };

export const usageRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/ai-gateway/usage', handler: (ctx) => ok(ctx, { period_days: periodDays(ctx), by_model: [], totals: { ...ZERO } }) },
  {
    method: 'GET',
    path: '/v1/ai-gateway/usage/export',
    handler: (ctx) => {
      const groupBy = ctx.query.get('group_by');
      if (groupBy === null || (!GROUPS.includes(groupBy) && !/^tag:.+/.test(groupBy))) {
        throw ApiError.badRequest('group_by is required: user, team, agent, model, provider or tag:<key>', 'invalid_parameter');
      }
      const format = ctx.query.get('format');
      if (format !== null && format !== 'json') throw ApiError.badRequest('format must be json (csv is served to the dashboard only)', 'invalid_parameter');
      return ok(ctx, { group_by: groupBy, period_days: periodDays(ctx), rows: [] });
    },
  },
];
