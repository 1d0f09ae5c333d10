import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

// Taken once at load: an in-process test of an SDK interceptor that patches node:http/https
// (KnoxCall's wrap.intercept()) must not reroute the emulator's own upstream calls.
const httpRequest = http.request;
const httpsRequest = https.request;

/** Hop-by-hop and framing headers that are never copied between the two legs of a proxy. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length']);

export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * One upstream HTTP exchange with node:http — never follows redirects (a 3xx is returned as is),
 * buffers the answer, and rejects on connection failure or after `timeoutMs`.
 */
export function forward(url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined, timeoutMs: number): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const out: Record<string, string> = { ...headers };
    if (body && body.length > 0) out['content-length'] = String(body.length);
    const req = send(url, { method, headers: out, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: copyResponseHeaders(res.headers), body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`upstream did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body && body.length > 0 ? body : undefined);
  });
}

function copyResponseHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || HOP_BY_HOP.has(k)) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** The caller's headers minus hop-by-hop ones and anything `drop` says is KnoxCall's own. */
export function forwardableRequestHeaders(h: IncomingHttpHeaders, drop: (name: string) => boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || HOP_BY_HOP.has(k) || drop(k)) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}
