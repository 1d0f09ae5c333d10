import { ok } from '../reply.js';
import type { RouteRegistration } from '../router.js';

/** `account` (resources.md §8): the tenant record (tenant discovery reads `data.slug`) and usage. */
export const accountRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/account', handler: (ctx) => ok(ctx, ctx.state.account) },
  {
    method: 'GET',
    path: '/v1/account/usage',
    handler: (ctx) => {
      const now = new Date(ctx.now());
      const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
      const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - 1);
      let calls = 0;
      for (const r of ctx.state.routes.values()) calls += r.logs.length;
      const s = ctx.state;
      return ok(ctx, {
        billing_period: { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, start: start.toISOString(), end: end.toISOString() },
        api_calls: { used: calls, limit: 100_000, percentage: Math.round((calls / 100_000) * 10000) / 100 },
        resources: {
          routes: { used: s.routes.size, limit: 100 },
          secrets: { used: s.secrets.size, limit: 100 },
          clients: { used: ctx.state.store('clients', () => new Map<string, unknown>()).size, limit: 100 },
          environments: { used: s.environments.size, limit: null },
        },
        plan: s.account.subscription_plan,
        status: s.account.subscription_status,
      });
    },
  },
];
