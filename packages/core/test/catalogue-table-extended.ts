/**
 * Conformance rows of the extended tier (contract resources §7 roles, §11 logs, §16 aiGateway,
 * §17 workflows, §18 opportunities): for every public method, one call and the exact method,
 * path, query and body the contract gives, plus the return shape.
 */
import type { KnoxCall } from '../src/index.js';
import type { CatalogueClient, CatalogueRow, Fixture } from './catalogue-row.js';

let counter = 0;
/** A slug-safe name no other row uses in this emulator run. */
function uniq(prefix: string): string {
  counter += 1;
  return `${prefix}-x${counter}-${Date.now().toString(36)}`;
}

const SECRET_REF = 'Bearer {{secret_id:0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c}}';
const PUBLISHABLE = { nodes: [{ id: 'n1', type: 'http' }], edges: [] };
const UPSTREAM_MCP = 'https://mcp.example.com/mcp';

const id = (fx: Fixture, key: string): string => {
  const value = fx[key];
  if (value === undefined) throw new Error(`fixture has no ${key}`);
  return value;
};

// ── fixtures (created through the client; their requests are not checked) ─────────────

async function newGateway(c: CatalogueClient): Promise<Fixture> {
  return { gw: (await c.aiGateway.createGateway({ name: 'Gateway', slug: uniq('gw') })).id };
}

async function newAgent(c: CatalogueClient): Promise<Fixture> {
  const { gw } = await newGateway(c);
  const agent = await c.aiGateway.createAgent(gw as string, { name: 'Agent', slug: uniq('agent') });
  return { gw: gw as string, agent: agent.id };
}

async function newMcpServer(c: CatalogueClient): Promise<Fixture> {
  const { gw } = await newGateway(c);
  const server = await c.aiGateway.createMcpServer(gw as string, { name: 'MCP', slug: uniq('mcp'), upstream_url: UPSTREAM_MCP });
  return { gw: gw as string, server: server.id };
}

async function newTool(c: CatalogueClient): Promise<Fixture> {
  const fx = await newMcpServer(c);
  const tool = await c.aiGateway.upsertMcpTool(id(fx, 'server'), { tool_name: uniq('tool') });
  return { ...fx, tool: tool.id };
}

async function newGrant(c: CatalogueClient): Promise<Fixture> {
  const fx = await newMcpServer(c);
  const grant = (await c.aiGateway.listMcpGrants(id(fx, 'server'))).data[0];
  if (!grant) throw new Error('the emulator seeds one grant per MCP server');
  return { ...fx, grant: grant.id };
}

async function newAgentToken(c: CatalogueClient): Promise<Fixture> {
  const fx = await newAgent(c);
  const token = await c.aiGateway.mintToken(id(fx, 'agent'), { name: 'ci' });
  return { ...fx, token: token.id as string };
}

async function newFirewallPolicy(c: CatalogueClient): Promise<Fixture> {
  return { policy: (await c.aiGateway.createFirewallPolicy({ name: uniq('fw') })).id };
}

async function newPiiPolicy(c: CatalogueClient): Promise<Fixture> {
  return { policy: (await c.aiGateway.createPiiPolicy({ name: uniq('pii') })).id };
}

async function newRecognizer(c: CatalogueClient): Promise<Fixture> {
  return { recognizer: (await c.aiGateway.createPiiRecognizer({ name: uniq('rec'), kind: 'regex', pattern: 'EMP-\\d{5}' })).id };
}

async function newWorkflow(c: CatalogueClient): Promise<Fixture> {
  return { wf: (await c.workflows.create({ name: uniq('wf'), definition: PUBLISHABLE, enabled: true })).id };
}

async function newExecution(c: CatalogueClient): Promise<Fixture> {
  const fx = await newWorkflow(c);
  return { ...fx, run: (await c.workflows.execute(id(fx, 'wf'))).id };
}

async function pendingOpportunity(c: CatalogueClient): Promise<Fixture> {
  const first = (await c.opportunities.list({ status: 'pending' })).data[0];
  if (!first) throw new Error('no pending opportunity left in the emulator');
  return { opportunity: first.id };
}

/**
 * One proxied call (the catalogue client is a real `KnoxCall`), so the request-log feed has
 * a row: a route whose upstream is the emulator itself logs whatever status it answers.
 */
async function loggedRequest(c: CatalogueClient): Promise<Fixture> {
  const client = c as unknown as KnoxCall;
  const slug = uniq('logged');
  const route = await c.routes.create({ name: slug, slug, target_base_url: client.baseUrl });
  const response = await client.call(slug, { path: '/nothing-here' });
  await response.text();
  const row = (await c.logs.list({ route_id: route.id })).data[0];
  if (!row?.request_id) throw new Error('the proxied call left no request-log row');
  return { route: route.id, requestId: row.request_id };
}

