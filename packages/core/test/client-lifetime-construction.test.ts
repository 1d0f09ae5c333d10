import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KnoxCall as NodeKnoxCall } from '../src/index.js';
import { KnoxCall as WebKnoxCall } from '../src/index.web.js';

// Issue 19.1, at the Node level: on Cloudflare Workers an AbortController belongs to the
// request that made it (and cannot be made at module scope at all), so building a client
// must make none — the lifetime is a flag, and calls make their signals themselves. The
// real-workerd proof is test/runtimes/workerd-lifetime.test.ts; this one runs everywhere.

const Original = globalThis.AbortController;
let constructed = 0;
class CountingAbortController extends Original {
  constructor() {
    super();
    constructed += 1;
  }
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
afterEach(() => {
  globalThis.AbortController = Original;
});

/** Counts AbortControllers made while `work` runs. */
async function countControllers(work: () => unknown): Promise<number> {
  constructed = 0;
  globalThis.AbortController = CountingAbortController;
  try {
    await work();
  } finally {
    globalThis.AbortController = Original;
  }
  return constructed;
}

describe.each([
  ['Node build', NodeKnoxCall],
  ['Web build', WebKnoxCall],
] as const)('%s', (_name, KnoxCall) => {
  const options = () => ({ baseUrl: emu.url, clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret });

  it('constructing a client, a view and a route handle makes no AbortController', async () => {
    const made = await countControllers(() => {
      const client = new KnoxCall(options());
      client.withOptions({ timeout: 1_000 });
      client.route('echo');
    });
    expect(made).toBe(0);
  });

  it('the counter sees the controllers a call makes (so the zero above is meaningful)', async () => {
    const client = new KnoxCall(options());
    const made = await countControllers(() => client.routes.list());
    expect(made).toBeGreaterThan(0);
    await client.close();
  });

  it('close() still aborts a call in flight and refuses new ones', async () => {
    const client = new KnoxCall(options());
    const pending = client.routes.list();
    await client.close();
    await expect(pending).rejects.toMatchObject({ code: 'client_closed' });
    await expect(client.routes.list()).rejects.toMatchObject({ code: 'client_closed' });
  });
});
