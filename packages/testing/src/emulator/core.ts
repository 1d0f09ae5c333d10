import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { IdempotencyCache } from './idempotency.js';
import { FaultScripts } from './faults.js';
import type { RecordedRequest } from './types.js';
import { type ResolvedSeed, buildState } from './seed.js';
import type { EmulatorState } from './state.js';

export interface CoreOptions {
  tokenTtlSeconds: number;
  /** Device-flow polling interval announced by `/oauth/device_authorization` (seconds). */
  deviceIntervalSeconds?: number;
  requireDpop: boolean;
  dpopNonces: boolean;
  now: () => number;
  maxBodyBytes: number;
}

/** Accepted |now − iat| for DPoP proofs, in seconds. */
export const DPOP_IAT_WINDOW_SECONDS = 60;

/**
 * Everything mutable about a running emulator, in one place so `reset()` can restore it:
 * tenant data, fault scripts, the request log, seen DPoP `jti`s, the current nonce and the
 * idempotency cache.
 */
export class EmulatorCore {
  state: EmulatorState;
  readonly faults = new FaultScripts();
  readonly idempotency = new IdempotencyCache();
  readonly log: RecordedRequest[] = [];
  /** jti → epoch ms when it may be forgotten. */
  private readonly seenJtis = new Map<string, number>();
  dpopNonce = newNonce();
  /** Pending and completed signups by claim handle. */
  readonly signups = new Map<string, unknown>();
  /** Background webhook deliveries still running (see `idle()`). */
  readonly deliveries = new Set<Promise<void>>();

  constructor(
    readonly resolved: ResolvedSeed,
    readonly options: CoreOptions,
  ) {
    this.state = buildState(resolved, options.now);
  }

  now(): number {
    return this.options.now();
  }

  reset(): void {
    this.state = buildState(this.resolved, this.options.now);
    this.faults.clear();
    this.idempotency.clear();
    this.log.length = 0;
    this.seenJtis.clear();
    this.signups.clear();
    this.dpopNonce = newNonce();
  }

  /** Records a DPoP jti; false when it was already used within the replay window. */
  claimJti(jti: string): boolean {
    const now = this.now();
    if (this.seenJtis.size > 10_000) {
      for (const [k, until] of this.seenJtis) if (until < now) this.seenJtis.delete(k);
    }
    const until = this.seenJtis.get(jti);
    if (until !== undefined && until >= now) return false;
    this.seenJtis.set(jti, now + 2 * DPOP_IAT_WINDOW_SECONDS * 1000);
    return true;
  }

  trackDelivery(p: Promise<void>): void {
    const settled = p.catch(() => undefined).finally(() => this.deliveries.delete(settled));
    this.deliveries.add(settled);
  }

  /** Resolves once no background delivery is running (including ones started meanwhile). */
  async idle(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.all([...this.deliveries]);
  }

  rotateDpopNonce(): string {
    this.dpopNonce = newNonce();
    return this.dpopNonce;
  }
}

function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/** `http://<received Host><path>`: the htu a proof must carry (auth.md §5.4). */
export function requestHtu(req: IncomingMessage, path: string): string {
  return `http://${req.headers.host ?? '127.0.0.1'}${path}`;
}
