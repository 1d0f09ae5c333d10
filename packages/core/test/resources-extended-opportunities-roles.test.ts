import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../src/errors.js';
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

describe('opportunities (contract resources §18)', () => {
  it('list returns the page; iterate re-sends status on every page', async () => {
    const { client, emu } = h;
    const page = await client.opportunities.list({ status: 'pending', per_page: 2 });
    expect(page.meta).toMatchObject({ page: 1, per_page: 2 });
    expect(page.data.every((o) => o.status === 'pending')).toBe(true);
    expect(sentOnce(emu, 'GET', '/v1/opportunities').query).toEqual({ status: 'pending', per_page: '2' });

    emu.clearRequests();
    const all = await drain(client.opportunities.iterate({ status: 'pending', per_page: 2 }));
    expect(all.length).toBe(page.meta.total);
    const queries = sent(emu, 'GET', '/v1/opportunities').map((r) => r.query);
    expect(queries.length).toBeGreaterThan(1);
    expect(queries).toEqual(queries.map((_q, i) => ({ status: 'pending', per_page: '2', page: String(i + 1) })));
  });

  it('accept with no input sends {} and promotes the suggestion to a real route', async () => {
    const { client, emu } = h;
    const [opportunity] = (await client.opportunities.list({ status: 'pending' })).data;
    const accepted = await client.opportunities.accept(opportunity!.id);
    expect(jsonBody(sentOnce(emu, 'POST', `/v1/opportunities/${opportunity!.id}/accept`))).toEqual({});
    expect(accepted).toMatchObject({
      opportunity_id: opportunity!.id,
      route: { id: expect.any(String), name: opportunity!.service },
      collection_id: expect.any(String),
    });
    const route = await client.routes.get(accepted.route.id);
    expect(route.name).toBe(opportunity!.service);
    const onboarded = (await client.opportunities.list({ status: 'onboarded' })).data;
    expect(onboarded).toEqual([expect.objectContaining({ id: opportunity!.id, accepted_route_id: accepted.route.id })]);
  });

  it('accept sends only the given fields', async () => {
    const { client, emu } = h;
    const [opportunity] = (await client.opportunities.list()).data;
    const accepted = await client.opportunities.accept(opportunity!.id, {
      collection_name: 'Payments',
      environment: 'staging',
      header_name: 'X-Api-Key',
      value_prefix: '',
    });
    expect(jsonBody(sentOnce(emu, 'POST', `/v1/opportunities/${opportunity!.id}/accept`))).toEqual({
      collection_name: 'Payments',
      environment: 'staging',
      header_name: 'X-Api-Key',
      value_prefix: '',
    });
    expect(accepted.environment).toBe('staging');
  });

  it('dismiss sends no body; acting twice is a 409', async () => {
    const { client, emu } = h;
    const [opportunity] = (await client.opportunities.list()).data;
    expect(await client.opportunities.dismiss(opportunity!.id)).toEqual({ opportunity_id: opportunity!.id, status: 'dismissed' });
    const request = sentOnce(emu, 'POST', `/v1/opportunities/${opportunity!.id}/dismiss`);
    expect(request.body).toBe('');
    expect(request.headers).not.toHaveProperty('content-type');
    await expect(client.opportunities.dismiss(opportunity!.id)).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('roles (contract resources §7)', () => {
  it('list forwards subject_kind; iterate walks every page', async () => {
    const { client, emu } = h;
    const keyRoles = await client.roles.list({ subject_kind: 'api_key' });
    expect(sentOnce(emu, 'GET', '/v1/roles').query).toEqual({ subject_kind: 'api_key' });
    expect(keyRoles.data.length).toBeGreaterThan(0);
    expect(keyRoles.data.every((r) => r.applies_to.includes('api_key'))).toBe(true);
    expect(keyRoles.data.filter((r) => r.seeded).map((r) => r.name)).toEqual(['Key — Invoke', 'Key — Read-only', 'Key — Editor', 'Key — Infrastructure']);

    emu.clearRequests();
    const every = await drain(client.roles.iterate({ per_page: 2 }));
    expect(every.length).toBe((await client.roles.list()).meta.total);
    expect(sent(emu, 'GET', '/v1/roles')[0]?.query).toEqual({ page: '1', per_page: '2' });
  });
});
