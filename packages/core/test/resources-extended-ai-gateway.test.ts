import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, KnoxCallError } from '../src/errors.js';
import type { CreateAgentInput } from '../src/resources/extended/index.js';
import { drain, type Harness, jsonBody, sent, sentOnce, startHarness } from './resources-extended-support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emu.close());
beforeEach(() => {
  h.emu.reset();
  h.emu.clearRequests();
});

const SECRET_REF = 'Bearer {{secret_id:0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c}}';

async function gateway(slug = 'support') {
  return h.client.aiGateway.createGateway({ name: `GW ${slug}`, slug });
}

describe('aiGateway gateways (contract resources §16.1)', () => {
  it('create → get → update → list → iterate → delete (soft: archived and no longer listed)', async () => {
    const { client, emu } = h;
    const gw = await client.aiGateway.createGateway({ name: 'Support', slug: 'support', budget_daily_usd: 0, budget_overage_action: 'warn' });
    expect(gw).toMatchObject({ name: 'Support', slug: 'support', budget_daily_usd: 0, budget_overage_action: 'warn', description: null });
    // 0 is a value, so it reaches the wire.
    expect(jsonBody(sentOnce(emu, 'POST', '/v1/ai-gateway/gateways'))).toEqual({
      name: 'Support',
      slug: 'support',
      budget_daily_usd: 0,
      budget_overage_action: 'warn',
    });
    expect(await client.aiGateway.getGateway(gw.id)).toMatchObject({ id: gw.id });
    expect((await client.aiGateway.updateGateway(gw.id, { description: 'tier 1' })).description).toBe('tier 1');
    await gateway('sales');
    await gateway('ops');
    const page = await client.aiGateway.listGateways({ per_page: 2 });
    expect(page.meta).toMatchObject({ total: 3, total_pages: 2 });
    expect((await drain(client.aiGateway.iterateGateways({ per_page: 2 }))).map((g) => g.slug)).toEqual(['support', 'sales', 'ops']);
    expect(await client.aiGateway.deleteGateway(gw.id)).toEqual({ id: gw.id, status: 'archived' });
    expect((await client.aiGateway.getGateway(gw.id)).status).toBe('archived');
    expect((await client.aiGateway.listGateways()).data.map((g) => g.slug)).toEqual(['sales', 'ops']);
  });
});

