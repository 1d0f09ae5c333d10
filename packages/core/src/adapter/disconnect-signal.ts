/**
 * The side of a Node `ServerResponse` (an Express response, a Fastify `reply.raw`) that tells
 * whether the caller is still there; structural, so this entry needs no `node:` import.
 */
export interface ClosableResponse {
  readonly writableFinished: boolean;
  readonly closed?: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * A signal that aborts a request's KnoxCall calls when its caller disconnects: 'close' after
 * the answer was fully written is the normal end; before that, the caller went away and
 * nobody will read what the calls produce. Adapters hand it to the view as a factory
 * (`scopedClientOptions(headers, custom, () => disconnectSignal(res))`), so it is made at the
 * view's first call; a caller already gone by then aborts that call at once.
 */
export function disconnectSignal(response: ClosableResponse): AbortSignal {
  const controller = new AbortController();
  const onClose = (): void => {
    if (!response.writableFinished) controller.abort(new Error('the client disconnected before the response was sent'));
  };
  if (response.closed === true) onClose();
  else response.once('close', onClose);
  return controller.signal;
}
