import { KnoxCallError } from './errors.js';
import { toHeaderBag } from './http/headers.js';
import { ClientBase } from './client/call-machinery.js';

/**
 * `Session`: the client without resource properties, plus a fetch-like `fetch(path, init)`
 * that runs through `request()` (auth, retries, idempotency, typed errors) and answers a
 * synthetic 200 JSON Response of the parsed result (contract transport §1.4).
 */
export class SessionBase extends ClientBase {
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    let body: unknown = init.body ?? undefined;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // not JSON: sent verbatim
      }
    }
    if (typeof path !== 'string') throw new KnoxCallError('Session.fetch() needs a path string such as /v1/routes');
    const result = await this.request<unknown>({
      method: init.method ?? 'GET',
      path,
      body,
      headers: toHeaderBag(init.headers as Parameters<typeof toHeaderBag>[0]),
      signal: init.signal ?? undefined,
    });
    return new Response(JSON.stringify(result ?? null), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }
}