describe('aiGateway agents (§16.2)', () => {
  it('createAgent sends every given key under its own name, false/[]/{} included', async () => {
    const { client, emu } = h;
    const gw = await gateway();
    const input: CreateAgentInput = {
      name: 'Helper',
      slug: 'helper',
      provider: 'anthropic',
      upstream_secret_id: '0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c',
      model_allowlist: [],
      tags: {},
      streaming_enabled: false,
      pii_request_mode: 'off',
      budget_per_call_max_tokens: 0,
      cache_mode: 'exact',
      data_residency_region: 'eu',
      routing_policy: { strategy: 'cost' },
      guardrail_webhook_mode: 'off',
    };
    const agent = await client.aiGateway.createAgent(gw.id, input);
    expect(jsonBody(sentOnce(emu, 'POST', `/v1/ai-gateway/gateways/${gw.id}/agents`))).toEqual(input);
    expect(agent).toMatchObject({ gateway_id: gw.id, provider: 'anthropic', streaming_enabled: false, model_allowlist: [], data_residency_region: 'eu' });
    expect(agent.agent_url).toBe(`https://${emu.tenant}.knoxcall.com/v1/ai/helper`);
    expect(agent.default_model).toEqual(expect.any(String));
  });

  it('get/update/delete on the flat path; a new slug moves agent_url; list and iterate under the gateway', async () => {
    const { client, emu } = h;
    const gw = await gateway();
    const agent = await client.aiGateway.createAgent(gw.id, { name: 'A', slug: 'a' });
    await client.aiGateway.createAgent(gw.id, { name: 'B', slug: 'b' });
    const renamed = await client.aiGateway.updateAgent(agent.id, { slug: 'a-v2', pii_response_mode: 'redact' });
    expect(renamed.agent_url.endsWith('/v1/ai/a-v2')).toBe(true);
    expect(renamed.pii_detokenize_response).toBe(false);
    expect(jsonBody(sentOnce(emu, 'PATCH', `/v1/ai-gateway/agents/${agent.id}`))).toEqual({ slug: 'a-v2', pii_response_mode: 'redact' });
    expect((await client.aiGateway.getAgent(agent.id)).slug).toBe('a-v2');
    expect((await drain(client.aiGateway.iterateAgents(gw.id, { per_page: 1 }))).map((a) => a.slug)).toEqual(['a-v2', 'b']);
    expect(await client.aiGateway.deleteAgent(agent.id)).toEqual({ id: agent.id, status: 'archived' });
    expect((await client.aiGateway.listAgents(gw.id)).data.map((a) => a.slug)).toEqual(['b']);
  });

  it('the server refuses provider together with primary_route_id (400, a typed error, sent once)', async () => {
    const gw = await gateway();
    h.emu.clearRequests();
    const error = await h.client.aiGateway
      .createAgent(gw.id, { name: 'X', slug: 'x', provider: 'openai', primary_route_id: 'c4a1e0f2-0000-4000-8000-000000000001' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KnoxCallError);
    expect(error).toMatchObject({ status: 400 });
    expect(sent(h.emu, 'POST', `/v1/ai-gateway/gateways/${gw.id}/agents`)).toHaveLength(1);
  });
});

describe('aiGateway MCP servers, tools and grants (§16.3)', () => {
  it('allowed_tools: [] reaches the wire; server is read/updated/deleted on the flat path', async () => {
    const { client, emu } = h;
    const gw = await gateway();
    const server = await client.aiGateway.createMcpServer(gw.id, {
      name: 'Tickets',
      slug: 'tickets',
      upstream_url: 'https://mcp.tickets.example/mcp',
      allowed_tools: [],
      pii_inspection: false,
      auth: { headers: { Authorization: SECRET_REF } },
    });
    expect(jsonBody(sentOnce(emu, 'POST', `/v1/ai-gateway/gateways/${gw.id}/mcp-servers`))).toMatchObject({ allowed_tools: [], pii_inspection: false });
    expect(server).toMatchObject({ slug: 'tickets', allowed_tools: [], transport: 'streamable_http', server_type: 'upstream' });
    expect(server.connect_url).not.toBe(server.resource);
    const paused = await client.aiGateway.updateMcpServer(server.id, { status: 'paused', allowed_tools: ['search'] });
    expect(paused).toMatchObject({ status: 'paused', allowed_tools: ['search'] });
    expect((await client.aiGateway.getMcpServer(server.id)).status).toBe('paused');
    expect((await client.aiGateway.listMcpServers(gw.id)).data).toHaveLength(1);
    expect(await drain(client.aiGateway.iterateMcpServers(gw.id))).toHaveLength(1);
    expect(await client.aiGateway.deleteMcpServer(server.id)).toEqual({ id: server.id, status: 'archived' });
  });

  it('a literal credential in auth.headers is refused (422 ValidationError)', async () => {
    const gw = await gateway();
    await expect(
      h.client.aiGateway.createMcpServer(gw.id, {
        name: 'T',
        slug: 't',
        upstream_url: 'https://mcp.example/mcp',
        auth: { headers: { Authorization: 'Bearer sk_live_literal' } },
      }),
    ).rejects.toMatchObject({ name: 'ValidationError', status: 422 });
  });

  it('tool rows upsert by tool_name; enabled: false reaches the wire; delete returns {id, deleted}', async () => {
    const { client, emu } = h;
    const gw = await gateway();
    const server = await client.aiGateway.createMcpServer(gw.id, { name: 'T', slug: 't', upstream_url: 'https://mcp.example/mcp' });
    const first = await client.aiGateway.upsertMcpTool(server.id, { tool_name: 'search', description: 'Find tickets' });
    const again = await client.aiGateway.upsertMcpTool(server.id, { tool_name: 'search', input_schema: { type: 'object' } });
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ description: 'Find tickets', input_schema: { type: 'object' } });
    emu.clearRequests();
    const muted = await client.aiGateway.updateMcpTool(server.id, first.id, { enabled: false });
    expect(muted.enabled).toBe(false);
    expect(jsonBody(sentOnce(emu, 'PATCH', `/v1/ai-gateway/mcp-servers/${server.id}/tools/${first.id}`))).toEqual({ enabled: false });
    expect((await client.aiGateway.listMcpTools(server.id)).data).toHaveLength(1);
    expect(await drain(client.aiGateway.iterateMcpTools(server.id))).toHaveLength(1);
    expect(await client.aiGateway.deleteMcpTool(server.id, first.id)).toEqual({ id: first.id, deleted: true });
  });

  it('grants list, revoke one, revoke all (count)', async () => {
    const { client } = h;
    const gw = await gateway();
    const server = await client.aiGateway.createMcpServer(gw.id, { name: 'T', slug: 't', upstream_url: 'https://mcp.example/mcp' });
    const grants = await client.aiGateway.listMcpGrants(server.id);
    expect(grants.data.length).toBeGreaterThan(0);
    expect(grants.data[0]).not.toHaveProperty('refresh_token');
    const grant = grants.data[0]!;
    expect(await client.aiGateway.revokeMcpGrant(server.id, grant.id)).toEqual({ id: grant.id, status: 'revoked' });
    expect((await drain(client.aiGateway.iterateMcpGrants(server.id)))[0]?.status).toBe('revoked');
    expect(await client.aiGateway.revokeAllMcpGrants(server.id)).toEqual({ id: server.id, revoked: 0 });
  });
});

