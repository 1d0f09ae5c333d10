import type { KnoxCall } from '@knoxcall/core';

/** How a wrapped call ended: it got an answer, or it failed with this error. */
export type WrapFetchOutcome = { resolved: true } | { name: string; message: string };

/**
 * The probe of the request-scoped wrap.fetch() cases, the same in-process and in an app on
 * another runtime: `wrap.fetch()` made from the request's view calls `url` through KnoxCall;
 * the probe answers the upstream's JSON and reports to `settled` how the call ended (the
 * disconnect case waits there for the abort the caller's disconnect must cause).
 */
export function wrapFetchProbe(url: string, settled?: (outcome: WrapFetchOutcome) => void): (knox: unknown) => Promise<unknown> {
  return async (knox) => {
    let response: Response;
    try {
      response = await (knox as KnoxCall).wrap.fetch()(url);
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      settled?.({ name, message });
      throw error;
    }
    settled?.({ resolved: true });
    return response.json();
  };
}
