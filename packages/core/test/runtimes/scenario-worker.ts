/**
 * The Worker for core's client scenarios on other runtimes: it imports core's built Web
 * entry (as a Worker, Deno or Bun user gets it) and runs one scenario per path, answering
 * with JSON the Node test process asserts on. Clients are built at module scope.
 */
import type { KnoxCallOptions } from '../../src/config/options.js';

export function scenarioWorkerSource(options: KnoxCallOptions, refusedUrl: string): string {
  return `import { KnoxCall } from './core/index.js';
const OPTIONS = ${JSON.stringify(options)};
const client = new KnoxCall({ ...OPTIONS, dpop: 'never' });
const dpopClient = new KnoxCall({ ...OPTIONS, dpop: 'always', retry: { maxAttempts: 1 } });
const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

/** A client whose every attempt and retry is counted through the telemetry hooks. */
function counted(extra = {}) {
  const seen = { requests: 0, retries: [] };
  const telemetry = { onRequest: () => void seen.requests++, onRetry: (info) => void seen.retries.push(info.reason) };
  return { seen, client: new KnoxCall({ ...OPTIONS, dpop: 'never', retry: fast, telemetry, ...extra }) };
}
async function failure(promise) {
  try {
    const response = await promise;
    return { resolved: response.status };
  } catch (error) {
    return { name: error?.name, message: String(error?.message) };
  }
}

function json(value, status = 200) {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}
function hex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
const scenarios = {
  async management() {
    const page = await client.routes.list();
    return { slugs: page.data.map((route) => route.slug) };
  },
  async call() {
    const response = await client.call('echo', { method: 'POST', path: '/from-runtime', body: { hello: 'runtime' } });
    return { status: response.status, echoed: await response.json() };
  },
  async 'dpop-management'() {
    const page = await dpopClient.request({ method: 'GET', path: '/v1/routes' });
    return { routes: page.data.length };
  },
  async 'dpop-call'() {
    const response = await dpopClient.call('echo', { path: '/dpop' });
    return { status: response.status };
  },
  // A refused connection is retried even for a POST: nothing can have reached the server.
  async refused() {
    const { seen, client: refusing } = counted({ proxyBaseUrl: ${JSON.stringify(refusedUrl)} });
    const result = await failure(refusing.call('echo', { method: 'POST', path: '/refused', body: 'x' }));
    return { ...result, ...seen };
  },
  // A POST whose connection is reset after the server read it is never sent again. The GET
  // first leaves a keep-alive connection for the POST to reuse (what makes Deno re-send).
  async 'reset-post'() {
    const { seen, client: posting } = counted();
    await (await posting.call('echo', { path: '/warm' })).text();
    seen.requests = 0;
    const result = await failure(posting.call('echo', { method: 'POST', path: '/charge', body: 'x' }));
    return { ...result, ...seen };
  },
  // A GET reset every time: exactly maxAttempts attempts of ours, however often the runtime re-sends underneath.
  async 'reset-get'() {
    const { seen, client: getting } = counted();
    const result = await failure(getting.call('echo', { path: '/flaky' }));
    return { ...result, ...seen };
  },
  async stream() {
    const response = await client.call('echo', { path: '/big' });
    const reader = response.body.getReader();
    const parts = [];
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      bytes += value.byteLength;
    }
    const all = new Uint8Array(bytes);
    let at = 0;
    for (const part of parts) {
      all.set(part, at);
      at += part.byteLength;
    }
    return { status: response.status, bytes, reads: parts.length, sha256: hex(await crypto.subtle.digest('SHA-256', all)) };
  },
};
export default {
  async fetch(request) {
    const name = new URL(request.url).pathname.slice(1);
    const scenario = scenarios[name];
    if (scenario === undefined) return json({ ok: false, error: 'no such scenario: ' + name }, 404);
    try {
      return json({ ok: true, ...(await scenario()) });
    } catch (error) {
      return json({ ok: false, name: error?.name, error: String(error?.message ?? error) }, 500);
    }
  },
};
`;
}
