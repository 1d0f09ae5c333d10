/**
 * Runs steps written as a generator whose `yield` stands where an async function would
 * `await`, without making a promise while every yielded value is already there: a plain value
 * is sent straight back into the generator. The webhook processor's steps — the body a
 * framework read already, node:crypto, no replay store, synchronous handlers — answer at once
 * on Node, and an `await` of each would still cost a microtask turn, the caller's promise one
 * more. From the first promise (or any thenable, as `await` takes) on, the rest runs when it
 * settles, a rejection thrown back in at the `yield` as `await` would.
 *
 * Returns the generator's result, or a promise of it once a step was a promise. A throw
 * before the first promise is thrown to the caller; after it, the promise rejects.
 */
export function runSteps<R>(steps: Generator<unknown, R, unknown>, sent?: unknown, failed?: boolean): R | Promise<R> {
  for (;;) {
    const step = failed ? steps.throw(sent) : steps.next(sent);
    if (step.done) return step.value;
    sent = step.value;
    failed = false;
    if (typeof (sent as PromiseLike<unknown> | null)?.then === 'function') {
      return Promise.resolve(sent).then(
        (value) => runSteps(steps, value),
        (error) => runSteps(steps, error, true),
      );
    }
  }
}
