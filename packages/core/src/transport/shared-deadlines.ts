/**
 * One timer for the deadlines of many attempts.
 *
 * A timer per attempt is the costliest bookkeeping of a warm call: calls that follow each
 * other leave Node's timer list empty after each clearTimeout, so every attempt created the
 * list again, queued it and re-armed the event loop's timer, and every clear undid it all.
 * Here one timer serves every attempt. An attempt registers its deadline and unregisters
 * when it no longer needs it, both Set operations; the timer is armed only when a deadline
 * earlier than the armed one comes in, and is left running when the attempt it was armed for
 * finishes: when it fires it expires what is due and re-arms for the earliest deadline left.
 *
 * Deadlines of one duration are registered in the order they fall due (one clock, always
 * moving forward), so each duration keeps a list in that order and only its first entry can
 * be next; a firing visits the due entries and the first one that is not.
 *
 * Only in the Node build (Node, Bun), and only where a timer can be told not to hold the
 * process open (`unref`, `ref`). It is held open exactly while some attempt is registered,
 * as the timer of an attempt was. Elsewhere (Workers, Deno, browsers: the Web build) a timer
 * may belong to the request that set it, and one left armed by an earlier request must not
 * be what ends a later one's attempt: there every attempt keeps a timer of its own (see
 * TimedAttempt).
 */

/**
 * What a deadline ends. The fields are the registry's (a list node rather than a Map entry:
 * keying a Map by a fresh object costs it an identity hash, on every attempt).
 */
export abstract class DeadlineTarget {
  /** When it falls due (performance.now() time); registry use only. */
  deadlineAt = 0;
  /** Its duration's list, while registered; registry use only. */
  dueList: DueList | undefined = undefined;
  prevDue: DeadlineTarget | undefined = undefined;
  nextDue: DeadlineTarget | undefined = undefined;
  /** The deadline passed; called once, after which the target is no longer registered. */
  abstract expire(): void;
}

/** The registered targets of one duration, in the order they fall due. */
interface DueList {
  first: DeadlineTarget | undefined;
  last: DeadlineTarget | undefined;
}

interface NodeTimer {
  ref(): unknown;
  unref(): unknown;
}

const now = (): number => performance.now();

export class SharedDeadlines {
  readonly #byDuration = new Map<number, DueList>();
  #registered = 0;
  #timer: NodeTimer | undefined;
  /** When the armed timer fires (performance.now() time); Infinity when none is armed. */
  #armedFor = Number.POSITIVE_INFINITY;
  readonly #fire = (): void => this.#expireDue();

  /** Calls `target.expire()` once `ms` (finite, ≥ 0) have elapsed, unless `clear(target)` comes first. */
  register(target: DeadlineTarget, ms: number): void {
    const deadline = now() + ms;
    // Durations keep their list, even empty, until the armed timer fires and drops the empty
    // ones: calls that follow each other then reuse it. There is always an armed timer while
    // any duration has a list, so they cannot pile up.
    let list = this.#byDuration.get(ms);
    if (list === undefined) {
      list = { first: undefined, last: undefined };
      this.#byDuration.set(ms, list);
    }
    target.deadlineAt = deadline;
    target.dueList = list;
    target.prevDue = list.last;
    target.nextDue = undefined;
    if (list.last === undefined) list.first = target;
    else list.last.nextDue = target;
    list.last = target;
    this.#registered += 1;
    if (deadline < this.#armedFor) this.#arm(deadline);
    else if (this.#registered === 1) this.#timer?.ref();
  }

  /** Forgets `target`'s deadline; nothing if it already expired or was cleared. */
  clear(target: DeadlineTarget): void {
    if (target.dueList === undefined) return;
    unlink(target);
    this.#registered -= 1;
    // The timer stays armed: the next attempt most likely needs it. It just stops holding the process open.
    if (this.#registered === 0) this.#timer?.unref();
  }

  #arm(deadline: number): void {
    this.#armedFor = deadline;
    // A whole number of ms, at least 1: Node's timers count in ms and may fire a fraction early.
    const timer = setTimeout(this.#fire, Math.max(1, Math.ceil(deadline - now()))) as unknown as NodeTimer;
    const previous = this.#timer;
    this.#timer = timer;
    if (previous !== undefined) clearTimeout(previous as never);
    if (this.#registered === 0) timer.unref();
  }

  #expireDue(): void {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const at = now();
    let next = Number.POSITIVE_INFINITY;
    for (const [ms, list] of this.#byDuration) {
      for (let target = list.first; target !== undefined; target = list.first) {
        if (target.deadlineAt > at) {
          if (target.deadlineAt < next) next = target.deadlineAt;
          break;
        }
        unlink(target);
        this.#registered -= 1;
        target.expire();
      }
      if (list.first === undefined) this.#byDuration.delete(ms);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }
}

function unlink(target: DeadlineTarget): void {
  const list = target.dueList as DueList;
  const { prevDue, nextDue } = target;
  if (prevDue === undefined) list.first = nextDue;
  else prevDue.nextDue = nextDue;
  if (nextDue === undefined) list.last = prevDue;
  else nextDue.prevDue = prevDue;
  target.dueList = undefined;
  target.prevDue = undefined;
  target.nextDue = undefined;
}

/** Whether this runtime's timers can stop holding the process open (the condition for sharing one). */
export function timersCanUnref(): boolean {
  const probe = setTimeout(noop, 0) as unknown as Partial<NodeTimer>;
  clearTimeout(probe as never);
  return typeof probe?.unref === 'function' && typeof probe.ref === 'function';
}

function noop(): void {}
