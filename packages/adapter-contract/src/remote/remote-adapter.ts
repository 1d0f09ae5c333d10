import type { AdapterUnderTest, ContractCaseId } from '../types.js';
import type { ControlServer } from './control-server.js';

/**
 * An AdapterUnderTest whose apps are served by one long-running process on another runtime
 * (see packages/hono/test/runtimes/): that process serves app `<id>` under `/apps/<id>/`,
 * building it on its first request from the control server's `apps/<id>/config`. Starting an
 * app is only registering its configuration, so the whole contract suite needs one process.
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
      const id = options.control().register(config);
      return { url: `${options.origin()}/apps/${id}`, close: async () => {} };
    },
  };
}
