/**
 * The servers the wrap tests share: the emulator and a real upstream (plus, when asked, a
 * second one nobody lists), started once per file and reset before each test.
 */
import { type Emulator, type EmulatorSeed, type RecordedRequest, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { KnoxCallOptions } from '../src/index.js';
import { startUpstream, type Upstream } from './client-test-support.js';

export interface WrapServers {
  emu: Emulator;
  upstream: Upstream;
  /** Only with `{ second: true }`. */
  other: Upstream;
  /** Client options for the emulator (API key, one attempt per call). */
  options(extra?: KnoxCallOptions): KnoxCallOptions;
  /** The upstream's `host:port`. */
  host(): string;
  /** Requests the emulator received on `/v1/proxy`. */
  proxied(): RecordedRequest[];
}

export function useWrapServers(config: { second?: boolean; seed?: (upstream: Upstream) => EmulatorSeed } = {}): WrapServers {
  const s = {
    options: (extra: KnoxCallOptions = {}) => ({ baseUrl: s.emu.url, apiKey: s.emu.credentials.apiKey, retry: { maxAttempts: 1 }, ...extra }),
    host: () => new URL(s.upstream.url).host,
    proxied: () => s.emu.requests().filter((r) => r.path === '/v1/proxy'),
  } as WrapServers;
  beforeAll(async () => {
    s.upstream = await startUpstream();
    if (config.second) s.other = await startUpstream();
    s.emu = await startEmulator(config.seed ? { seed: config.seed(s.upstream) } : {});
  });
  afterAll(async () => {
    await s.emu?.close();
    await s.upstream?.close();
    await s.other?.close();
  });
  beforeEach(() => {
    s.emu.reset();
    s.emu.clearRequests();
    s.upstream.requests.length = 0;
    if (s.other) s.other.requests.length = 0;
  });
  return s;
}
