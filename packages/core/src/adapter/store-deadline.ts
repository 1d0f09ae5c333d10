/**
 * Bounds a store operation in time: a stalled Redis (a black-holed socket, a client queueing
 * commands while it reconnects) or a custom store whose promise never settles must cost a
 * delivery at most the deadline, never a hang. The operation gets a signal that aborts at the
 * deadline, for stores that can cancel; the result is abandoned either way. On the deadline
 * the promise rejects with that signal's reason (a `TimeoutError`). Edge-safe: only
 * `setTimeout` and `AbortController`.
 */
export function withDeadline<T>(deadlineMs: number, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      controller.abort(new DOMException(`no answer within ${deadlineMs} ms`, 'TimeoutError'));
      reject(controller.signal.reason);
    }, deadlineMs);
    const settle = (then: () => void) => {
      clearTimeout(timer);
      then();
    };
    // `then` of a promise made inside `try`: a store that throws synchronously fails like one that rejects.
    new Promise<T>((run) => run(operation(controller.signal))).then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
