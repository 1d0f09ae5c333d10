/**
 * The extended tier of the catalogue (contract resources §0): `aiGateway`, `workflows`,
 * `logs`, `opportunities`, `roles`. `createResources` spreads this into the client.
 */
import type { ResourceRequester } from '../../transport/resource-request.js';
import { bindEndpoints } from '../define/index.js';
import { type AIGatewayResource, createAIGateway } from './ai-gateway.js';
import { createLogs, type LogsResource } from './logs.js';
import { createOpportunities, type OpportunitiesResource } from './opportunities.js';
import { createRoles, type RolesResource } from './roles.js';
import { createWorkflows, type WorkflowsResource } from './workflows.js';

export type { AIGatewayResource } from './ai-gateway.js';
export type { LogsResource } from './logs.js';
export type { OpportunitiesResource } from './opportunities.js';
export type { RolesResource } from './roles.js';
export type { WorkflowsResource } from './workflows.js';
export type * from './types/index.js';
export { aiGatewayErrorFrom, isAIGatewayErrorBody } from './ai-gateway-errors.js';
export type { AIGatewayErrorBody, AIGatewayErrorCode, AIGatewayErrorHeaders } from './ai-gateway-errors.js';

export interface ExtendedResources {
  aiGateway: AIGatewayResource;
  workflows: WorkflowsResource;
  logs: LogsResource;
  opportunities: OpportunitiesResource;
  roles: RolesResource;
}

/** @internal Builds the extended resources over the client's requester. */
export function createExtendedResources(requester: ResourceRequester): ExtendedResources {
  const api = bindEndpoints(requester);
  return {
    aiGateway: createAIGateway(api),
    workflows: createWorkflows(api),
    logs: createLogs(api),
    opportunities: createOpportunities(api),
    roles: createRoles(api),
  };
}
