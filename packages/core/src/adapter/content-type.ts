/**
 * KnoxCall sends `application/json`. Accepted: `application/json`, any `application/*+json`,
 * with any parameters (charset), and a missing Content-Type (some proxies strip it);
 * anything else is answered 415 before the body is read.
 */
export function isAcceptedWebhookContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const essence = contentType.split(';', 1)[0]!.trim().toLowerCase();
  // '' (an empty header), application/json, or application/<subtype>+json
  return essence === '' || /^application\/([!#$%&'*.^_`|~0-9a-z-]+\+)?json$/.test(essence);
}
