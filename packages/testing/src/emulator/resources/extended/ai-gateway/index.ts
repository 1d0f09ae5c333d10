import type { RouteRegistration } from '../../../router.js';
import { gatewayAgentRoutes } from './gateways-agents.js';
import { mcpRoutes } from './mcp.js';
import { policyRoutes } from './policies.js';
import { tokenRoutes } from './tokens.js';
import { usageRoutes } from './usage.js';

/** Every `/v1/ai-gateway` endpoint (resources.md §16). */
export const aiGatewayRoutes: RouteRegistration[] = [...gatewayAgentRoutes, ...mcpRoutes, ...tokenRoutes, ...policyRoutes, ...usageRoutes];
