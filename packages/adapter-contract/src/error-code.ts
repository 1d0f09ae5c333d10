import type { AdapterUnderTest } from './types.js';

/** The contract's code of a failure body, `{ error: { type } }`, unless the adapter says how to read its own. */
export function errorTypeOf(adapter: AdapterUnderTest, body: unknown): unknown {
  if (adapter.readErrorCode !== undefined) return adapter.readErrorCode(body);
  return (body as { error?: { type?: unknown } } | null)?.error?.type;
}
