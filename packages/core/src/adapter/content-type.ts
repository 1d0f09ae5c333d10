/**
 * KnoxCall sends `application/json`. Accepted: `application/json`, any `application/*+json`,
 * with any parameters (charset), and a missing or empty Content-Type (some proxies strip
 * it); anything else is answered 415 before the body is read. A repeated Content-Type is
 * judged by its first value, like any repeated header: Node keeps only the first, and a
 * fetch `Headers` joins them with ", ", so the text before the first comma is that value.
 */
export function isAcceptedWebhookContentType(contentType: string | undefined): boolean {
  // One test, no allocation (this runs for every delivery): optional whitespace, then
  // nothing or application/json or application/<subtype>+json in any case, then optional
  // whitespace up to the first ';' or ',' or the end.
  return contentType === undefined || /^\s*(?:application\/(?:[\w!#$%&'*.^`|~-]+\+)?json\s*)?(?:[;,]|$)/i.test(contentType);
}
