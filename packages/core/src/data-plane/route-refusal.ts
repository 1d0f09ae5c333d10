/**
 * Telling a KnoxCall refusal apart from an upstream's own answer (contract transport §8.6).
 * An upstream answered whenever `X-Knox-Upstream-Status` or `X-Knox-Destination-Status`
 * carries a value; otherwise a 401 is KnoxCall refusing the credential or route, and a 404
 * whose Shape-A `error.type` is `route_not_found` is a route that does not resolve.
 */

type HeaderSource = Headers | Readonly<Record<string, string | undefined>>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | undefined>)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/** True when the gateway itself produced the response (no non-empty upstream-status header). */
export function isGatewayOriginated(headers: HeaderSource): boolean {
  return !header(headers, 'x-knox-upstream-status') && !header(headers, 'x-knox-destination-status');
}

/** The refusal predicate over an already-read body (parsed JSON, text or null). */
export function isRouteRefusal(status: number, headers: HeaderSource, body: unknown): boolean {
  if (!isGatewayOriginated(headers)) return false;
  if (status === 401) return true;
  if (status !== 404) return false;
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return false;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return false;
  const error = (parsed as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null || Array.isArray(error)) return false;
  return (error as { type?: unknown }).type === 'route_not_found';
}

/**
 * The predicate over a live `Response`, reading a clone so the caller's body stays
 * untouched; an unreadable body is not a refusal.
 */
export async function isRouteRefusalResponse(response: Response): Promise<boolean> {
  if (!isGatewayOriginated(response.headers)) return false;
  if (response.status === 401) return true;
  if (response.status !== 404 || response.bodyUsed) return false;
  let text: string;
  try {
    text = await response.clone().text();
  } catch {
    return false;
  }
  return isRouteRefusal(response.status, response.headers, text);
}
