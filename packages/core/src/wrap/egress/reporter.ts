import { isKnoxCallError } from '../../errors.js';
import { MAX_OBSERVATIONS_PER_REPORT } from '../management.js';
import { callSafely } from '../manifest-store.js';
import type { EgressObservation, EgressObservationsReport } from '../types.js';
import { credentialHeaderName } from './credential-headers.js';
import { observationFor } from './observation.js';

export const OBSERVATION_FLUSH_MS = 60_000;
/** A flush starts as soon as this many keys are pending. */
export const OBSERVATION_FLUSH_KEYS = MAX_OBSERVATIONS_PER_REPORT;
/** Pending keys beyond this are dropped until the next flush. */
export const OBSERVATION_MAX_KEYS = 1000;

export interface EgressObservationReporterOptions {
  report(observations: EgressObservation[]): Promise<EgressObservationsReport>;
  onFlush?: ((report: EgressObservationsReport) => void) | undefined;
  now?: (() => Date) | undefined;
}

type HeaderInput = Headers | Readonly<Record<string, string | readonly string[] | undefined>> | ReadonlyArray<readonly [string, string]>;

function headerNames(headers: HeaderInput | undefined): string[] {
  if (headers === undefined || headers === null) return [];
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return [...headers.keys()];
  if (Array.isArray(headers)) return (headers as ReadonlyArray<readonly [string, string]>).map(([name]) => name);
  return Object.keys(headers);
}

/**
 * Counts credential header NAMES on direct traffic to hosts KnoxCall does not cover and
 * reports them (host, first path segment, method, header name, count, first/last seen —
 * never a value, query or body). Flushes every 60 s or once 200 keys are pending, holds at
 * most 1000 keys, and stops for good when the server answers 403.
 */
export class EgressObservationReporter {
  readonly #options: EgressObservationReporterOptions;
  #pending = new Map<string, EgressObservation>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> | undefined;
  #stopped = false;

  constructor(options: EgressObservationReporterOptions) {
    this.#options = options;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  get pendingKeys(): number {
    return this.#pending.size;
  }

  /** Records the credential headers of one direct request. */
  record(url: URL, method: string, headers: HeaderInput | undefined): void {
    if (this.#stopped) return;
    const names = headerNames(headers);
    for (const raw of names) {
      const name = credentialHeaderName(raw);
      if (name === undefined) continue;
      const at = (this.#options.now ?? (() => new Date()))();
      const observation = observationFor(url, method, name, at);
      const key = `${observation.host} ${observation.first_segment} ${observation.method} ${name}`;
      const existing = this.#pending.get(key);
      if (existing !== undefined) {
        existing.count += 1;
        existing.last_seen = observation.last_seen;
      } else if (this.#pending.size < OBSERVATION_MAX_KEYS) {
        this.#pending.set(key, observation);
      }
    }
    if (this.#pending.size >= OBSERVATION_FLUSH_KEYS) void this.flush();
    else if (this.#pending.size > 0) this.#arm();
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    const timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, OBSERVATION_FLUSH_MS);
    (timer as { unref?: () => void }).unref?.();
    this.#timer = timer;
  }

  /** Sends what is pending (in batches of 200). Never rejects; a 403 stops reporting. */
  flush(): Promise<void> {
    this.#flushing ??= this.#send().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #send(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#pending.size > 0 && !this.#stopped) {
      const batch: EgressObservation[] = [];
      for (const [key, observation] of this.#pending) {
        batch.push(observation);
        this.#pending.delete(key);
        if (batch.length === MAX_OBSERVATIONS_PER_REPORT) break;
      }
      try {
        callSafely(this.#options.onFlush, await this.#options.report(batch));
      } catch (error) {
        if (isKnoxCallError(error) && error.status === 403) this.stop();
        return; // lost observations are only statistics; never retried in a loop
      }
    }
  }

  /** Stops reporting and drops what is pending. */
  stop(): void {
    this.#stopped = true;
    this.#pending.clear();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
