import type { AdapterUnderTest, ContractCaseId } from '../types.js';
import type { ControlServer } from './control-server.js';
import { describeAppConfig } from './protocol.js';

/**
 * An AdapterUnderTest whose apps are served by one long-running process on another runtime
 * (see packages/hono/test/runtimes/): that process serves app `<id>` under `/apps/<id>/`,
 * built from the control server's `apps/<id>/config`. The whole contract suite needs one
 * process: starting an app registers its configuration, then has the process build it at
 * once (`POST /apps/<id>`, answered 204, or 500 `{ error }` with the message the app's
 * construction threw on that runtime), so a misconfigured app fails `start()` as it does
 * in-process, rather than on its first delivery.
 */
export function remoteAdapter(options: {
  name: string;
  /** The serving process's origin. */
  origin: () => string;
  control: () => ControlServer;
  skip?: Partial<Record<ContractCaseId, string>>;
}): AdapterUnderTest {
  return {
    name: options.name,
    ...(options.skip ? { skip: options.skip } : {}),
    async start(config) {
      describeAppConfig(config); // a case with no remote form fails here, with the field to add
      const id = options.control().register(config);
      const url = `${options.origin()}/apps/${id}`;
      const built = await fetch(url, { method: 'POST' });
      if (!built.ok) {
        const text = await built.text();
        let message = text;
        try {
          message = String((JSON.parse(text) as { error?: unknown }).error ?? text);
        } catch {
          // not JSON: the serving process failed before the app did; its text says how
        }
        throw new Error(`${options.name}: the app failed to build (${built.status}): ${message}`);
      }
      return { url, close: async () => {} };
    },
  };
}