describe('aiGateway capability tokens (§16.4)', () => {
  it('mint shows the plaintext once; lists never carry it; revoke agent- and gateway-level', async () => {
    const { client, emu } = h;
    const gw = await gateway();
    const agent = await client.aiGateway.createAgent(gw.id, { name: 'A', slug: 'a' });
    const minted = await client.aiGateway.mintToken(agent.id);
    expect(jsonBody(sentOnce(emu, 'POST', `/v1/ai-gateway/agents/${agent.id}/tokens`))).toEqual({});
    expect(minted.token).toEqual(expect.any(String));
    expect(minted.token?.startsWith(minted.prefix ?? '∅')).toBe(true);
    const second = await client.aiGateway.mintToken(agent.id, { name: 'ci', kind: 'read', dpop_required: false, expires_in_seconds: 3600 });
    expect(second).toMatchObject({ name: 'ci', kind: 'read', dpop_required: false });

    const listed = await client.aiGateway.listTokens(agent.id);
    expect(listed.data).toHaveLength(2);
    for (const row of listed.data) expect(row).not.toHaveProperty('token');
    const gatewayLevel = await drain(client.aiGateway.iterateGatewayTokens(gw.id));
    expect(gatewayLevel.map((t) => t.agent_id)).toEqual([agent.id, agent.id]);

    expect(await client.aiGateway.revokeToken(agent.id, minted.id!)).toEqual({ id: minted.id, revoked: true });
    expect(await client.aiGateway.revokeGatewayToken(gw.id, second.id!)).toEqual({ id: second.id, revoked: true });
    const after = await drain(client.aiGateway.iterateTokens(agent.id));
    expect(after.every((t) => t.revoked_at !== null)).toBe(true);
    expect((await client.aiGateway.listGatewayTokens(gw.id)).meta.total).toBe(2);
  });
});

describe('aiGateway firewall policies (§16.5)', () => {
  it('re-using a name creates version N+1; update in place; the test endpoint is a literal path', async () => {
    const { client, emu } = h;
    const rules = [{ name: 'no-ssn', kind: 'regex' as const, pattern: '\\d{3}-\\d{2}-\\d{4}' }];
    const v1 = await client.aiGateway.createFirewallPolicy({ name: 'strict', heuristics: rules, action: 'block' });
    const v2 = await client.aiGateway.createFirewallPolicy({ name: 'strict', canary_enabled: false });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(jsonBody(sent(emu, 'POST', '/v1/ai-gateway/firewall-policies')[1]!)).toEqual({ name: 'strict', canary_enabled: false });
    const updated = await client.aiGateway.updateFirewallPolicy(v1.id, { action: 'warn' });
    expect(updated).toMatchObject({ version: 1, action: 'warn' });
    expect((await client.aiGateway.getFirewallPolicy(v1.id)).heuristics).toEqual(rules);
    expect(await drain(client.aiGateway.iterateFirewallPolicies())).toHaveLength(2);
    expect((await client.aiGateway.listFirewallPolicies()).meta.total).toBe(2);

    const result = await client.aiGateway.testFirewallRules({ text: 'my ssn is 123-45-6789', heuristics: rules });
    expect(result).toEqual({ matched: true, matches: [{ rule: 'no-ssn', span: [10, 21], matched: '123-45-6789' }], skipped: [] });
    sentOnce(emu, 'POST', '/v1/ai-gateway/firewall-policies/test');
    expect((await client.aiGateway.listFirewallPolicies()).meta.total).toBe(2);
  });

  it('a policy attached to an agent cannot be deleted (409 policy_in_use); once detached it can', async () => {
    const { client } = h;
    const policy = await client.aiGateway.createFirewallPolicy({ name: 'p' });
    const gw = await gateway();
    const agent = await client.aiGateway.createAgent(gw.id, { name: 'A', slug: 'a', firewall_policy_id: policy.id });
    const error = await client.aiGateway.deleteFirewallPolicy(policy.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'policy_in_use' });
    await client.aiGateway.updateAgent(agent.id, { firewall_policy_id: null });
    expect(await client.aiGateway.deleteFirewallPolicy(policy.id)).toEqual({ id: policy.id, deleted: true });
  });
});

