import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../src/errors.js';
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

const PUBLISHABLE = { nodes: [{ id: 'n1', type: 'http' }], edges: [] };

describe('workflows (contract resources §17)', () => {
  it('create → get → update → list → iterate → delete', async () => {
    const { client, emu } = h;
    const created = await client.workflows.create({ name: 'nightly', definition: PUBLISHABLE, enabled: true, trigger_config: { cron: '0 3 * * *' } });
    expect(created).toMatchObject({ name: 'nightly', enabled: true, version: 1, definition: PUBLISHABLE });
    expect(created).not.toHaveProperty('meta');
    expect(jsonBody(sentOnce(emu, 'POST', '/v1/workflows'))).toEqual({
      name: 'nightly',
      definition: PUBLISHABLE,
      enabled: true,
      trigger_config: { cron: '0 3 * * *' },
    });

    expect(await client.workflows.get(created.id)).toMatchObject({ id: created.id, name: 'nightly' });

    const updated = await client.workflows.update(created.id, { description: 'runs at 3' });
    expect(updated.description).toBe('runs at 3');
    expect(jsonBody(sentOnce(emu, 'PATCH', `/v1/workflows/${created.id}`))).toEqual({ description: 'runs at 3' });

    await client.workflows.create({ name: 'second', definition: {} });
    await client.workflows.create({ name: 'third', definition: {} });
    const page = await client.workflows.list({ per_page: 2 });
    expect(page.meta).toMatchObject({ total: 3, page: 1, per_page: 2, total_pages: 2 });
    expect(page.data[0]).toMatchObject({ name: 'nightly', run_count: 0 });

    emu.clearRequests();
    const all = await drain(client.workflows.iterate({ per_page: 2 }));
    expect(all.map((w) => w.name)).toEqual(['nightly', 'second', 'third']);
    expect(sent(emu, 'GET', '/v1/workflows').map((r) => r.query)).toEqual([
      { page: '1', per_page: '2' },
      { page: '2', per_page: '2' },
    ]);

    expect(await client.workflows.delete(created.id)).toEqual({ id: created.id, deleted: true });
    await expect(client.workflows.get(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it('reports the server value of `enabled`: an unpublishable definition is stored disabled', async () => {
    const wf = await h.client.workflows.create({ name: 'draft', definition: { nodes: [] }, enabled: true });
    expect(wf.enabled).toBe(false);
    expect(wf.published_at).toBeNull();
  });

  it('enabling an unpublishable definition is a 422 ValidationError `invalid_definition`, sent once', async () => {
    const { client, emu } = h;
    const wf = await client.workflows.create({ name: 'draft', definition: {} });
    emu.clearRequests();
    const error = await client.workflows.update(wf.id, { enabled: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ status: 422, code: 'invalid_definition' });
    expect(sent(emu, 'PATCH', `/v1/workflows/${wf.id}`)).toHaveLength(1);
    // With a publishable definition in the same update it goes live.
    expect((await client.workflows.update(wf.id, { enabled: true, definition: PUBLISHABLE })).enabled).toBe(true);
  });

  it('execute sends {"input": null} when no input is given, and the input verbatim otherwise', async () => {
    const { client, emu } = h;
    const wf = await client.workflows.create({ name: 'w', definition: PUBLISHABLE, enabled: true });
    emu.clearRequests();
    const run = await client.workflows.execute(wf.id);
    expect(run).toMatchObject({ workflow_id: wf.id, status: 'queued' });
    const request = sentOnce(emu, 'POST', `/v1/workflows/${wf.id}/execute`);
    expect(request.body).toBe('{"input":null}');
    expect(request.headers['x-idempotency-key']).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

    await client.workflows.execute(wf.id, { order: 7 });
    expect(jsonBody(sent(emu, 'POST', `/v1/workflows/${wf.id}/execute`)[1]!)).toEqual({ input: { order: 7 } });
    await client.workflows.execute(wf.id, false);
    expect(jsonBody(sent(emu, 'POST', `/v1/workflows/${wf.id}/execute`)[2]!)).toEqual({ input: false });
  });

  it('execute is idempotent per key: replaying the key returns the same execution', async () => {
    const { client } = h;
    const wf = await client.workflows.create({ name: 'w', definition: PUBLISHABLE, enabled: true });
    const first = await client.workflows.execute(wf.id, { n: 1 }, { idempotencyKey: 'run-2026-11-28' });
    const replay = await client.workflows.execute(wf.id, { n: 1 }, { idempotencyKey: 'run-2026-11-28' });
    const other = await client.workflows.execute(wf.id, { n: 1 });
    expect(replay.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    const executions = await client.workflows.listExecutions(wf.id);
    expect(executions.meta.total).toBe(2);
    expect((await client.workflows.list()).data[0]?.run_count).toBe(2);
  });

  it('executions: list and iterate on the workflow, get and cancel on the flat path', async () => {
    const { client, emu } = h;
    const wf = await client.workflows.create({ name: 'w', definition: PUBLISHABLE, enabled: true });
    const runs = [await client.workflows.execute(wf.id), await client.workflows.execute(wf.id), await client.workflows.execute(wf.id)];
    const listed = await drain(client.workflows.iterateExecutions(wf.id, { per_page: 2 }));
    expect(listed.map((e) => e.id)).toEqual(runs.map((r) => r.id));
    expect(listed[0]).not.toHaveProperty('node_executions');

    const execution = await client.workflows.getExecution(runs[0]!.id);
    expect(execution).toMatchObject({ id: runs[0]!.id, workflow_id: wf.id, status: 'queued', trigger_type: 'api' });
    expect(Array.isArray(execution.node_executions)).toBe(true);
    sentOnce(emu, 'GET', `/v1/workflows/executions/${runs[0]!.id}`);

    emu.clearRequests();
    expect(await client.workflows.cancelExecution(runs[0]!.id)).toEqual({ id: runs[0]!.id, status: 'cancelling' });
    const cancel = sentOnce(emu, 'POST', `/v1/workflows/executions/${runs[0]!.id}/cancel`);
    expect(cancel.body).toBe('');
    expect(cancel.headers).not.toHaveProperty('content-type');
    expect((await client.workflows.getExecution(runs[0]!.id)).status).toBe('cancelling');
  });

  it('percent-encodes ids as one segment', async () => {
    const { client, emu } = h;
    await expect(client.workflows.get('a/b c')).rejects.toMatchObject({ status: 404 });
    sentOnce(emu, 'GET', '/v1/workflows/a%2Fb%20c');
  });
});
