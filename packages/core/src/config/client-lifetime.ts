import type { AbortSource } from '../transport/abort.js';

/**
 * A client's lifetime: open until `close()`. Deliberately NOT an AbortController: on
 * Cloudflare Workers an AbortController belongs to the request that created it, so a client
 * built at module scope could not even start ("Disallowed operation called within global
 * scope") and one cached across requests would fail the next request ("Cannot perform I/O
 * on behalf of a different request"). The lifetime is a flag plus a set of callbacks; each
 * call makes the signals it needs itself, inside its own request, and subscribes them here.
 */
export class ClientLifetime implements AbortSource {
  #closed = false;
  #reason: unknown;
  readonly #subscribers = new Set<() => void>();

  /** True once `close()` ran (named like AbortSignal's so both serve as an AbortSource). */
  get aborted(): boolean {
    return this.#closed;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** Calls `callback` once on close (at once if already closed); the returned function unsubscribes. */
  subscribe(callback: () => void): () => void {
    if (this.#closed) {
      callback();
      return noop;
    }
    this.#subscribers.add(callback);
    return () => {
      this.#subscribers.delete(callback);
    };
  }

  /** Closes for good and tells every subscriber (in-flight calls abort). Idempotent. */
  close(reason: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reason = reason;
    const callbacks = [...this.#subscribers];
    this.#subscribers.clear();
    for (const callback of callbacks) {
      try {
        callback();
      } catch {
        // One subscriber failing to abort (on workerd a controller belongs to the request
        // that made it) must not keep the others from being told; its call still sees the
        // closed flag at its next step.
      }
    }
  }

  /**
   * A real AbortSignal that aborts on close, for APIs that need one (fetch, the
   * authenticator). Made now, in the caller's request; `release()` detaches it.
   */
  signal(): { signal: AbortSignal; release(): void } {
    const controller = new AbortController();
    if (this.#closed) {
      controller.abort(this.#reason);
      return { signal: controller.signal, release: noop };
    }
    const release = this.subscribe(() => controller.abort(this.#reason));
    return { signal: controller.signal, release };
  }
}

function noop(): void {}
