/**
 * What differs between the Node build and the Web build of the client. Shared code takes
 * a Platform instead of touching `process` or `node:` modules, so the Web build stays
 * free of them; each entry point (index.ts / index.web.ts) passes its own.
 */
export interface Platform {
  readonly runtime: 'node' | 'web';
  /** An environment variable, or undefined where the runtime has no environment. */
  getEnv(name: string): string | undefined;
  /** Emits `message` once per `code` (Node: process.emitWarning; elsewhere console.warn). */
  warnOnce(code: string, message: string): void;
  /**
   * Node-only credential support (the CLI credentials file, FileTokenStore); absent on
   * Web runtimes, where an explicit `StoredCredentials` is a `BootstrapError`.
   */
  readonly nodeAuth?: import('./node-auth.js').NodeAuthSupport | undefined;
  /**
   * The sender for a management attempt that fetch need not carry, or undefined when fetch
   * must (the caller checks `mustUseFetch` first). Asked per attempt: the
   * answer follows whatever `globalThis.fetch` is at that moment. Absent on Web runtimes.
   */
  directSender?(): import('../transport/direct-sender.js').DirectSender | undefined;
  /**
   * The same for a data-plane attempt, whose Response is handed to the caller (the caller
   * checks `mustUseFetch` first). Asked per attempt. Absent on Web runtimes.
   */
  streamingSender?(): import('../transport/direct-sender.js').StreamingSender | undefined;
}
