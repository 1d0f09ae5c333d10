/**
 * `client.aiGateway` (contract resources §16), paths under `/v1/ai-gateway`. Agents, MCP
 * servers, tokens and tool rows are created and listed under their parent but read,
 * updated and deleted on FLAT paths. Firewall and PII policies are tenant-scoped.
 */
import type { Page, PageParams } from '../../transport/pagination.js';
import { type Endpoints, fields, NO_BODY, path, type RequestOptions } from '../define/index.js';
import type {
  AIAgent,
  AIGateway,
  AIGatewayArchiveResult,
  AIGatewayFirewallDeleteResult,
  AIGatewayMcpToolDeleteResult,
  AIGatewayPiiDeleteResult,
  AIGatewayTokenListItem,
  AIGatewayTokenRevokeResult,
  AIGatewayUsage,
  AIGatewayUsageExport,
  AIGatewayUsageExportParams,
  AIGatewayUsageParams,
  AIMcpGrant,
  AIMcpGrantRevokeAllResult,
  AIMcpGrantRevokeResult,
  AIMcpServer,
  AIMcpTool,
  CreateAgentInput,
  CreateFirewallPolicyInput,
  CreateGatewayInput,
  CreateMcpServerInput,
  CreatePiiPolicyInput,
  CreatePiiRecognizerInput,
  FirewallPolicy,
  FirewallTestResult,
  MintTokenInput,
  MintTokenResponse,
  PiiPolicy,
  PiiRecognizer,
  PiiRecognizerTestResult,
  TestFirewallRulesInput,
  TestPiiRecognizerInput,
  UpdateAgentInput,
  UpdateFirewallPolicyInput,
  UpdateGatewayInput,
  UpdateMcpServerInput,
  UpdateMcpToolInput,
  UpdatePiiPolicyInput,
  UpdatePiiRecognizerInput,
  UpsertMcpToolInput,
} from './types/ai-gateway.js';

type Opts = RequestOptions;

export interface AIGatewayResource {
  // Gateways
  listGateways(params?: PageParams, opts?: Opts): Promise<Page<AIGateway>>;
  iterateGateways(params?: PageParams, opts?: Opts): AsyncIterableIterator<AIGateway>;
  createGateway(input: CreateGatewayInput, opts?: Opts): Promise<AIGateway>;
  getGateway(gatewayId: string, opts?: Opts): Promise<AIGateway>;
  updateGateway(gatewayId: string, input: UpdateGatewayInput, opts?: Opts): Promise<AIGateway>;
  /** Soft delete: `status` becomes `archived`. */
  deleteGateway(gatewayId: string, opts?: Opts): Promise<AIGatewayArchiveResult>;

  // Agents
  listAgents(gatewayId: string, params?: PageParams, opts?: Opts): Promise<Page<AIAgent>>;
  iterateAgents(gatewayId: string, params?: PageParams, opts?: Opts): AsyncIterableIterator<AIAgent>;
  /** Every given key is sent under its own name. */
  createAgent(gatewayId: string, input: CreateAgentInput, opts?: Opts): Promise<AIAgent>;
  getAgent(agentId: string, opts?: Opts): Promise<AIAgent>;
  /** A new `slug` renames the agent and moves its data-plane URL. */
  updateAgent(agentId: string, input: UpdateAgentInput, opts?: Opts): Promise<AIAgent>;
  deleteAgent(agentId: string, opts?: Opts): Promise<AIGatewayArchiveResult>;

  // MCP servers, tool rows, delegated-OAuth grants
  listMcpServers(gatewayId: string, params?: PageParams, opts?: Opts): Promise<Page<AIMcpServer>>;
  iterateMcpServers(gatewayId: string, params?: PageParams, opts?: Opts): AsyncIterableIterator<AIMcpServer>;
  /** `allowed_tools: []` (the default) advertises nothing. */
  createMcpServer(gatewayId: string, input: CreateMcpServerInput, opts?: Opts): Promise<AIMcpServer>;
  getMcpServer(serverId: string, opts?: Opts): Promise<AIMcpServer>;
  updateMcpServer(serverId: string, input: UpdateMcpServerInput, opts?: Opts): Promise<AIMcpServer>;
  deleteMcpServer(serverId: string, opts?: Opts): Promise<AIGatewayArchiveResult>;
  listMcpTools(serverId: string, params?: PageParams, opts?: Opts): Promise<Page<AIMcpTool>>;
  iterateMcpTools(serverId: string, params?: PageParams, opts?: Opts): AsyncIterableIterator<AIMcpTool>;
  /** Insert-or-update keyed by `tool_name`; tool rows are metadata and never widen access. */
  upsertMcpTool(serverId: string, input: UpsertMcpToolInput, opts?: Opts): Promise<AIMcpTool>;
  updateMcpTool(serverId: string, toolId: string, input: UpdateMcpToolInput, opts?: Opts): Promise<AIMcpTool>;
  deleteMcpTool(serverId: string, toolId: string, opts?: Opts): Promise<AIGatewayMcpToolDeleteResult>;
  listMcpGrants(serverId: string, params?: PageParams, opts?: Opts): Promise<Page<AIMcpGrant>>;
  iterateMcpGrants(serverId: string, params?: PageParams, opts?: Opts): AsyncIterableIterator<AIMcpGrant>;
  revokeMcpGrant(serverId: string, grantId: string, opts?: Opts): Promise<AIMcpGrantRevokeResult>;
  revokeAllMcpGrants(serverId: string, opts?: Opts): Promise<AIMcpGrantRevokeAllResult>;

