import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/errors.js';
import { drain, type Harness, sent, sentOnce, startHarness } from './resources-extended-support.js';

/**
 * The request-log feed over real proxied traffic: an upstream on 127.0.0.1 answers with the
 * status named in its path, the emulator's data plane proxies to it (and logs each call),
 * and `client.logs` reads the feed back.
 */
let upstream: Server;
let h: Harness;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const status = Number(/\/status\/(\d{3})/.exec(req.url ?? '')?.[1] ?? 200);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  h = await startHarness({
    seed: {
      routes: [
        { name: 'Billing', slug: 'billing', target_base_url: target },
        { name: 'Search', slug: 'search', target_base_url: target },
      ],
    },
  });
});
afterAll(async () => {
  await h.emu.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});
beforeEach(() => {
  h.emu.reset();
  h.emu.clearRequests();
});

/** One proxied call through the emulator's data plane; returns its X-Request-Id. */
async function proxied(route: string, status = 200): Promise<string> {
  const res = await fetch(`${h.emu.proxyUrl}/status/${status}`, {
    headers: { authorization: `Bearer ${h.emu.credentials.apiKey}`, 'x-knoxcall-route': route },
  });
  await res.text();
  const id = res.headers.get('x-request-id');
  if (!id) throw new Error('the data plane answered without X-Request-Id');
  return id;
}

describe('logs (contract resources §11, transport §4.4)', () => {
  it('list returns the whole cursor page with the feed meta, identity tier withheld', async () => {
    const ids = [await proxied('billing'), await proxied('billing', 404), await proxied('search')];
    const page = await h.client.logs.list({ limit: 2 });
    expect(page.data.map((r) => r.request_id)).toEqual(ids.slice(0, 2));
    expect(page.meta).toMatchObject({ limit: 2, delivery: 'at_least_once', dedupe_on: 'request_id', _redacted: ['identity'] });
    expect(typeof page.meta.next_cursor).toBe('string');
    const row = page.data[0]!;
    expect(row).toMatchObject({ method: 'GET', status_code: 200, path: '/status/200', environment: expect.any(String) });
    expect(typeof row.id).toBe('string');
    expect(row.id).toMatch(/^\d+$/);
    // Identity-tier members are ABSENT, not null, without log:read_identity.
    expect(row).not.toHaveProperty('src_ip');
    expect(row).not.toHaveProperty('matched_client_id');
    expect(row).not.toHaveProperty('identification_method');
    expect(sentOnce(h.emu, 'GET', '/v1/logs').query).toEqual({ limit: '2' });
  });

  it('iterate follows next_cursor verbatim until it is null', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await proxied(i % 2 === 0 ? 'billing' : 'search'));
    const rows = await drain(h.client.logs.iterate({ limit: 2 }));
    // Every row exactly once; feed ids ascend (calls on two routes in the same millisecond
    // may be numbered in either order, which the at-least-once keyset contract allows).
    expect(rows.map((r) => r.request_id).sort()).toEqual([...ids].sort());
    const feedIds = rows.map((r) => Number(r.id));
    expect(feedIds).toEqual([...feedIds].sort((a, b) => a - b));
    const queries = sent(h.emu, 'GET', '/v1/logs').map((r) => r.query);
    expect(queries).toHaveLength(3);
    expect(queries[0]).toEqual({ limit: '2' });
    expect(queries[1]).toEqual({ limit: '2', cursor: rows[1]!.cursor });
    expect(queries[2]).toEqual({ limit: '2', cursor: rows[3]!.cursor });
  });

  it('null next_cursor means drained to the watermark: a later call with the last cursor sees new rows', async () => {
    await proxied('billing');
    const first = await drain(h.client.logs.iterate());
    const last = first.at(-1)!;
    const newer = await proxied('search');
    const resumed = await h.client.logs.list({ cursor: last.cursor! });
    expect(resumed.data.map((r) => r.request_id)).toEqual([newer]);
    expect(resumed.meta.next_cursor).toBeNull();
  });

  it('filters by route_id and status_code on every page', async () => {
    await proxied('billing');
    await proxied('billing', 500);
    await proxied('search', 500);
    const billing = await h.client.routes.get('billing');
    const rows = await drain(h.client.logs.iterate({ route_id: billing.id, status_code: 500, limit: 1 }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ route_id: billing.id, status_code: 500 });
    for (const q of sent(h.emu, 'GET', '/v1/logs').map((r) => r.query)) {
      expect(q).toMatchObject({ route_id: billing.id, status_code: '500', limit: '1' });
    }
  });

  it('get and proof read one row by its X-Request-Id; a proof is a 200 whose outcome is in its fields', async () => {
    const id = await proxied('billing', 201);
    expect(await h.client.logs.get(id)).toMatchObject({ request_id: id, status_code: 201 });
    const proof = await h.client.logs.proof(id);
    expect(proof).toMatchObject({ request_id: id, anchored: false, verified: false, reason: 'not_yet_anchored' });
    expect(proof).not.toHaveProperty('proof');
    expect(proof.verification?.leaf_fields).toHaveLength(12);
    sentOnce(h.emu, 'GET', `/v1/logs/${id}/proof`);
  });

  it('percent-encodes the request id and maps a missing row to NotFoundError', async () => {
    await expect(h.client.logs.get('req 1/x')).rejects.toBeInstanceOf(NotFoundError);
    sentOnce(h.emu, 'GET', '/v1/logs/req%201%2Fx');
  });
});
