/**
 * Bounds a store operation in time: a stalled Redis (a black-holed socket, a client queueing
 * commands while it reconnects) or a custom store whose promise never settles must cost a
 * delivery at most the deadline, never a hang. The operation gets a signal that aborts at the
 * deadline, for stores that can cancel; the result is abandoned either way. Edge-safe: only
 * `setTimeout` and `AbortController`.
 */
export class StoreDeadlineExceeded extends Error {
  constructor(readonly deadlineMs: number) {
    super(`the store did not answer within ${deadlineMs} ms`);
    this.name = 'StoreDeadlineExceeded';
  }
}

export function withDeadline<T>(deadlineMs: number, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new StoreDeadlineExceeded(deadlineMs);
      controller.abort(error);
      reject(error);
    }, deadlineMs);
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(operation(controller.signal));
    } catch (error) {
      pending = Promise.reject(error); // a store that throws synchronously fails like one that rejects
    }
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
