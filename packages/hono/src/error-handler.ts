import { knoxErrorToResponse } from '@knoxcall/core/adapter';
import type { Context, ErrorHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An `app.onError` handler for KnoxCall errors thrown in your handlers:
 * `app.onError(knoxOnError())`. A rejected credential or a KnoxCall outage becomes
 * 502/503/504, a 404, 409 or 422 passes through, always as
 * `{ error: { type, message, request_id } }` and with `Retry-After` when KnoxCall gave one.
 * An `HTTPException` (what `knoxWebhook()` throws for a rejected delivery) answers with its
 * own response. Anything else goes to `fallback`, else gets Hono's default 500.
 */
export function knoxOnError(fallback?: ErrorHandler): ErrorHandler {
  return function knoxErrorHandler(err: Error, c: Context) {
    if (typeof (err as { getResponse?: unknown }).getResponse === 'function') {
      return (err as Error & { getResponse(): Response }).getResponse();
    }
    const response = knoxErrorToResponse(err);
    if (response !== undefined) {
      return c.json(response.body, response.status as ContentfulStatusCode, response.headers);
    }
    if (fallback !== undefined) return fallback(err, c);
    // Hono's own default answer for an unhandled error.
    console.error(err);
    return c.text('Internal Server Error', 500);
  };
}
