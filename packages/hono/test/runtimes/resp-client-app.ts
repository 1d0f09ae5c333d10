/**
 * A Worker that drives RedisReplayStore over the remote contract app's RESP client
 * (resp-client.ts) against a real Redis, so that the client the stalled-Redis case relies
 * on is shown to speak Redis on each runtime, not only to wait on it.
 */
import { RedisReplayStore } from '@knoxcall/core/webhooks';
import { respClient } from './resp-client.js';

declare const __REDIS__: string;

export default {
  async fetch(request: Request): Promise<Response> {
    const key = new URL(request.url).searchParams.get('key') ?? 'missing-key';
    const store = new RedisReplayStore({ client: respClient(JSON.parse(__REDIS__) as { host: string; port: number }) });
    try {
      const states = [await store.begin(key, 30), await store.begin(key, 30)];
      await store.release(key);
      states.push(await store.begin(key, 30));
      await store.complete(key, 30);
      await store.release(key); // never removes a done marker
      states.push(await store.begin(key, 30));
      return Response.json({ states });
    } catch (error) {
      return Response.json({ error: String(error) }, { status: 500 });
    }
  },
};
