/**
 * One HTTP probe of a workload-identity source (contract auth §8.1): a GET that, headers
 * and body together, gets at most `PROBE_TIMEOUT_MS`. A server that accepts the connection
 * and then never answers costs exactly that and no more. Any failure is `undefined`:
 * auto-detection skips the source and moves on. Universal (no `node:` imports).
 */
export const PROBE_TIMEOUT_MS = 250;

export interface ProbeResponse {
  status: number;
  text: string;
}

export async function probeGet(
  fetchFn: typeof fetch,
  url: string,
  headers: Record<string, string>,
  timeoutMs: number = PROBE_TIMEOUT_MS,
): Promise<ProbeResponse | undefined> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    // `redirect: 'manual'`: a metadata server never redirects; following one could carry
    // the request token (GitHub) or identity header (Azure) somewhere else.
    const response = await fetchFn(url, { method: 'GET', headers, redirect: 'manual', signal });
    const text = await response.text();
    return { status: response.status, text };
  } catch {
    return undefined;
  }
}
