import { isKnoxCallError } from '../errors.js';
import { type AbortSource, subscribeAbort } from '../transport/abort.js';
import { DEFAULT_TTL_SECONDS, emptyManifest, validateManifest } from './manifest-validate.js';
import type { InterceptManifest } from './types.js';

/** Out-of-cycle refreshes (promoted-route hints, route refusals) are at least this far apart. */
export const MIN_OUT_OF_CYCLE_MS = 5_000;
const MAX_BACKOFF_FACTOR = 8;
const NO_MANIFEST_FACTOR = 10;

export interface ManifestRefreshInfo {
  version: string;
  changed: boolean;
}

export interface ManifestStoreListener {
  onRefresh?: ((info: ManifestRefreshInfo) => void) | undefined;
  onManifestError?: ((error: unknown) => void) | undefined;
}

export interface InterceptManifestStoreOptions {
  /** Fetches the manifest; resolves `null` when `ifNoneMatch` is still current (304). */
  load(ifNoneMatch: string | undefined): Promise<unknown>;
  /** Warns once per code (the client's platform warning). */
  warnOnce?: ((code: string, message: string) => void) | undefined;
  random?: (() => number) | undefined;
  now?: (() => number) | undefined;
  /**
   * The client's lifetime (or any abort source): when it closes, the store stops and never
   * starts again. Subscribed to, never turned into an AbortController at construction —
   * on Workers such a controller would belong to the request that made it.
   */
  closed?: AbortSource | undefined;
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * The intercept manifest of one client (and environment), shared by every `wrap.fetch()`
 * and `intercept()` made from it or its views. Polls at the manifest's TTL ±10 % on unref'd
 * timers while started; one refresh at a time; on errors keeps the last good manifest and
 * backs off up to 8 × TTL; a 401/403/404 warns once and behaves as an empty manifest,
 * checking again after 10 × TTL.
 */
export class InterceptManifestStore {
  #current: InterceptManifest | undefined;
  #inflight: Promise<void> | undefined;
  #timer: Timer | undefined;
  #started = false;
  #failures = 0;
  #lastOutOfCycle = Number.NEGATIVE_INFINITY;
  #listeners = new Set<ManifestStoreListener>();
  #ready: Promise<void> | undefined;
  #users = 0;
  #loadedAt = Number.NEGATIVE_INFINITY;
  readonly #options: InterceptManifestStoreOptions;

  constructor(options: InterceptManifestStoreOptions) {
    this.#options = options;
    if (options.closed !== undefined) subscribeAbort(options.closed, () => this.stop());
  }

  /** The manifest routing uses now; undefined until the first load succeeded. */
  get current(): InterceptManifest | undefined {
    return this.#current;
  }

  /** Settles (never rejects) once the first load has finished, successfully or not. */
  get ready(): Promise<void> {
    this.#ready ??= this.refresh();
    return this.#ready;
  }

  /**
   * Claims the store for one user (a `wrap.fetch()` or `intercept()`); it polls while any
   * claim is held. The first claim loads at once; a claim after a pause reloads only if the
   * manifest is older than its TTL.
   */
  acquire(): void {
    this.#users += 1;
    if (this.#users === 1) this.start();
  }

  /** Gives a claim back; the last one stops the polling (the manifest stays in use). */
  release(): void {
    if (this.#users === 0) return;
    this.#users -= 1;
    if (this.#users === 0) this.stop();
  }

  /** Starts polling (idempotent). */
  start(): void {
    if (this.#started || this.#options.closed?.aborted === true) return;
    this.#started = true;
    if (this.#ready === undefined) {
      void this.ready;
      return;
    }
    const age = this.#now() - this.#loadedAt;
    this.#schedule(Math.max(0, this.#ttlMs() - age));
  }

  /** Stops polling, whoever holds claims; a later `start()` resumes. */
  stop(): void {
    this.#started = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  subscribe(listener: ManifestStoreListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Loads now, unless a load is already running (then waits for that one). Never rejects. */
  refresh(): Promise<void> {
    this.#inflight ??= this.#load().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /**
   * A refresh outside the TTL cycle (a promoted-route hint, a route refusal): skipped when
   * the previous one was less than 5 s ago. Resolves true when a load ran.
   */
  async refreshOutOfCycle(): Promise<boolean> {
    const now = this.#now();
    if (now - this.#lastOutOfCycle < MIN_OUT_OF_CYCLE_MS) return false;
    this.#lastOutOfCycle = now;
    await this.refresh();
    return true;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #ttlMs(): number {
    return (this.#current?.ttl_seconds ?? DEFAULT_TTL_SECONDS) * 1000;
  }

  async #load(): Promise<void> {
    let nextDelay: number;
    this.#loadedAt = this.#now();
    try {
      const previous = this.#current;
      const raw = await this.#options.load(previous?.version || undefined);
      if (raw !== null) {
        const manifest = validateManifest(raw);
        this.#current = manifest;
        this.#emitRefresh({ version: manifest.version, changed: previous?.version !== manifest.version });
      } else if (previous !== undefined) {
        this.#emitRefresh({ version: previous.version, changed: false });
      }
      this.#failures = 0;
      nextDelay = this.#ttlMs();
    } catch (error) {
      const status = isKnoxCallError(error) ? error.status : undefined;
      if (status === 401 || status === 403 || status === 404) {
        this.#options.warnOnce?.(
          'KNOXCALL_WRAP_NO_MANIFEST',
          `KnoxCall answered ${status} for the intercept manifest: wrap routes nothing through KnoxCall routes until that changes (check the credential's routes:read scope and the environment). Checking again in ${NO_MANIFEST_FACTOR} × TTL.`,
        );
        this.#current = emptyManifest(this.#current?.ttl_seconds);
        nextDelay = this.#ttlMs() * NO_MANIFEST_FACTOR;
      } else {
        this.#failures += 1;
        nextDelay = this.#ttlMs() * Math.min(2 ** this.#failures, MAX_BACKOFF_FACTOR);
      }
      this.#emitError(error);
    }
    this.#schedule(nextDelay);
  }

  #schedule(delayMs: number): void {
    if (!this.#started) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const jitter = delayMs === 0 ? 1 : 0.9 + 0.2 * (this.#options.random ?? Math.random)();
    const timer = setTimeout(
      () => {
        this.#timer = undefined;
        void this.refresh();
      },
      Math.round(delayMs * jitter),
    );
    // A poll must never keep the process alive.
    (timer as { unref?: () => void }).unref?.();
    this.#timer = timer;
  }

  #emitRefresh(info: ManifestRefreshInfo): void {
    for (const l of this.#listeners) callSafely(l.onRefresh, info);
  }

  #emitError(error: unknown): void {
    for (const l of this.#listeners) callSafely(l.onManifestError, error);
  }
}

/** A throwing user callback must not break routing. */
export function callSafely<A>(fn: ((arg: A) => void) | undefined, arg: A): void {
  if (fn === undefined) return;
  try {
    fn(arg);
  } catch {
    // the app's callback failed; routing goes on
  }
}
