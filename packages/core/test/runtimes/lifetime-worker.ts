/**
 * The Worker for the client-lifetime tests: one client built at module scope (as a Worker
 * that reads its credentials from constants would) and one built inside the first request
 * and cached for the next ones (the Hono `clientOptions` pattern). Each route runs a
 * management call and a data-plane call through the proxy with one of them.
 */
import type { KnoxCallOptions } from '../../src/client/options.js';

export function lifetimeWorkerSource(options: KnoxCallOptions, where: 'module' | 'cached'): string {
  return `import { KnoxCall } from './core/index.js';
const OPTIONS = ${JSON.stringify(options)};
${where === 'module' ? 'const client = new KnoxCall(OPTIONS);' : 'let cached;'}
function json(value, status = 200) {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}
export default {
  async fetch(request) {
    ${where === 'module' ? '' : 'const client = (cached ??= new KnoxCall(OPTIONS));'}
    const url = new URL(request.url);
    try {
      if (url.pathname === '/routes') {
        const page = await client.routes.list();
        return json({ ok: true, slugs: page.data.map((route) => route.slug) });
      }
      if (url.pathname === '/call') {
        const response = await client.call('echo', { method: 'POST', path: url.searchParams.get('path') ?? '/', body: 'hi' });
        return json({ ok: true, status: response.status, echoed: await response.json() });
      }
      return json({ ok: false, error: 'no such route' }, 404);
    } catch (error) {
      return json({ ok: false, name: error?.name, error: String(error?.message ?? error) }, 500);
    }
  },
};
`;
}