  // Capability tokens
  /** Rows never carry the plaintext token. */
  listTokens(agentId: string, params?: PageParams, opts?: Opts): Promise<Page<AIGatewayTokenListItem>>;
  iterateTokens(agentId: string, params?: PageParams, opts?: Opts): AsyncIterableIterator<AIGatewayTokenListItem>;
  /** The plaintext `token` is in this result ONCE; sends `{}` when no input. */
  mintToken(agentId: string, input?: MintTokenInput, opts?: Opts): Promise<MintTokenResponse>;
  revokeToken(agentId: string, tokenId: string, opts?: Opts): Promise<AIGatewayTokenRevokeResult>;
  /** Includes tokens with no agent (minted by the token exchange or MCP). */
  listGatewayTokens(gatewayId: string, params?: PageParams, opts?: Opts): Promise<Page<AIGatewayTokenListItem>>;
  iterateGatewayTokens(gatewayId: string, params?: PageParams, opts?: Opts): AsyncIterableIterator<AIGatewayTokenListItem>;
  revokeGatewayToken(gatewayId: string, tokenId: string, opts?: Opts): Promise<AIGatewayTokenRevokeResult>;

  // Firewall policies
  listFirewallPolicies(params?: PageParams, opts?: Opts): Promise<Page<FirewallPolicy>>;
  iterateFirewallPolicies(params?: PageParams, opts?: Opts): AsyncIterableIterator<FirewallPolicy>;
  /** Re-using a `name` creates version N+1. */
  createFirewallPolicy(input: CreateFirewallPolicyInput, opts?: Opts): Promise<FirewallPolicy>;
  getFirewallPolicy(policyId: string, opts?: Opts): Promise<FirewallPolicy>;
  updateFirewallPolicy(policyId: string, input: UpdateFirewallPolicyInput, opts?: Opts): Promise<FirewallPolicy>;
  /** 409 `policy_in_use` while attached to an agent or MCP server. */
  deleteFirewallPolicy(policyId: string, opts?: Opts): Promise<AIGatewayFirewallDeleteResult>;
  /** Dry run; saves nothing. */
  testFirewallRules(input: TestFirewallRulesInput, opts?: Opts): Promise<FirewallTestResult>;

  // PII policies and recognizers
  listPiiPolicies(params?: PageParams, opts?: Opts): Promise<Page<PiiPolicy>>;
  iteratePiiPolicies(params?: PageParams, opts?: Opts): AsyncIterableIterator<PiiPolicy>;
  /** `recognizer_ids: []` (or omitted) = every enabled recognizer, the WIDEST policy. */
  createPiiPolicy(input: CreatePiiPolicyInput, opts?: Opts): Promise<PiiPolicy>;
  getPiiPolicy(policyId: string, opts?: Opts): Promise<PiiPolicy>;
  updatePiiPolicy(policyId: string, input: UpdatePiiPolicyInput, opts?: Opts): Promise<PiiPolicy>;
  deletePiiPolicy(policyId: string, opts?: Opts): Promise<AIGatewayPiiDeleteResult>;
  listPiiRecognizers(params?: PageParams, opts?: Opts): Promise<Page<PiiRecognizer>>;
  iteratePiiRecognizers(params?: PageParams, opts?: Opts): AsyncIterableIterator<PiiRecognizer>;
  createPiiRecognizer(input: CreatePiiRecognizerInput, opts?: Opts): Promise<PiiRecognizer>;
  /** Compiled with the data-plane engine; do not pre-validate locally. */
  testPiiRecognizer(input: TestPiiRecognizerInput, opts?: Opts): Promise<PiiRecognizerTestResult>;
  getPiiRecognizer(recognizerId: string, opts?: Opts): Promise<PiiRecognizer>;
  updatePiiRecognizer(recognizerId: string, input: UpdatePiiRecognizerInput, opts?: Opts): Promise<PiiRecognizer>;
  /** 409 `recognizer_in_use` while a policy lists it; mute with `enabled: false` instead. */
  deletePiiRecognizer(recognizerId: string, opts?: Opts): Promise<AIGatewayPiiDeleteResult>;

