import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scopedClientOptions } from '../src/adapter/index.js';
import { KnoxCall } from '../src/index.js';

// withOptions copies a plain header record with its own loop (the per-request path of every
// adapter) and every other shape through toHeaderBag. Whatever the shape, the emulator must
// see the same headers: names lower-cased, undefined values dropped, the last of two names
// equal but for case winning, and a view of a view merging over its parent's.

let emu: Emulator;
let client: KnoxCall;
beforeAll(async () => {
  emu = await startEmulator();
  client = new KnoxCall({ baseUrl: emu.url, apiKey: emu.credentials.apiKey, retry: { maxAttempts: 1 } });
});
afterAll(async () => {
  await client?.close();
  await emu?.close();
});
beforeEach(() => emu.clearRequests());

async function sentHeaders(view: KnoxCall): Promise<Record<string, string>> {
  emu.clearRequests();
  await view.routes.list();
  const [seen] = emu.requests().filter((r) => r.path === '/v1/routes');
  return seen!.headers;
}

describe('view headers', () => {
  it('are the same for a plain record, a null-prototype record, a Headers and a pair list', async () => {
    const nullProto = Object.assign(Object.create(null) as Record<string, string | undefined>, { 'X-Trace': 't1', 'x-user': 'u1' });
    const shapes = [
      { 'X-Trace': 't1', 'x-user': 'u1', 'x-dropped': undefined },
      nullProto,
      new Headers({ 'X-Trace': 't1', 'x-user': 'u1' }),
      [
        ['X-Trace', 't1'],
        ['x-user', 'u1'],
      ] as Array<[string, string]>,
    ];
    for (const headers of shapes) {
      const sent = await sentHeaders(client.withOptions({ headers: headers as Record<string, string> }));
      expect(sent['x-trace']).toBe('t1');
      expect(sent['x-user']).toBe('u1');
      expect(sent).not.toHaveProperty('x-dropped');
    }
  });

  it('let the last of two names equal but for case win, and merge a child view over its parent', async () => {
    const parent = client.withOptions({ headers: { 'X-A': 'first', 'x-a': 'second', 'x-keep': 'p' } });
    expect((await sentHeaders(parent))['x-a']).toBe('second');
    const child = parent.withOptions({ headers: { 'X-A': 'child' } });
    const sent = await sentHeaders(child);
    expect(sent['x-a']).toBe('child');
    expect(sent['x-keep']).toBe('p');
  });

  it("carry an adapter's forwarded headers, copied: changing the options afterwards does not reach the view", async () => {
    const options = scopedClientOptions({ traceparent: '00-abc-def-01', 'x-request-id': 'rid', cookie: 'no' }, undefined);
    const view = client.withOptions(options);
    (options.headers as Record<string, string>)['x-request-id'] = 'changed';
    (options.headers as Record<string, string>)['x-late'] = 'late';
    const sent = await sentHeaders(view);
    expect(sent.traceparent).toBe('00-abc-def-01');
    expect(sent['x-request-id']).toBe('rid');
    expect(sent).not.toHaveProperty('x-late');
    expect(sent).not.toHaveProperty('cookie');
    // With requestOptions' headers on top (their case kept in the options), the view lower-cases them.
    const custom = scopedClientOptions({ 'x-request-id': 'incoming' }, { headers: { 'X-Request-Id': 'mine', 'X-User': 'u1' } });
    const sentCustom = await sentHeaders(client.withOptions(custom));
    expect(sentCustom['x-request-id']).toBe('mine');
    expect(sentCustom['x-user']).toBe('u1');
  });
});
