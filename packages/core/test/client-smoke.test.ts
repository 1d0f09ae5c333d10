import { startEmulator, type Emulator } from '@knoxcall/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnoxCall } from '../src/index.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

describe('end to end', () => {
  it('request() with an API key', async () => {
    const client = new KnoxCall({ baseUrl: emu.url, apiKey: emu.credentials.apiKey });
    const result = await client.request<{ data: unknown[]; meta: unknown }>({ method: 'GET', path: '/v1/routes' });
    expect(Array.isArray(result.data)).toBe(true);
    const last = emu.requests().at(-1)!;
    expect(last.headers.authorization).toBe(`Bearer ${emu.credentials.apiKey}`);
    expect(last.headers['knoxcall-version']).toBe('2026-08-05');
    const list = await client.routes.list();
    expect(list.meta).toBeDefined();
  });
});