describe('aiGateway PII policies and recognizers (§16.6)', () => {
  it('recognizer_ids: [] reaches the wire (the widest policy); replaced on update; in-use recognizer delete is a 409', async () => {
    const { client, emu } = h;
    const policy = await client.aiGateway.createPiiPolicy({ name: 'everything', recognizer_ids: [] });
    expect(jsonBody(sentOnce(emu, 'POST', '/v1/ai-gateway/pii-policies'))).toEqual({ name: 'everything', recognizer_ids: [] });
    expect(policy).toMatchObject({ recognizer_ids: [], default_action: 'redact' });

    const recognizer = await client.aiGateway.createPiiRecognizer({ name: 'Employee id', kind: 'regex', pattern: 'EMP-\\d{5}', enabled: false });
    expect(recognizer).toMatchObject({ confidence: 0.85, enabled: false, format: null });
    expect(jsonBody(sentOnce(emu, 'POST', '/v1/ai-gateway/pii-recognizers'))).toMatchObject({ enabled: false });
    const narrowed = await client.aiGateway.updatePiiPolicy(policy.id, { recognizer_ids: [recognizer.id], default_action: 'tokenize' });
    expect(narrowed).toMatchObject({ recognizer_ids: [recognizer.id], default_action: 'tokenize' });
    expect((await client.aiGateway.getPiiPolicy(policy.id)).recognizer_ids).toEqual([recognizer.id]);

    await expect(client.aiGateway.deletePiiRecognizer(recognizer.id)).rejects.toMatchObject({ status: 409, code: 'recognizer_in_use' });
    expect((await client.aiGateway.updatePiiRecognizer(recognizer.id, { enabled: true })).enabled).toBe(true);
    expect((await client.aiGateway.getPiiRecognizer(recognizer.id)).enabled).toBe(true);
    expect(await drain(client.aiGateway.iteratePiiRecognizers())).toHaveLength(1);
    expect((await client.aiGateway.listPiiRecognizers()).meta.total).toBe(1);
    expect(await drain(client.aiGateway.iteratePiiPolicies())).toHaveLength(1);
    expect((await client.aiGateway.listPiiPolicies()).meta.total).toBe(1);

    expect(await client.aiGateway.deletePiiPolicy(policy.id)).toEqual({ id: policy.id, deleted: true });
    expect(await client.aiGateway.deletePiiRecognizer(recognizer.id)).toEqual({ id: recognizer.id, deleted: true });
  });

  it('unknown recognizer ids are a 400 recognizer_not_found', async () => {
    await expect(h.client.aiGateway.createPiiPolicy({ name: 'bad', recognizer_ids: ['nope'] })).rejects.toMatchObject({
      status: 400,
      code: 'recognizer_not_found',
    });
  });

  it('testPiiRecognizer returns spans, replacements and entity types', async () => {
    const result = await h.client.aiGateway.testPiiRecognizer({ pattern: 'EMP-\\d{5}', text: 'ask EMP-12345', name: 'employee', action: 'tokenize' });
    expect(result).toEqual({ matched: true, matches: [{ span: [4, 13], matched: 'EMP-12345', replacement: '<EMPLOYEE_1>', entity_type: 'EMPLOYEE' }] });
    sentOnce(h.emu, 'POST', '/v1/ai-gateway/pii-recognizers/test');
  });
});

describe('aiGateway usage (§16.7)', () => {
  it('usage forwards period/agent_id; exportUsage always adds format=json', async () => {
    const { client, emu } = h;
    const usage = await client.aiGateway.usage({ period: '30d' });
    expect(usage).toEqual({ period_days: 30, by_model: [], totals: { requests: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, unpriced_requests: 0 } });
    expect(sentOnce(emu, 'GET', '/v1/ai-gateway/usage').query).toEqual({ period: '30d' });
    const exported = await client.aiGateway.exportUsage({ group_by: 'tag:team' });
    expect(exported).toMatchObject({ group_by: 'tag:team', rows: [] });
    expect(sentOnce(emu, 'GET', '/v1/ai-gateway/usage/export').query).toEqual({ group_by: 'tag:team', format: 'json' });
  });
});
