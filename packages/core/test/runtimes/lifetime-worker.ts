/**
 * The Worker for the client-lifetime tests: one client built at module scope from the
 * Worker's bindings (`import { env } from 'cloudflare:workers'`, as the README shows) and one
 * built inside the first request and cached for the next ones (the Hono `clientOptions`
 * pattern). Each route runs a management call and a data-plane call through the proxy.
 */

/** The bindings the Worker reads its options from. */
export interface LifetimeBindings extends Record<string, string> {
  KNOXCALL_BASE_URL: string;
  KNOXCALL_CLIENT_ID: string;
  KNOXCALL_CLIENT_SECRET: string;
}

export function lifetimeWorkerSource(where: 'module' | 'cached'): string {
  return `import { env } from 'cloudflare:workers';
import { KnoxCall } from './core/index.js';
const options = () => ({ baseUrl: env.KNOXCALL_BASE_URL, clientId: env.KNOXCALL_CLIENT_ID, clientSecret: env.KNOXCALL_CLIENT_SECRET });
${where === 'module' ? 'const client = new KnoxCall(options());' : 'let cached;'}
function json(value, status = 200) {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}
export default {
  async fetch(request) {
    ${where === 'module' ? '' : 'const client = (cached ??= new KnoxCall(options()));'}
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
