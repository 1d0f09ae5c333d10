import { afterAll, beforeAll } from 'vitest';
import type { AdapterUnderTest, ContractAppConfig, RunningApp } from './types.js';

/** Starts one app for the enclosing `describe` and stops it afterwards. */
export function useApp(adapter: AdapterUnderTest, config: () => ContractAppConfig | Promise<ContractAppConfig>): { readonly url: string } {
  let app: RunningApp | undefined;
  beforeAll(async () => {
    app = await adapter.start(await config());
  });
  afterAll(async () => {
    await app?.close();
  });
  return {
    get url(): string {
      if (app === undefined) throw new Error(`${adapter.name}: the contract app did not start`);
      return app.url;
    },
  };
}