// ── roles (§7) ─────────────────────────────────────────────────────────────────────────

const roles: CatalogueRow[] = [
  {
    name: 'roles.list',
    call: (c) => c.roles.list({ subject_kind: 'api_key', page: 1, per_page: 10 }),
    expect: { method: 'GET', path: '/v1/roles', query: { subject_kind: 'api_key', page: '1', per_page: '10' } },
    returns: 'page',
  },
  { name: 'roles.list', call: (c) => c.roles.list(), expect: { method: 'GET', path: '/v1/roles' }, returns: 'page' },
  {
    name: 'roles.iterate',
    call: (c) => c.roles.iterate({ subject_kind: 'user', per_page: 1 }),
    expect: { method: 'GET', path: '/v1/roles', query: { subject_kind: 'user', page: '1', per_page: '1' } },
    returns: 'iterator',
  },
];

// ── logs (§11) ─────────────────────────────────────────────────────────────────────────

const logs: CatalogueRow[] = [
  {
    name: 'logs.list',
    setup: loggedRequest,
    call: (c, fx) => c.logs.list({ limit: 5, route_id: id(fx, 'route'), status_code: 404 }),
    expect: (fx) => ({ method: 'GET', path: '/v1/logs', query: { limit: '5', route_id: id(fx, 'route'), status_code: '404' } }),
    returns: 'cursorPage',
  },
  { name: 'logs.list', call: (c) => c.logs.list(), expect: { method: 'GET', path: '/v1/logs' }, returns: 'cursorPage' },
  {
    name: 'logs.iterate',
    setup: loggedRequest,
    call: (c) => c.logs.iterate({ limit: 1 }),
    expect: { method: 'GET', path: '/v1/logs', query: { limit: '1' } },
    returns: 'iterator',
    check: (items) => {
      if ((items as unknown[]).length === 0) throw new Error('iterate yielded no rows');
    },
  },
  {
    name: 'logs.get',
    setup: loggedRequest,
    call: (c, fx) => c.logs.get(id(fx, 'requestId')),
    expect: (fx) => ({ method: 'GET', path: `/v1/logs/${encodeURIComponent(id(fx, 'requestId'))}` }),
    returns: 'object',
  },
  {
    name: 'logs.proof',
    setup: loggedRequest,
    call: (c, fx) => c.logs.proof(id(fx, 'requestId')),
    expect: (fx) => ({ method: 'GET', path: `/v1/logs/${encodeURIComponent(id(fx, 'requestId'))}/proof` }),
    returns: 'object',
  },
];

// ── workflows (§17) ────────────────────────────────────────────────────────────────────

