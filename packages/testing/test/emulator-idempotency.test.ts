import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { mgmt } from './support/http.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const create = (key: string, name = 'idem') =>
  mgmt(emu, '/v1/routes', { method: 'POST', headers: { 'x-idempotency-key': key }, json: { name, target_base_url: 'http://127.0.0.1:1' } });

describe('server-side idempotency', () => {
  it('replays the first response for a repeated key and creates nothing new', async () => {
    const first = await create('01HZZZZZZZZZZZZZZZZZZZZZZA');
    const second = await create('01HZZZZZZZZZZZZZZZZZZZZZZA');
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await mgmt(emu, '/v1/routes')).body.meta.total).toBe(1);
  });

  it('treats different keys as different requests', async () => {
    await create('key-one');
    await create('key-two');
    expect((await mgmt(emu, '/v1/routes')).body.meta.total).toBe(2);
  });

  it('replays an error answer too', async () => {
    const bad = () => mgmt(emu, '/v1/routes', { method: 'POST', headers: { 'x-idempotency-key': 'bad-key' }, json: { name: 'x' } });
    const a = await bad();
    const b = await bad();
    expect(a.status).toBe(422);
    expect(b.status).toBe(422);
    expect(b.body).toEqual(a.body);
  });

  it('answers a concurrent duplicate with 409 request_in_progress', async () => {
    emu.script('POST', '/v1/routes', [{ delayMs: 200 }]);
    const [a, b] = await Promise.all([
      create('concurrent-key'),
      new Promise<Awaited<ReturnType<typeof create>>>((resolve) => setTimeout(() => resolve(create('concurrent-key')), 50)),
    ]);
    // Whichever arrived first is served (after the scripted delay); the other is refused.
    const [first, second] = a.status === 201 ? [a, b] : [b, a];
    expect(first.status).toBe(201);
    expect(second.status).toBe(409);
    expect(second.body.error.type).toBe('request_in_progress');
    expect((await mgmt(emu, '/v1/routes')).body.meta.total).toBe(1);
    // After the first finishes, the key replays.
    expect((await create('concurrent-key')).body).toEqual(first.body);
  });

  it('refuses a key reused on a different endpoint with 422', async () => {
    await create('shared-key');
    const other = await mgmt(emu, '/v1/routes/nope', { method: 'DELETE', headers: { 'x-idempotency-key': 'shared-key' } });
    expect(other.status).toBe(422);
    expect(other.body.error.type).toBe('idempotency_key_reused');
  });

  it('does not remember a scripted failure, so a retry with the same key really runs', async () => {
    emu.script('POST', '/v1/routes', [{ status: 503 }]);
    expect((await create('retry-key')).status).toBe(503);
    expect((await create('retry-key')).status).toBe(201);
    expect((await mgmt(emu, '/v1/routes')).body.meta.total).toBe(1);
  });

  it('forgets keys on reset()', async () => {
    await create('reset-key');
    emu.reset();
    expect((await create('reset-key')).headers.get('idempotent-replayed')).toBeNull();
  });
});
