import type { RouteRegistration } from '../../router.js';
import { aiGatewayRoutes } from './ai-gateway/index.js';
import { opportunityRoutes } from './opportunities.js';
import { requestLogRoutes } from './request-logs.js';
import { roleRoutes } from './roles.js';
import { tokenExchangeRoutes } from './token-exchange.js';
import { workflowRoutes } from './workflows.js';
import { wrapRoutes } from './wrap/routes.js';

/**
 * The extended tier (resources.md §0): aiGateway, workflows, logs, opportunities, roles, and
 * wrap, and the tenant data-plane token exchange behind the standalone `exchangeToken`.
 */
export const extendedRoutes: RouteRegistration[] = [
  ...roleRoutes,
  ...requestLogRoutes,
  ...workflowRoutes,
  ...opportunityRoutes,
  ...aiGatewayRoutes,
  ...tokenExchangeRoutes,
  ...wrapRoutes,
];

export { tenantRoles, type RoleRow } from './roles.js';