const workflows: CatalogueRow[] = [
  {
    name: 'workflows.list',
    call: (c) => c.workflows.list({ page: 1, per_page: 3 }),
    expect: { method: 'GET', path: '/v1/workflows', query: { page: '1', per_page: '3' } },
    returns: 'page',
  },
  {
    name: 'workflows.iterate',
    setup: newWorkflow,
    call: (c) => c.workflows.iterate({ per_page: 1 }),
    expect: { method: 'GET', path: '/v1/workflows', query: { page: '1', per_page: '1' } },
    returns: 'iterator',
  },
  {
    name: 'workflows.get',
    setup: newWorkflow,
    call: (c, fx) => c.workflows.get(id(fx, 'wf')),
    expect: (fx) => ({ method: 'GET', path: `/v1/workflows/${id(fx, 'wf')}` }),
    returns: 'object',
  },
  {
    name: 'workflows.create',
    setup: async () => ({ name: uniq('wf') }),
    call: (c, fx) => c.workflows.create({ name: id(fx, 'name'), definition: PUBLISHABLE, description: undefined, trigger_config: {}, enabled: false }),
    expect: (fx) => ({ method: 'POST', path: '/v1/workflows', body: { name: id(fx, 'name'), definition: PUBLISHABLE, trigger_config: {}, enabled: false } }),
    returns: 'object',
  },
  {
    name: 'workflows.update',
    setup: newWorkflow,
    call: (c, fx) => c.workflows.update(id(fx, 'wf'), { environment: null, enabled: false }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/workflows/${id(fx, 'wf')}`, body: { environment: null, enabled: false } }),
    returns: 'object',
  },
  {
    name: 'workflows.delete',
    setup: newWorkflow,
    call: (c, fx) => c.workflows.delete(id(fx, 'wf')),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/workflows/${id(fx, 'wf')}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'workflows.execute',
    setup: newWorkflow,
    call: (c, fx) => c.workflows.execute(id(fx, 'wf')),
    expect: (fx) => ({ method: 'POST', path: `/v1/workflows/${id(fx, 'wf')}/execute`, body: { input: null } }),
    returns: 'object',
  },
  {
    name: 'workflows.execute',
    setup: newWorkflow,
    call: (c, fx) => c.workflows.execute(id(fx, 'wf'), { order: 1 }, { idempotencyKey: `exec-${id(fx, 'wf')}` }),
    expect: (fx) => ({
      method: 'POST',
      path: `/v1/workflows/${id(fx, 'wf')}/execute`,
      body: { input: { order: 1 } },
      idempotencyKey: `exec-${id(fx, 'wf')}`,
    }),
    returns: 'object',
  },
  {
    name: 'workflows.listExecutions',
    setup: newExecution,
    call: (c, fx) => c.workflows.listExecutions(id(fx, 'wf'), { per_page: 5 }),
    expect: (fx) => ({ method: 'GET', path: `/v1/workflows/${id(fx, 'wf')}/executions`, query: { per_page: '5' } }),
    returns: 'page',
  },
  {
    name: 'workflows.iterateExecutions',
    setup: newExecution,
    call: (c, fx) => c.workflows.iterateExecutions(id(fx, 'wf')),
    expect: (fx) => ({ method: 'GET', path: `/v1/workflows/${id(fx, 'wf')}/executions`, query: { page: '1' } }),
    returns: 'iterator',
  },
  {
    name: 'workflows.getExecution',
    setup: newExecution,
    call: (c, fx) => c.workflows.getExecution(id(fx, 'run')),
    expect: (fx) => ({ method: 'GET', path: `/v1/workflows/executions/${id(fx, 'run')}` }),
    returns: 'object',
    check: (result) => {
      if (!Array.isArray((result as { node_executions?: unknown }).node_executions)) throw new Error('getExecution lacks node_executions');
    },
  },
  {
    name: 'workflows.cancelExecution',
    setup: newExecution,
    call: (c, fx) => c.workflows.cancelExecution(id(fx, 'run')),
    expect: (fx) => ({ method: 'POST', path: `/v1/workflows/executions/${id(fx, 'run')}/cancel`, body: 'none' }),
    returns: 'object',
  },
];

// ── opportunities (§18) ────────────────────────────────────────────────────────────────

const opportunities: CatalogueRow[] = [
  {
    name: 'opportunities.list',
    call: (c) => c.opportunities.list({ status: 'pending', per_page: 2 }),
    expect: { method: 'GET', path: '/v1/opportunities', query: { status: 'pending', per_page: '2' } },
    returns: 'page',
  },
  {
    name: 'opportunities.iterate',
    call: (c) => c.opportunities.iterate({ status: 'pending', per_page: 1 }),
    expect: { method: 'GET', path: '/v1/opportunities', query: { status: 'pending', page: '1', per_page: '1' } },
    returns: 'iterator',
  },
  {
    name: 'opportunities.accept',
    setup: pendingOpportunity,
    call: (c, fx) => c.opportunities.accept(id(fx, 'opportunity')),
    expect: (fx) => ({ method: 'POST', path: `/v1/opportunities/${id(fx, 'opportunity')}/accept`, body: {} }),
    returns: 'object',
  },
  {
    name: 'opportunities.accept',
    setup: pendingOpportunity,
    call: (c, fx) => c.opportunities.accept(id(fx, 'opportunity'), { collection_name: 'Payments', header_name: 'X-Api-Key', value_prefix: '' }),
    expect: (fx) => ({
      method: 'POST',
      path: `/v1/opportunities/${id(fx, 'opportunity')}/accept`,
      body: { collection_name: 'Payments', header_name: 'X-Api-Key', value_prefix: '' },
    }),
    returns: 'object',
  },
  {
    name: 'opportunities.dismiss',
    setup: pendingOpportunity,
    call: (c, fx) => c.opportunities.dismiss(id(fx, 'opportunity')),
    expect: (fx) => ({ method: 'POST', path: `/v1/opportunities/${id(fx, 'opportunity')}/dismiss`, body: 'none' }),
    returns: 'object',
  },
];

// ── aiGateway (§16) ────────────────────────────────────────────────────────────────────

const AG = '/v1/ai-gateway';

const gatewayRows: CatalogueRow[] = [
  {
    name: 'aiGateway.listGateways',
    call: (c) => c.aiGateway.listGateways({ page: 1, per_page: 2 }),
    expect: { method: 'GET', path: `${AG}/gateways`, query: { page: '1', per_page: '2' } },
    returns: 'page',
  },
  {
    name: 'aiGateway.iterateGateways',
    setup: newGateway,
    call: (c) => c.aiGateway.iterateGateways({ per_page: 50 }),
    expect: { method: 'GET', path: `${AG}/gateways`, query: { page: '1', per_page: '50' } },
    returns: 'iterator',
  },
  {
    name: 'aiGateway.createGateway',
    setup: async () => ({ slug: uniq('gw') }),
    call: (c, fx) => c.aiGateway.createGateway({ name: 'Support', slug: id(fx, 'slug'), budget_daily_usd: 0, budget_overage_action: 'warn' }),
    expect: (fx) => ({
      method: 'POST',
      path: `${AG}/gateways`,
      body: { name: 'Support', slug: id(fx, 'slug'), budget_daily_usd: 0, budget_overage_action: 'warn' },
    }),
    returns: 'object',
  },
  {
    name: 'aiGateway.getGateway',
    setup: newGateway,
    call: (c, fx) => c.aiGateway.getGateway(id(fx, 'gw')),
    expect: (fx) => ({ method: 'GET', path: `${AG}/gateways/${id(fx, 'gw')}` }),
    returns: 'object',
  },
  {
    name: 'aiGateway.updateGateway',
    setup: newGateway,
    call: (c, fx) => c.aiGateway.updateGateway(id(fx, 'gw'), { description: null, budget_monthly_usd: 100 }),
    expect: (fx) => ({ method: 'PATCH', path: `${AG}/gateways/${id(fx, 'gw')}`, body: { description: null, budget_monthly_usd: 100 } }),
    returns: 'object',
  },
  {
    name: 'aiGateway.deleteGateway',
    setup: newGateway,
    call: (c, fx) => c.aiGateway.deleteGateway(id(fx, 'gw')),
    expect: (fx) => ({ method: 'DELETE', path: `${AG}/gateways/${id(fx, 'gw')}`, body: 'none' }),
    returns: 'object',
    check: (result) => {
      if ((result as { status?: unknown }).status !== 'archived') throw new Error('a gateway delete archives');
    },
  },
];

const agentRows: CatalogueRow[] = [
  {
    name: 'aiGateway.listAgents',
    setup: newAgent,
    call: (c, fx) => c.aiGateway.listAgents(id(fx, 'gw'), { per_page: 5 }),
    expect: (fx) => ({ method: 'GET', path: `${AG}/gateways/${id(fx, 'gw')}/agents`, query: { per_page: '5' } }),
    returns: 'page',
  },
  {
    name: 'aiGateway.iterateAgents',
    setup: newAgent,
    call: (c, fx) => c.aiGateway.iterateAgents(id(fx, 'gw')),
    expect: (fx) => ({ method: 'GET', path: `${AG}/gateways/${id(fx, 'gw')}/agents`, query: { page: '1' } }),
    returns: 'iterator',
  },
  {
    name: 'aiGateway.createAgent',
    setup: async (c) => ({ ...(await newGateway(c)), slug: uniq('agent') }),
    call: (c, fx) =>
      c.aiGateway.createAgent(id(fx, 'gw'), {
        name: 'Helper',
        slug: id(fx, 'slug'),
        provider: 'openai',
        upstream_secret_id: '0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c',
        model_allowlist: [],
        model_rewrite: {},
        streaming_enabled: false,
        pii_request_mode: 'off',
        cache_similarity_threshold: 0.9,
      }),
    expect: (fx) => ({
      method: 'POST',
      path: `${AG}/gateways/${id(fx, 'gw')}/agents`,
      body: {
        name: 'Helper',
        slug: id(fx, 'slug'),
        provider: 'openai',
        upstream_secret_id: '0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c',
        model_allowlist: [],
        model_rewrite: {},
        streaming_enabled: false,
        pii_request_mode: 'off',
        cache_similarity_threshold: 0.9,
      },
    }),
    returns: 'object',
  },
  {
    name: 'aiGateway.getAgent',
    setup: newAgent,
    call: (c, fx) => c.aiGateway.getAgent(id(fx, 'agent')),
    expect: (fx) => ({ method: 'GET', path: `${AG}/agents/${id(fx, 'agent')}` }),
    returns: 'object',
  },
  {
    name: 'aiGateway.updateAgent',
    setup: newAgent,
    call: (c, fx) => c.aiGateway.updateAgent(id(fx, 'agent'), { tool_allowlist: [], fallback_agent_id: null, budget_overage_action: 'warn' }),
    expect: (fx) => ({
      method: 'PATCH',
      path: `${AG}/agents/${id(fx, 'agent')}`,
      body: { tool_allowlist: [], fallback_agent_id: null, budget_overage_action: 'warn' },
    }),
    returns: 'object',
  },
  {
    name: 'aiGateway.deleteAgent',
    setup: newAgent,
    call: (c, fx) => c.aiGateway.deleteAgent(id(fx, 'agent')),
    expect: (fx) => ({ method: 'DELETE', path: `${AG}/agents/${id(fx, 'agent')}`, body: 'none' }),
    returns: 'object',
  },
];

const mcpRows: CatalogueRow[] = [
  {
    name: 'aiGateway.listMcpServers',
    setup: newMcpServer,
    call: (c, fx) => c.aiGateway.listMcpServers(id(fx, 'gw'), { page: 1 }),
    expect: (fx) => ({ method: 'GET', path: `${AG}/gateways/${id(fx, 'gw')}/mcp-servers`, query: { page: '1' } }),
    returns: 'page',
  },
  {
    name: 'aiGateway.iterateMcpServers',
    setup: newMcpServer,
    call: (c, fx) => c.aiGateway.iterateMcpServers(id(fx, 'gw'), { per_page: 1 }),
    expect: (fx) => ({ method: 'GET', path: `${AG}/gateways/${id(fx, 'gw')}/mcp-servers`, query: { page: '1', per_page: '1' } }),
    returns: 'iterator',
  },
  {
    name: 'aiGateway.createMcpServer',
    setup: async (c) => ({ ...(await newGateway(c)), slug: uniq('mcp') }),
    call: (c, fx) =>
      c.aiGateway.createMcpServer(id(fx, 'gw'), {
        name: 'Tickets',
        slug: id(fx, 'slug'),
        upstream_url: UPSTREAM_MCP,
        allowed_tools: [],
        pii_inspection: false,
        auth: { headers: { Authorization: SECRET_REF } },
      }),
    expect: (fx) => ({
      method: 'POST',
      path: `${AG}/gateways/${id(fx, 'gw')}/mcp-servers`,
      body: {
        name: 'Tickets',
        slug: id(fx, 'slug'),
        upstream_url: UPSTREAM_MCP,
        allowed_tools: [],
        pii_inspection: false,
        auth: { headers: { Authorization: SECRET_REF } },
      },
    }),
    returns: 'object',
  },
  {
    name: 'aiGateway.getMcpServer',
    setup: newMcpServer,
    call: (c, fx) => c.aiGateway.getMcpServer(id(fx, 'server')),
    expect: (fx) => ({ method: 'GET', path: `${AG}/mcp-servers/${id(fx, 'server')}` }),
    returns: 'object',
  },
  {
    name: 'aiGateway.updateMcpServer',
    setup: newMcpServer,
    call: (c, fx) => c.aiGateway.updateMcpServer(id(fx, 'server'), { status: 'paused', allowed_tools: [] }),
    expect: (fx) => ({ method: 'PATCH', path: `${AG}/mcp-servers/${id(fx, 'server')}`, body: { status: 'paused', allowed_tools: [] } }),
    returns: 'object',
  },
  {
    name: 'aiGateway.deleteMcpServer',
    setup: newMcpServer,
    call: (c, fx) => c.aiGateway.deleteMcpServer(id(fx, 'server')),
    expect: (fx) => ({ method: 'DELETE', path: `${AG}/mcp-servers/${id(fx, 'server')}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'aiGateway.listMcpTools',
    setup: newTool,
    call: (c, fx) => c.aiGateway.listMcpTools(id(fx, 'server'), { per_page: 10 }),
    expect: (fx) => ({ method: 'GET', path: `${AG}/mcp-servers/${id(fx, 'server')}/tools`, query: { per_page: '10' } }),
    returns: 'page',
  },
  {
    name: 'aiGateway.iterateMcpTools',
    setup: newTool,
    call: (c, fx) => c.aiGateway.iterateMcpTools(id(fx, 'server')),
    expect: (fx) => ({ method: 'GET', path: `${AG}/mcp-servers/${id(fx, 'server')}/tools`, query: { page: '1' } }),
    returns: 'iterator',
  },
  {
    name: 'aiGateway.upsertMcpTool',
    setup: newMcpServer,
    call: (c, fx) => c.aiGateway.upsertMcpTool(id(fx, 'server'), { tool_name: 'search', input_schema: { type: 'object' }, enabled: false }),
    expect: (fx) => ({
      method: 'POST',
      path: `${AG}/mcp-servers/${id(fx, 'server')}/tools`,
      body: { tool_name: 'search', input_schema: { type: 'object' }, enabled: false },
    }),
    returns: 'object',
  },
  {
    name: 'aiGateway.updateMcpTool',
    setup: newTool,
    call: (c, fx) => c.aiGateway.updateMcpTool(id(fx, 'server'), id(fx, 'tool'), { enabled: false }),
    expect: (fx) => ({ method: 'PATCH', path: `${AG}/mcp-servers/${id(fx, 'server')}/tools/${id(fx, 'tool')}`, body: { enabled: false } }),
    returns: 'object',
  },
  {
    name: 'aiGateway.deleteMcpTool',
    setup: newTool,
    call: (c, fx) => c.aiGateway.deleteMcpTool(id(fx, 'server'), id(fx, 'tool')),
    expect: (fx) => ({ method: 'DELETE', path: `${AG}/mcp-servers/${id(fx, 'server')}/tools/${id(fx, 'tool')}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'aiGateway.listMcpGrants',
    setup: newMcpServer,
    call: (c, fx) => c.aiGateway.listMcpGrants(id(fx, 'server')),
    expect: (fx) => ({ method: 'GET', path: `${AG}/mcp-servers/${id(fx, 'server')}/grants` }),
    returns: 'page',
  },
  {
    name: 'aiGateway.iterateMcpGrants',
    setup: newMcpServer,
    call: (c, fx) => c.aiGateway.iterateMcpGrants(id(fx, 'server'), { per_page: 5 }),
    expect: (fx) => ({ method: 'GET', path: `${AG}/mcp-servers/${id(fx, 'server')}/grants`, query: { page: '1', per_page: '5' } }),
    returns: 'iterator',
  },
  {
    name: 'aiGateway.revokeMcpGrant',
    setup: newGrant,
    call: (c, fx) => c.aiGateway.revokeMcpGrant(id(fx, 'server'), id(fx, 'grant')),
    expect: (fx) => ({ method: 'DELETE', path: `${AG}/mcp-servers/${id(fx, 'server')}/grants/${id(fx, 'grant')}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'aiGateway.revokeAllMcpGrants',
    setup: newMcpServer,
    call: (c, fx) => c.aiGateway.revokeAllMcpGrants(id(fx, 'server')),
    expect: (fx) => ({ method: 'DELETE', path: `${AG}/mcp-servers/${id(fx, 'server')}/grants`, body: 'none' }),
    returns: 'object',
    check: (result) => {
      if (typeof (result as { revoked?: unknown }).revoked !== 'number') throw new Error('revokeAllMcpGrants returns a count');
    },
  },
];

const tokenRows: CatalogueRow[] = [
  {
    name: 'aiGateway.listTokens',
    setup: newAgentToken,
    call: (c, fx) => c.aiGateway.listTokens(id(fx, 'agent'), { per_page: 10 }),
    expect: (fx) => ({ method: 'GET', path: `${AG}/agents/${id(fx, 'agent')}/tokens`, query: { per_page: '10' } }),
    returns: 'page',
    check: (result) => {
      for (const row of (result as { data: object[] }).data) if ('token' in row) throw new Error('a token list row carries the plaintext');
    },
  },
  {
    name: 'aiGateway.iterateTokens',
    setup: newAgentToken,
    call: (c, fx) => c.aiGateway.iterateTokens(id(fx, 'agent')),
    expect: (fx) => ({ method: 'GET', path: `${AG}/agents/${id(fx, 'agent')}/tokens`, query: { page: '1' } }),
    returns: 'iterator',
  },
  {
    name: 'aiGateway.mintToken',
    setup: newAgent,
    call: (c, fx) => c.aiGateway.mintToken(id(fx, 'agent')),
    expect: (fx) => ({ method: 'POST', path: `${AG}/agents/${id(fx, 'agent')}/tokens`, body: {} }),
    returns: 'object',
    check: (result) => {
      if (typeof (result as { token?: unknown }).token !== 'string') throw new Error('mintToken shows the plaintext once');
    },
  },
  {
    name: 'aiGateway.mintToken',
    setup: newAgent,
    call: (c, fx) => c.aiGateway.mintToken(id(fx, 'agent'), { name: 'ci', kind: 'oneshot', dpop_required: false, expires_in_seconds: 60 }),
    expect: (fx) => ({
      method: 'POST',
      path: `${AG}/agents/${id(fx, 'agent')}/tokens`,
      body: { name: 'ci', kind: 'oneshot', dpop_required: false, expires_in_seconds: 60 },
    }),
    returns: 'object',
  },
  {
    name: 'aiGateway.revokeToken',
    setup: newAgentToken,
    call: (c, fx) => c.aiGateway.revokeToken(id(fx, 'agent'), id(fx, 'token')),
    expect: (fx) => ({ method: 'DELETE', path: `${AG}/agents/${id(fx, 'agent')}/tokens/${id(fx, 'token')}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'aiGateway.listGatewayTokens',
    setup: newAgentToken,
    call: (c, fx) => c.aiGateway.listGatewayTokens(id(fx, 'gw')),
    expect: (fx) => ({ method: 'GET', path: `${AG}/gateways/${id(fx, 'gw')}/tokens` }),
    returns: 'page',
  },
  {
    name: 'aiGateway.iterateGatewayTokens',
    setup: newAgentToken,
    call: (c, fx) => c.aiGateway.iterateGatewayTokens(id(fx, 'gw'), { per_page: 1 }),
    expect: (fx) => ({ method: 'GET', path: `${AG}/gateways/${id(fx, 'gw')}/tokens`, query: { page: '1', per_page: '1' } }),
    returns: 'iterator',
  },
  {
    name: 'aiGateway.revokeGatewayToken',
    setup: newAgentToken,
    call: (c, fx) => c.aiGateway.revokeGatewayToken(id(fx, 'gw'), id(fx, 'token')),
    expect: (fx) => ({ method: 'DELETE', path: `${AG}/gateways/${id(fx, 'gw')}/tokens/${id(fx, 'token')}`, body: 'none' }),
    returns: 'object',
  },
];

const RULES = [{ name: 'no-ssn', kind: 'regex' as const, pattern: '\\d{3}-\\d{2}-\\d{4}', flags: 'i' }];

const firewallRows: CatalogueRow[] = [
  {
    name: 'aiGateway.listFirewallPolicies',
    call: (c) => c.aiGateway.listFirewallPolicies({ per_page: 3 }),
    expect: { method: 'GET', path: `${AG}/firewall-policies`, query: { per_page: '3' } },
    returns: 'page',
  },
  {
    name: 'aiGateway.iterateFirewallPolicies',
    setup: newFirewallPolicy,
    call: (c) => c.aiGateway.iterateFirewallPolicies(),
    expect: { method: 'GET', path: `${AG}/firewall-policies`, query: { page: '1' } },
    returns: 'iterator',
  },
  {
    name: 'aiGateway.createFirewallPolicy',
    setup: async () => ({ name: uniq('fw') }),
    call: (c, fx) => c.aiGateway.createFirewallPolicy({ name: id(fx, 'name'), heuristics: RULES, canary_enabled: false, action: 'block' }),
    expect: (fx) => ({
      method: 'POST',
      path: `${AG}/firewall-policies`,
      body: { name: id(fx, 'name'), heuristics: RULES, canary_enabled: false, action: 'block' },
    }),
    returns: 'object',
  },
  {
    name: 'aiGateway.getFirewallPolicy',
    setup: newFirewallPolicy,
    call: (c, fx) => c.aiGateway.getFirewallPolicy(id(fx, 'policy')),
    expect: (fx) => ({ method: 'GET', path: `${AG}/firewall-policies/${id(fx, 'policy')}` }),
    returns: 'object',
  },
  {
    name: 'aiGateway.updateFirewallPolicy',
    setup: newFirewallPolicy,
    call: (c, fx) => c.aiGateway.updateFirewallPolicy(id(fx, 'policy'), { heuristics: [], canary_enabled: false }),
    expect: (fx) => ({ method: 'PATCH', path: `${AG}/firewall-policies/${id(fx, 'policy')}`, body: { heuristics: [], canary_enabled: false } }),
    returns: 'object',
  },
  {
    name: 'aiGateway.deleteFirewallPolicy',
    setup: newFirewallPolicy,
    call: (c, fx) => c.aiGateway.deleteFirewallPolicy(id(fx, 'policy')),
    expect: (fx) => ({ method: 'DELETE', path: `${AG}/firewall-policies/${id(fx, 'policy')}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'aiGateway.testFirewallRules',
    call: (c) => c.aiGateway.testFirewallRules({ text: 'ssn 123-45-6789', heuristics: RULES }),
    expect: { method: 'POST', path: `${AG}/firewall-policies/test`, body: { text: 'ssn 123-45-6789', heuristics: RULES } },
    returns: 'object',
    check: (result) => {
      if ((result as { matched?: unknown }).matched !== true) throw new Error('the rule should match');
    },
  },
];

const piiRows: CatalogueRow[] = [
  {
    name: 'aiGateway.listPiiPolicies',
    call: (c) => c.aiGateway.listPiiPolicies({ page: 2 }),
    expect: { method: 'GET', path: `${AG}/pii-policies`, query: { page: '2' } },
    returns: 'page',
  },
  {
    name: 'aiGateway.iteratePiiPolicies',
    setup: newPiiPolicy,
    call: (c) => c.aiGateway.iteratePiiPolicies({ per_page: 100 }),
    expect: { method: 'GET', path: `${AG}/pii-policies`, query: { page: '1', per_page: '100' } },
    returns: 'iterator',
  },
  {
    name: 'aiGateway.createPiiPolicy',
    setup: async () => ({ name: uniq('pii') }),
    call: (c, fx) => c.aiGateway.createPiiPolicy({ name: id(fx, 'name'), recognizer_ids: [], default_action: 'tokenize' }),
    expect: (fx) => ({ method: 'POST', path: `${AG}/pii-policies`, body: { name: id(fx, 'name'), recognizer_ids: [], default_action: 'tokenize' } }),
    returns: 'object',
  },
  {
    name: 'aiGateway.getPiiPolicy',
    setup: newPiiPolicy,
    call: (c, fx) => c.aiGateway.getPiiPolicy(id(fx, 'policy')),
    expect: (fx) => ({ method: 'GET', path: `${AG}/pii-policies/${id(fx, 'policy')}` }),
    returns: 'object',
  },
  {
    name: 'aiGateway.updatePiiPolicy',
    setup: newPiiPolicy,
    call: (c, fx) => c.aiGateway.updatePiiPolicy(id(fx, 'policy'), { recognizer_ids: [], description: null }),
    expect: (fx) => ({ method: 'PATCH', path: `${AG}/pii-policies/${id(fx, 'policy')}`, body: { recognizer_ids: [], description: null } }),
    returns: 'object',
  },
  {
    name: 'aiGateway.deletePiiPolicy',
    setup: newPiiPolicy,
    call: (c, fx) => c.aiGateway.deletePiiPolicy(id(fx, 'policy')),
    expect: (fx) => ({ method: 'DELETE', path: `${AG}/pii-policies/${id(fx, 'policy')}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'aiGateway.listPiiRecognizers',
    call: (c) => c.aiGateway.listPiiRecognizers(),
    expect: { method: 'GET', path: `${AG}/pii-recognizers` },
    returns: 'page',
  },
  {
    name: 'aiGateway.iteratePiiRecognizers',
    setup: newRecognizer,
    call: (c) => c.aiGateway.iteratePiiRecognizers({ per_page: 2 }),
    expect: { method: 'GET', path: `${AG}/pii-recognizers`, query: { page: '1', per_page: '2' } },
    returns: 'iterator',
  },
  {
    name: 'aiGateway.createPiiRecognizer',
    setup: async () => ({ name: uniq('rec') }),
    call: (c, fx) =>
      c.aiGateway.createPiiRecognizer({ name: id(fx, 'name'), kind: 'regex', pattern: 'EMP-\\d{5}', context_words: [], confidence: 0.5, enabled: false }),
    expect: (fx) => ({
      method: 'POST',
      path: `${AG}/pii-recognizers`,
      body: { name: id(fx, 'name'), kind: 'regex', pattern: 'EMP-\\d{5}', context_words: [], confidence: 0.5, enabled: false },
    }),
    returns: 'object',
  },
  {
    name: 'aiGateway.testPiiRecognizer',
    call: (c) => c.aiGateway.testPiiRecognizer({ pattern: 'EMP-\\d{5}', text: 'EMP-12345', context_words: [] }),
    expect: { method: 'POST', path: `${AG}/pii-recognizers/test`, body: { pattern: 'EMP-\\d{5}', text: 'EMP-12345', context_words: [] } },
    returns: 'object',
  },
  {
    name: 'aiGateway.getPiiRecognizer',
    setup: newRecognizer,
    call: (c, fx) => c.aiGateway.getPiiRecognizer(id(fx, 'recognizer')),
    expect: (fx) => ({ method: 'GET', path: `${AG}/pii-recognizers/${id(fx, 'recognizer')}` }),
    returns: 'object',
  },
  {
    name: 'aiGateway.updatePiiRecognizer',
    setup: newRecognizer,
    call: (c, fx) => c.aiGateway.updatePiiRecognizer(id(fx, 'recognizer'), { enabled: false, format: null }),
    expect: (fx) => ({ method: 'PATCH', path: `${AG}/pii-recognizers/${id(fx, 'recognizer')}`, body: { enabled: false, format: null } }),
    returns: 'object',
  },
  {
    name: 'aiGateway.deletePiiRecognizer',
    setup: newRecognizer,
    call: (c, fx) => c.aiGateway.deletePiiRecognizer(id(fx, 'recognizer')),
    expect: (fx) => ({ method: 'DELETE', path: `${AG}/pii-recognizers/${id(fx, 'recognizer')}`, body: 'none' }),
    returns: 'object',
  },
];

const usageRows: CatalogueRow[] = [
  { name: 'aiGateway.usage', call: (c) => c.aiGateway.usage(), expect: { method: 'GET', path: `${AG}/usage` }, returns: 'object' },
  {
    name: 'aiGateway.usage',
    setup: newAgent,
    call: (c, fx) => c.aiGateway.usage({ period: '90d', agent_id: id(fx, 'agent') }),
    expect: (fx) => ({ method: 'GET', path: `${AG}/usage`, query: { period: '90d', agent_id: id(fx, 'agent') } }),
    returns: 'object',
  },
  {
    name: 'aiGateway.exportUsage',
    call: (c) => c.aiGateway.exportUsage({ group_by: 'model', period: '7d' }),
    expect: { method: 'GET', path: `${AG}/usage/export`, query: { group_by: 'model', period: '7d', format: 'json' } },
    returns: 'object',
  },
];

export const extendedRows: readonly CatalogueRow[] = [
  ...roles,
  ...logs,
  ...workflows,
  ...opportunities,
  ...gatewayRows,
  ...agentRows,
  ...mcpRows,
  ...tokenRows,
  ...firewallRows,
  ...piiRows,
  ...usageRows,
];
