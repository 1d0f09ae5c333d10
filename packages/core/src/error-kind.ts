/**
 * Which transport failure an error stands for, as a `Symbol.for` brand set by the error
 * constructors. Class names cannot be trusted for this: a minifying bundler renames classes
 * (esbuild --minify turned `APIConnectionTimeoutError` into `e`), and `instanceof` fails
 * between the ESM and CJS builds loaded in one process. A registered symbol survives both.
 * Internal: not exported from the package entries.
 */
export const KNOXCALL_ERROR_KIND: unique symbol = Symbol.for('knoxcall.error.kind') as never;

export type KnoxCallErrorKind = 'connection' | 'timeout' | 'abort';

/** Non-enumerable (invisible to JSON and spreads), re-settable by a subclass constructor. */
export function brandErrorKind(error: Error, kind: KnoxCallErrorKind): void {
  Object.defineProperty(error, KNOXCALL_ERROR_KIND, { value: kind, configurable: true, enumerable: false, writable: false });
}

/** The transport-failure kind of an error from any copy of the package, or undefined. */
export function errorKindOf(error: unknown): KnoxCallErrorKind | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const kind = (error as Record<symbol, unknown>)[KNOXCALL_ERROR_KIND];
  return kind === 'connection' || kind === 'timeout' || kind === 'abort' ? kind : undefined;
}
