import type { ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnoxCall } from '../src/index.js';
import { startUpstream, type Upstream } from './client-test-support.js';

// call() hands the raw Response to the caller, so the caller's signal and close() must still
// reach a body that is being read after call() resolved. Each attempt follows those signals
// through one controller (transport/response-signal.ts) instead of AbortSignal.any; these
// tests pin the behaviour a user relies on: an abort stops a stalled body read.
//
// The emulator buffers upstream answers whole, so it cannot hold a body half-sent; the
// "proxy" here is a real local HTTP server given as proxyBaseUrl (a self-hosted proxy base),
// which sends its headers and a first chunk and then stalls.

let emu: Emulator;
let upstream: Upstream;
const stalled: ServerResponse[] = [];
beforeAll(async () => {
  upstream = await startUpstream();
  // Sends the headers and a first chunk, then never finishes the body.
  upstream.handle('/stall', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first chunk;');
    stalled.push(res);
  });
  emu = await startEmulator();
});
afterAll(async () => {
  for (const res of stalled) res.destroy();
  await emu.close();
  await upstream.close();
});

function client(): KnoxCall {
  return new KnoxCall({ baseUrl: emu.url, proxyBaseUrl: upstream.url, apiKey: emu.credentials.apiKey, timeout: 60_000 });
}

async function firstChunkThenRest(response: Response): Promise<{ first: string; rest: Promise<unknown> }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const { value } = await reader.read();
  const rest = (async () => {
    for (;;) {
      const next = await reader.read();
      if (next.done) return 'ended';
    }
  })();
  return { first: new TextDecoder().decode(value), rest };
}

describe('a returned data-plane body stays tied to the call', () => {
  it('close() aborts a body read that is in progress after call() resolved', async () => {
    const c = client();
    const response = await c.call('stall', { path: '/stall' });
    expect(response.status).toBe(200);
    const { first, rest } = await firstChunkThenRest(response);
    expect(first).toBe('first chunk;');
    await c.close();
    await expect(rest).rejects.toMatchObject({ code: 'client_closed' });
  });

  it('close() still reaches a returned body after a full garbage collection', async () => {
    // Nothing but the body's signal keeps its attempt controller alive once call() has
    // returned; if that edge were lost, a GC would leave close() nothing to abort.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const c = client();
    const response = await c.call('stall', { path: '/stall' });
    const { first, rest } = await firstChunkThenRest(response);
    expect(first).toBe('first chunk;');
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await c.close();
    await expect(rest).rejects.toMatchObject({ code: 'client_closed' });
  });

  it("the caller's signal aborts a body read in progress (per call and through a view)", async () => {
    const c = client();
    const perCall = new AbortController();
    const response = await c.call('stall', { path: '/stall', signal: perCall.signal });
    const read = await firstChunkThenRest(response);
    perCall.abort(new Error('caller gave up'));
    await expect(read.rest).rejects.toThrow('caller gave up');

    const viewSignal = new AbortController();
    const viewResponse = await c.withOptions({ signal: viewSignal.signal }).call('stall', { path: '/stall' });
    const viewRead = await firstChunkThenRest(viewResponse);
    viewSignal.abort(new Error('request ended'));
    await expect(viewRead.rest).rejects.toThrow('request ended');
    await c.close();
  });

  it('many calls (data plane and management) on one long-lived signal add no abort listeners to it', async () => {
    const c = client();
    const appSignal = new AbortController();
    const view = c.withOptions({ signal: appSignal.signal });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 30; i++) {
        const response = await view.call('stall', { path: '/stall' });
        await response.body?.cancel();
      }
      // The management pipeline follows the same view signal for each whole call.
      await Promise.all(Array.from({ length: 30 }, () => view.request({ method: 'GET', path: '/v1/routes' })));
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    // Node warns (MaxListenersExceededWarning) past 10 listeners on one EventTarget.
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    await c.close();
  });
});