  // Usage
  usage(params?: AIGatewayUsageParams, opts?: Opts): Promise<AIGatewayUsage>;
  /** Always sends `format=json`. */
  exportUsage(params: AIGatewayUsageExportParams, opts?: Opts): Promise<AIGatewayUsageExport>;
}

const ROOT = '/v1/ai-gateway';

export function createAIGateway(api: Endpoints): AIGatewayResource {
  return {
    listGateways: (params, opts) => api.listPage(`${ROOT}/gateways`, params, opts),
    iterateGateways: (params, opts) => api.iteratePage(`${ROOT}/gateways`, params, opts),
    createGateway: (input, opts) => api.mutate('POST', `${ROOT}/gateways`, fields(input), opts),
    getGateway: (gatewayId, opts) => api.getOne(path`/v1/ai-gateway/gateways/${gatewayId}`, undefined, opts),
    updateGateway: (gatewayId, input, opts) => api.mutate('PATCH', path`/v1/ai-gateway/gateways/${gatewayId}`, fields(input), opts),
    deleteGateway: (gatewayId, opts) => api.mutate('DELETE', path`/v1/ai-gateway/gateways/${gatewayId}`, NO_BODY, opts),

    listAgents: (gatewayId, params, opts) => api.listPage(path`/v1/ai-gateway/gateways/${gatewayId}/agents`, params, opts),
    iterateAgents: (gatewayId, params, opts) => api.iteratePage(path`/v1/ai-gateway/gateways/${gatewayId}/agents`, params, opts),
    createAgent: (gatewayId, input, opts) => api.mutate('POST', path`/v1/ai-gateway/gateways/${gatewayId}/agents`, fields(input), opts),
    getAgent: (agentId, opts) => api.getOne(path`/v1/ai-gateway/agents/${agentId}`, undefined, opts),
    updateAgent: (agentId, input, opts) => api.mutate('PATCH', path`/v1/ai-gateway/agents/${agentId}`, fields(input), opts),
    deleteAgent: (agentId, opts) => api.mutate('DELETE', path`/v1/ai-gateway/agents/${agentId}`, NO_BODY, opts),

    listMcpServers: (gatewayId, params, opts) => api.listPage(path`/v1/ai-gateway/gateways/${gatewayId}/mcp-servers`, params, opts),
    iterateMcpServers: (gatewayId, params, opts) => api.iteratePage(path`/v1/ai-gateway/gateways/${gatewayId}/mcp-servers`, params, opts),
    createMcpServer: (gatewayId, input, opts) => api.mutate('POST', path`/v1/ai-gateway/gateways/${gatewayId}/mcp-servers`, fields(input), opts),
    getMcpServer: (serverId, opts) => api.getOne(path`/v1/ai-gateway/mcp-servers/${serverId}`, undefined, opts),
    updateMcpServer: (serverId, input, opts) => api.mutate('PATCH', path`/v1/ai-gateway/mcp-servers/${serverId}`, fields(input), opts),
    deleteMcpServer: (serverId, opts) => api.mutate('DELETE', path`/v1/ai-gateway/mcp-servers/${serverId}`, NO_BODY, opts),
    listMcpTools: (serverId, params, opts) => api.listPage(path`/v1/ai-gateway/mcp-servers/${serverId}/tools`, params, opts),
    iterateMcpTools: (serverId, params, opts) => api.iteratePage(path`/v1/ai-gateway/mcp-servers/${serverId}/tools`, params, opts),
    upsertMcpTool: (serverId, input, opts) => api.mutate('POST', path`/v1/ai-gateway/mcp-servers/${serverId}/tools`, fields(input), opts),
    updateMcpTool: (serverId, toolId, input, opts) => api.mutate('PATCH', path`/v1/ai-gateway/mcp-servers/${serverId}/tools/${toolId}`, fields(input), opts),
    deleteMcpTool: (serverId, toolId, opts) => api.mutate('DELETE', path`/v1/ai-gateway/mcp-servers/${serverId}/tools/${toolId}`, NO_BODY, opts),
    listMcpGrants: (serverId, params, opts) => api.listPage(path`/v1/ai-gateway/mcp-servers/${serverId}/grants`, params, opts),
    iterateMcpGrants: (serverId, params, opts) => api.iteratePage(path`/v1/ai-gateway/mcp-servers/${serverId}/grants`, params, opts),
    revokeMcpGrant: (serverId, grantId, opts) => api.mutate('DELETE', path`/v1/ai-gateway/mcp-servers/${serverId}/grants/${grantId}`, NO_BODY, opts),
    revokeAllMcpGrants: (serverId, opts) => api.mutate('DELETE', path`/v1/ai-gateway/mcp-servers/${serverId}/grants`, NO_BODY, opts),

    listTokens: (agentId, params, opts) => api.listPage(path`/v1/ai-gateway/agents/${agentId}/tokens`, params, opts),
    iterateTokens: (agentId, params, opts) => api.iteratePage(path`/v1/ai-gateway/agents/${agentId}/tokens`, params, opts),
    mintToken: (agentId, input, opts) => api.mutate('POST', path`/v1/ai-gateway/agents/${agentId}/tokens`, fields(input), opts),
    revokeToken: (agentId, tokenId, opts) => api.mutate('DELETE', path`/v1/ai-gateway/agents/${agentId}/tokens/${tokenId}`, NO_BODY, opts),
    listGatewayTokens: (gatewayId, params, opts) => api.listPage(path`/v1/ai-gateway/gateways/${gatewayId}/tokens`, params, opts),
    iterateGatewayTokens: (gatewayId, params, opts) => api.iteratePage(path`/v1/ai-gateway/gateways/${gatewayId}/tokens`, params, opts),
    revokeGatewayToken: (gatewayId, tokenId, opts) => api.mutate('DELETE', path`/v1/ai-gateway/gateways/${gatewayId}/tokens/${tokenId}`, NO_BODY, opts),

    listFirewallPolicies: (params, opts) => api.listPage(`${ROOT}/firewall-policies`, params, opts),
    iterateFirewallPolicies: (params, opts) => api.iteratePage(`${ROOT}/firewall-policies`, params, opts),
    createFirewallPolicy: (input, opts) => api.mutate('POST', `${ROOT}/firewall-policies`, fields(input), opts),
    getFirewallPolicy: (policyId, opts) => api.getOne(path`/v1/ai-gateway/firewall-policies/${policyId}`, undefined, opts),
    updateFirewallPolicy: (policyId, input, opts) => api.mutate('PATCH', path`/v1/ai-gateway/firewall-policies/${policyId}`, fields(input), opts),
    deleteFirewallPolicy: (policyId, opts) => api.mutate('DELETE', path`/v1/ai-gateway/firewall-policies/${policyId}`, NO_BODY, opts),
    testFirewallRules: (input, opts) => api.mutate('POST', `${ROOT}/firewall-policies/test`, fields(input), opts),

    listPiiPolicies: (params, opts) => api.listPage(`${ROOT}/pii-policies`, params, opts),
    iteratePiiPolicies: (params, opts) => api.iteratePage(`${ROOT}/pii-policies`, params, opts),
    createPiiPolicy: (input, opts) => api.mutate('POST', `${ROOT}/pii-policies`, fields(input), opts),
    getPiiPolicy: (policyId, opts) => api.getOne(path`/v1/ai-gateway/pii-policies/${policyId}`, undefined, opts),
    updatePiiPolicy: (policyId, input, opts) => api.mutate('PATCH', path`/v1/ai-gateway/pii-policies/${policyId}`, fields(input), opts),
    deletePiiPolicy: (policyId, opts) => api.mutate('DELETE', path`/v1/ai-gateway/pii-policies/${policyId}`, NO_BODY, opts),
    listPiiRecognizers: (params, opts) => api.listPage(`${ROOT}/pii-recognizers`, params, opts),
    iteratePiiRecognizers: (params, opts) => api.iteratePage(`${ROOT}/pii-recognizers`, params, opts),
    createPiiRecognizer: (input, opts) => api.mutate('POST', `${ROOT}/pii-recognizers`, fields(input), opts),
    testPiiRecognizer: (input, opts) => api.mutate('POST', `${ROOT}/pii-recognizers/test`, fields(input), opts),
    getPiiRecognizer: (recognizerId, opts) => api.getOne(path`/v1/ai-gateway/pii-recognizers/${recognizerId}`, undefined, opts),
    updatePiiRecognizer: (recognizerId, input, opts) => api.mutate('PATCH', path`/v1/ai-gateway/pii-recognizers/${recognizerId}`, fields(input), opts),
    deletePiiRecognizer: (recognizerId, opts) => api.mutate('DELETE', path`/v1/ai-gateway/pii-recognizers/${recognizerId}`, NO_BODY, opts),

    usage: (params, opts) => api.getOne(`${ROOT}/usage`, params, opts),
    exportUsage: (params, opts) => api.getOne(`${ROOT}/usage/export`, { ...params, format: 'json' }, opts),
  };
}
