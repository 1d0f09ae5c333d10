/**
 * How an adapter gives a request-scoped view its "the HTTP client went away" signal without
 * paying for it up front. Building that signal costs an AbortController plus a 'close'
 * listener on the response — more than the rest of the view together — and most requests
 * that take a view never send a KnoxCall call through it. So the adapter passes a factory
 * under this key of `withOptions(...)` options (through `scopedClientOptions` from
 * `@knoxcall/core/adapter`), and the view calls it once, when its first call needs the
 * signal. Internal: the public option stays `withOptions({ signal })`.
 *
 * `Symbol.for`: the adapter entry and the client may come from different builds of the
 * package (ESM and CJS) loaded in one process; a registry symbol is the same in both.
 */
export const LAZY_VIEW_SIGNAL: unique symbol = Symbol.for('knoxcall.view.lazySignal') as never;

/**
 * Makes the view's signal on first use. It runs at most once per view, synchronously, as a
 * call starts; it must not throw, and may return an already-aborted signal (the HTTP client
 * disconnected before the first call) — that call then fails at once with an abort error.
 */
export type ViewSignalFactory = () => AbortSignal | undefined;
