/**
 * What adapters attach to a request (the scoped-client state, the verified event) carries
 * this brand, so accessors can tell "the middleware ran" from "some other library put a
 * `knox` property here" — and so the check works across the ESM and CJS builds loaded in
 * one process (`Symbol.for` is process-global, a class identity is not).
 */
export const KNOX_ADAPTER_BRAND: unique symbol = Symbol.for('knoxcall.adapter') as never;

/** Marks `target` as attached by a KnoxCall adapter (non-enumerable, so it never serialises). */
export function brandAttached<T extends object>(target: T): T {
  // defineProperty's defaults: not enumerable, not writable.
  Object.defineProperty(target, KNOX_ADAPTER_BRAND, { value: true });
  return target;
}

export function isBrandedAttachment(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[KNOX_ADAPTER_BRAND] === true;
}
