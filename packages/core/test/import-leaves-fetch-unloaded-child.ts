// Child of import-leaves-fetch-unloaded.test.ts: imports the SDK, makes a client, and says
// whether Node's fetch implementation (undici) was loaded — it registers the process's global
// dispatcher under this symbol when it loads.
import { KnoxCall } from '../src/index.js';

const client = new KnoxCall({ baseUrl: 'http://127.0.0.1:9', apiKey: 'kc_test_key' });
const loaded = (globalThis as Record<symbol, unknown>)[Symbol.for('undici.globalDispatcher.1')] !== undefined;
process.stdout.write(JSON.stringify({ loaded, client: typeof client.call }));
