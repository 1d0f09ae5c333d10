import { settleWithin } from '../settle-within.js';

/**
 * Bounds a replay-store operation in time (see `settleWithin`). The operation gets a signal
 * that aborts at the deadline, for stores that can cancel; the result is abandoned either
 * way. On the deadline the promise rejects with that signal's reason (a `TimeoutError`).
 */
export function withDeadline<T>(deadlineMs: number, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  return settleWithin(
    deadlineMs,
    () => operation(controller.signal),
    () => {
      controller.abort(new DOMException(`no answer within ${deadlineMs} ms`, 'TimeoutError'));
      return controller.signal.reason;
    },
  );
}
