/**
 * Shared set-up of the extended-catalogue behaviour tests: a real emulator over HTTP and a
 * real `KnoxCall` client pointed at it, plus readers for the emulator's request log.
 */
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { KnoxCall } from '../src/index.js';

export interface Harness {
  emu: Emulator;
  client: KnoxCall;
}

export async function startHarness(options: Parameters<typeof startEmulator>[0] = {}): Promise<Harness> {
  const emu = await startEmulator(options);
  const client = new KnoxCall({ baseUrl: emu.url, apiKey: emu.credentials.apiKey });
  return { emu, client };
}

export type Recorded = ReturnType<Emulator['requests']>[number];

/** Requests recorded since the last `clearRequests()` that match method and exact path. */
export function sent(emu: Emulator, method: string, path: string): Recorded[] {
  return emu.requests().filter((r) => r.method === method && r.path === path);
}

/** The single matching request; fails loudly when there is none or several. */
export function sentOnce(emu: Emulator, method: string, path: string): Recorded {
  const all = sent(emu, method, path);
  if (all.length !== 1)
    throw new Error(
      `expected exactly one ${method} ${path}, saw ${all.length}: ${emu
        .requests()
        .map((r) => `${r.method} ${r.path}`)
        .join(', ')}`,
    );
  return all[0]!;
}

export function jsonBody(request: Recorded): unknown {
  return request.body === '' ? undefined : JSON.parse(request.body);
}

/** Drains an async iterator into an array. */
export async function drain<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterator) out.push(item);
  return out;
}
