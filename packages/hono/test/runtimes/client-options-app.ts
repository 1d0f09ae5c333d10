/**
 * The README's per-credential pattern as a Worker: `knoxCall({ clientOptions: (c) => … })`
 * builds the client inside the first request and keeps it for later ones (issue 19.1: on
 * workerd that client used to fail from the second request).
 */
import type { KnoxCallOptions } from '@knoxcall/core';
import { Hono } from 'hono';
import { getKnox, knoxCall } from '../../src/index.js';

declare const __CLIENT_OPTIONS__: string;

const app = new Hono();
app.use(knoxCall({ clientOptions: () => JSON.parse(__CLIENT_OPTIONS__) as KnoxCallOptions }));
app.get('/routes', async (c) => {
  try {
    const page = await getKnox(c).routes.list();
    return c.json({ ok: true, listed: Array.isArray(page.data) });
  } catch (error) {
    return c.json({ ok: false, error: String((error as Error).message) }, 500);
  }
});
export default app;
