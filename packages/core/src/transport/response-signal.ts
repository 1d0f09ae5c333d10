import { type AbortSource, subscribeAbort } from './abort.js';
import { TimedAttempt } from './attempt-timeout.js';

/**
 * The signal of one data-plane attempt, whose Response body is handed to the caller.
 *
 * It must keep following the caller's signal and the client's close() while the caller reads
 * the body, long after we returned, and we cannot tell when the body is done without wrapping
 * the stream. `AbortSignal.any` solves that with weak references but costs ~80–110 µs per call
 * on Node 20. This does the same thing more cheaply: each source signal gets ONE listener
 * (installed on first use) that fans the abort out to a list of weakly held attempt signals.
 * A finished attempt stops being reached as soon as we know it is finished (error, retry,
 * discarded response); a returned one is reached until it is garbage. Entries of both kinds
 * are swept out when the list doubles. Each attempt signal keeps its controller alive (a property of the
 * signal, see ControlledSignal), so the controller lives exactly as long as whoever still
 * holds the signal (fetch, while it reads).
 */

interface FanOut {
  /**
   * The attempts following the source. An array rather than a Set: a Set keyed by a fresh
   * WeakRef per attempt paid for hashing it on every call. A released attempt is not looked
   * for: it loses its FOLLOWER (so an abort passes it by) and is dropped at the next sweep.
   */
  targets: Array<WeakRef<SourceFollower>>;
  sweepAt: number;
}

const MIN_SWEEP = 256;
const fanOuts = new WeakMap<AbortSource, FanOut>();

/**
 * What a source's abort reaches: `target[FOLLOWER].abort(reason)`. The target is what is held
 * weakly; FOLLOWER is what it aborts. For a fetch attempt the target is its signal and FOLLOWER
 * its controller (the signal → controller edge: a property rather than a WeakMap entry: in a
 * loop of new controllers, WeakMap.set added 2.5 µs per attempt on Node 24 and 4 µs on Node 20
 * (ephemeron bookkeeping every GC walks again) against 0.2 and 1.3 µs for the property, which
 * dies with the signal all the same). A dispatcher attempt is its own FOLLOWER. Emptied when
 * the attempt no longer follows.
 */
export const FOLLOWER = Symbol('knoxcall.sourceFollower');
export interface SourceFollower {
  [FOLLOWER]: { abort(reason: unknown): void } | undefined;
}
type ControlledSignal = AbortSignal & { [FOLLOWER]?: AbortController | undefined };

function fanOutOf(source: AbortSource): FanOut {
  let fan = fanOuts.get(source);
  if (fan === undefined) {
    const created: FanOut = { targets: [], sweepAt: MIN_SWEEP };
    fan = created;
    fanOuts.set(source, created);
    subscribeAbort(source, () => {
      const { targets } = created;
      created.targets = [];
      for (const ref of targets) {
        ref.deref()?.[FOLLOWER]?.abort(source.reason);
      }
    });
  }
  return fan;
}

function follow(source: AbortSource, ref: WeakRef<SourceFollower>): void {
  const fan = fanOutOf(source);
  fan.targets.push(ref);
  if (fan.targets.length >= fan.sweepAt) {
    fan.targets = fan.targets.filter(isFollowing);
    fan.sweepAt = Math.max(MIN_SWEEP, fan.targets.length * 2);
  }
}

/** Still alive and not released. */
function isFollowing(ref: WeakRef<SourceFollower>): boolean {
  return ref.deref()?.[FOLLOWER] !== undefined;
}

/**
 * Makes `target[FOLLOWER]` abort when `caller` or `closed` aborts, for as long as `target` is
 * alive and its FOLLOWER set (the caller checks neither source has aborted already). Held
 * weakly: following a long-lived signal keeps nothing alive.
 */
export function followSources(target: SourceFollower, caller: AbortSignal | undefined, closed: AbortSource): void {
  const ref = new WeakRef(target);
  follow(closed, ref);
  if (caller !== undefined) follow(caller, ref);
}

export interface ResponseAttemptSignal {
  readonly signal: AbortSignal;
  /** True iff this attempt's own timer fired. */
  timedOut(): boolean;
  /** Headers are in: the per-attempt timer no longer applies (the caller owns the body). */
  stopTimer(): void;
  /** The attempt is over and its response (if any) was not handed out: stop following the sources. */
  release(): void;
}

/** Starts one attempt's signal: aborts when `caller` or `closed` aborts, or when `ms` elapse (until stopTimer()). */
export function startResponseAttemptSignal(ms: number, caller: AbortSignal | undefined, closed: AbortSource): ResponseAttemptSignal {
  return new AttemptSignal(ms, caller, closed);
}

// The fan-out above on top of the shared attempt timeout (attempt-timeout.ts).
class AttemptSignal extends TimedAttempt implements ResponseAttemptSignal {
  constructor(ms: number, caller: AbortSignal | undefined, closed: AbortSource) {
    super();
    const { controller } = this;
    const signal: ControlledSignal = this.signal;
    if (caller?.aborted) controller.abort(caller.reason);
    else if (closed.aborted) controller.abort(closed.reason);
    else {
      signal[FOLLOWER] = controller;
      followSources(signal as SourceFollower, caller, closed);
    }
    if (!signal.aborted) this.startTimer(ms);
  }

  release(): void {
    this.stopTimer();
    // Its response was not handed out: the sources need not reach it any more (see FanOut).
    (this.signal as ControlledSignal)[FOLLOWER] = undefined;
  }
}
