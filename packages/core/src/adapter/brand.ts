/**
 * What adapters attach to a request (the scoped-client state, the verified event) carries
 * this brand, so accessors can tell "the middleware ran" from "some other library put a
 * `knox` property here" — and so the check works across the ESM and CJS builds loaded in
 * one process (`Symbol.for` is process-global, a class identity is not).
 */
export const KNOX_ADAPTER_BRAND: unique symbol = Symbol.for('knoxcall.adapter') as never;

/**
 * Marks `target` as attached by a KnoxCall adapter (non-enumerable, so it never serialises).
 * A property, so it is inherited: a branded prototype brands its instances.
 */
export function brandAttached<T extends object>(target: T): T {
  // defineProperty's defaults: not enumerable, not writable.
  Object.defineProperty(target, KNOX_ADAPTER_BRAND, { value: true });
  return target;
}

/**
 * The brand for an object made per delivery (the verified event): a private field, which
 * V8 adds like any property store, where `defineProperty` is a runtime call costing as much
 * as the rest of the envelope's checks. Like the property it is invisible to keys, JSON,
 * spread and deep-equality, and cannot be removed or set by assignment. A private name
 * belongs to one class, so the first copy of core loaded keeps its class in a process-wide
 * slot and every other copy (ESM next to CJS) stamps and checks with that one.
 *
 * Its base constructor returns its argument, so `new` adds the field to that object.
 */
// biome-ignore lint/complexity/useArrowFunction: an arrow function cannot be a base class.
class Stamped extends (function (target: object) {
  return target;
} as unknown as new (
  target: object,
) => object) {
  #knox = true;
  static has(value: object): boolean {
    return #knox in value;
  }
}

// biome-ignore lint/suspicious/noAssignInExpressions: the first copy's class is kept and used, in one step.
const Stamp: typeof Stamped = ((globalThis as Record<symbol, typeof Stamped>)[Symbol.for('knoxcall.adapter.stamp')] ??= Stamped);

/** `brandAttached` for an object made per delivery (not inherited: never stamp a prototype). */
export function stampAttached<T extends object>(target: T): T {
  // `new` gives back `target` itself: a derived class's instance is what its base returned.
  return new Stamp(target) as T;
}

export function isBrandedAttachment(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (Stamp.has(value) || (value as Record<symbol, unknown>)[KNOX_ADAPTER_BRAND] === true);
}
