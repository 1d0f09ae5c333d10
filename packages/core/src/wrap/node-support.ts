/**
 * What only the Node build can give `wrap.intercept()`: the node:http/https stack and an
 * AsyncLocalStorage for `routed()`. The Node entry registers it; the Web build never does,
 * so shared wrap code imports nothing from `node:`.
 */

/** What an intercepted stack asks of the interceptor. */
export interface StackHooks {
  /** True when KnoxCall should carry this request (false = the stack sends it as usual). */
  takes(url: URL, method: string, headers: Readonly<Record<string, string | readonly string[] | undefined>>): boolean;
  /** Sends a request KnoxCall carries. */
  send(url: string, init: RequestInit): Promise<Response>;
}

export interface HttpStack {
  /** Patches the stack; returns the function that restores it. */
  install(hooks: StackHooks): () => void;
}

/** Async-context scope of `routed()`. */
export interface RoutedContext {
  run<T>(fn: () => T): T;
  inside(): boolean;
}

export interface WrapNodeSupport {
  httpStack: HttpStack;
  routedContext: RoutedContext;
}

let registered: WrapNodeSupport | undefined;

/** @internal Called once by the Node entry. */
export function registerWrapNodeSupport(support: WrapNodeSupport): void {
  registered = support;
}

export function wrapNodeSupport(): WrapNodeSupport | undefined {
  return registered;
}
