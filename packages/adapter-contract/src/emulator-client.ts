import { KnoxCall, type KnoxCallOptions } from '@knoxcall/core';
import { type Emulator, startEmulator } from '@knoxcall/testing';

/** A running emulator and a client of it; `close()` closes the client, then the emulator. */
export interface EmulatorClient<C extends KnoxCall = KnoxCall> {
  emulator: Emulator;
  client: C;
  /** The options `client` was built from (for an app in another process to build its own). */
  options: KnoxCallOptions;
  close(): Promise<void>;
}

/**
 * Starts an unseeded emulator and a client of it with its API key and a single attempt per
 * call (so a scripted failure surfaces as that failure, not a retry). `create` builds the
 * client from those options — a test passes its own KnoxCall subclass here (one that counts
 * views, say). Framework-neutral: adapter tests build their apps around the returned client.
 */
export async function startEmulatorClient<C extends KnoxCall = KnoxCall>(
  create: (options: KnoxCallOptions) => C = (options) => new KnoxCall(options) as C,
): Promise<EmulatorClient<C>> {
  const emulator = await startEmulator();
  const options: KnoxCallOptions = {
    baseUrl: emulator.url,
    proxyBaseUrl: emulator.proxyUrl,
    apiKey: emulator.credentials.apiKey,
    retry: { maxAttempts: 1 },
  };
  const client = create(options);
  return {
    emulator,
    client,
    options,
    async close() {
      await client.close();
      await emulator.close();
    },
  };
}
