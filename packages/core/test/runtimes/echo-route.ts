import { type Emulator, type EmulatorOptions, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll } from 'vitest';
import { startUpstream, type Upstream } from '../client-test-support.js';

/**
 * For the enclosing file: an upstream in this process and an emulator with one route, `echo`,
 * to it (what the runtime scenarios call), started before and stopped after every test.
 */
export function useEchoRoute(options: EmulatorOptions = {}): { readonly emu: Emulator; readonly upstream: Upstream } {
  let emu: Emulator | undefined;
  let upstream: Upstream | undefined;
  beforeAll(async () => {
    upstream = await startUpstream();
    emu = await startEmulator({ ...options, seed: { routes: [{ name: 'Echo', slug: 'echo', target_base_url: upstream.url }] } });
  });
  afterAll(async () => {
    await emu?.close();
    await upstream?.close();
  });
  return {
    get emu(): Emulator {
      if (emu === undefined) throw new Error('the emulator has not started');
      return emu;
    },
    get upstream(): Upstream {
      if (upstream === undefined) throw new Error('the upstream has not started');
      return upstream;
    },
  };
}
